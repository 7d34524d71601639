/** Commands of customer care. */
import type { ComplaintFiled, ComplaintResolved, CustomerVisited, FollowUpCancelled, FollowUpCompleted, FollowUpScheduled, SurveyAnswered } from './events';
import type { ComplaintSeverity } from './events';

export type RecordVisit = { type: 'RecordVisit'; data: CustomerVisited['data'] };
/** `dueAt` is the decision's: filing + the severity's SLA. */
export type FileComplaint = { type: 'FileComplaint'; data: Omit<ComplaintFiled['data'], 'dueAt'> };
export type ResolveComplaint = { type: 'ResolveComplaint'; data: ComplaintResolved['data'] };
export type AssignComplaint = { type: 'AssignComplaint'; data: { customerId: string; complaintId: string; assignee: string; occurredAt: string } };
/** `severity` null: the severity stays, only the reason is recorded. */
export type EscalateComplaint = { type: 'EscalateComplaint'; data: { customerId: string; complaintId: string; reason: string; severity: ComplaintSeverity | null; occurredAt: string } };
export type ReopenComplaint = { type: 'ReopenComplaint'; data: { customerId: string; complaintId: string; reason: string; occurredAt: string } };
export type ScheduleFollowUp = { type: 'ScheduleFollowUp'; data: FollowUpScheduled['data'] };
export type CompleteFollowUp = { type: 'CompleteFollowUp'; data: FollowUpCompleted['data'] };
export type CancelFollowUp = { type: 'CancelFollowUp'; data: FollowUpCancelled['data'] };
export type AnswerSurvey = { type: 'AnswerSurvey'; data: SurveyAnswered['data'] };

export type CareCommand =
  | RecordVisit
  | FileComplaint
  | ResolveComplaint
  | AssignComplaint
  | EscalateComplaint
  | ReopenComplaint
  | ScheduleFollowUp
  | CompleteFollowUp
  | CancelFollowUp
  | AnswerSurvey;
