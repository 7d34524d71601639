/** Events of customer care: visits, complaints and their SLA, follow-ups (回访), satisfaction surveys (满意度). */
import type { PersonalFields } from '../personal-data';

export const VISIT_CHANNELS = ['store', 'online', 'phone', 'email', 'app', 'wechat'] as const;
export type VisitChannel = (typeof VISIT_CHANNELS)[number];
export const VISIT_PURPOSES = ['browse', 'service', 'follow_up', 'win_back', 'survey'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];
export const COMPLAINT_SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];
export const FOLLOW_UP_REASONS = ['complaint', 'win_back', 'onboarding', 'birthday', 'manual'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];
export const FOLLOW_UP_OUTCOMES = ['reached', 'no_answer', 'declined', 'wrong_contact'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
/** Where a survey was answered: the contact channels of visits. */
export const SURVEY_CHANNELS = VISIT_CHANNELS;
export type SurveyChannel = VisitChannel;

export type CustomerVisited = {
  type: 'CustomerVisited';
  data: { customerId: string; visitId: string; outletId: string; channel: VisitChannel; purpose: VisitPurpose | null; occurredAt: string };
};

/** Schema v2: `outletId` (null when not known) and `dueAt` (filing + the severity's SLA; v1 events are upcast with it). */
export type ComplaintFiled = {
  type: 'ComplaintFiled';
  data: { customerId: string; complaintId: string; channel: string; category: string; severity: ComplaintSeverity; description: string; outletId: string | null; dueAt: string; occurredAt: string };
};

export type ComplaintResolved = {
  type: 'ComplaintResolved';
  data: { customerId: string; complaintId: string; resolution: string; satisfaction: number | null; occurredAt: string };
};

export type ComplaintAssigned = {
  type: 'ComplaintAssigned';
  data: { customerId: string; complaintId: string; assignee: string; occurredAt: string };
};

/** The severity rose (or stayed, with a reason); the SLA restarts from the escalation: `dueAt`. */
export type ComplaintEscalated = {
  type: 'ComplaintEscalated';
  data: { customerId: string; complaintId: string; reason: string; from: ComplaintSeverity; to: ComplaintSeverity; dueAt: string; occurredAt: string };
};

/** A resolved complaint opened again within the window; its SLA restarts: `dueAt`. */
export type ComplaintReopened = {
  type: 'ComplaintReopened';
  data: { customerId: string; complaintId: string; reason: string; dueAt: string; occurredAt: string };
};

/** Still open at `dueAt`: dated at `dueAt` (at the customer's clock when the complaint arrived late). */
export type ComplaintSlaBreached = {
  type: 'ComplaintSlaBreached';
  data: { customerId: string; complaintId: string; dueAt: string; occurredAt: string };
};

export type FollowUpScheduled = {
  type: 'FollowUpScheduled';
  data: { customerId: string; followUpId: string; dueAt: string; reason: FollowUpReason; complaintId: string | null; assignee: string | null; occurredAt: string };
};

export type FollowUpCompleted = {
  type: 'FollowUpCompleted';
  data: { customerId: string; followUpId: string; outcome: FollowUpOutcome; notes: string | null; satisfaction: number | null; occurredAt: string };
};

export type FollowUpCancelled = {
  type: 'FollowUpCancelled';
  data: { customerId: string; followUpId: string; reason: string; occurredAt: string };
};

/** An NPS answer: `score` 0–10. */
export type SurveyAnswered = {
  type: 'SurveyAnswered';
  data: { customerId: string; surveyId: string; score: number; comment: string | null; channel: SurveyChannel; outletId: string | null; occurredAt: string };
};

export type CareEvent =
  | CustomerVisited
  | ComplaintFiled
  | ComplaintResolved
  | ComplaintAssigned
  | ComplaintEscalated
  | ComplaintReopened
  | ComplaintSlaBreached
  | FollowUpScheduled
  | FollowUpCompleted
  | FollowUpCancelled
  | SurveyAnswered;

/** Free texts, which may name people or hold contact details: encrypted at rest and erased with the customer. */
export const carePersonalFields = {
  ComplaintFiled: ['description'],
  ComplaintResolved: ['resolution'],
  ComplaintEscalated: ['reason'],
  ComplaintReopened: ['reason'],
  FollowUpCompleted: ['notes'],
  FollowUpCancelled: ['reason'],
  SurveyAnswered: ['comment'],
} as const satisfies PersonalFields<CareEvent>;
