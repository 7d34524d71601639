/** Care: visits, complaints (assignment, escalation, resolution, reopening), follow-ups and surveys, each idempotent by its own id. */
import { DomainError, invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import { complaintDueAt, REOPEN_WINDOW_DAYS, severityRank } from '../policies/care';
import { consequenceTime, type CustomerState } from '../state';
import { DAY_MS, toMs } from '../time';
import { COMPLAINT_SEVERITIES, FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS, SURVEY_CHANNELS, type CareEvent } from './events';
import { complaintFollowUp } from './follow-ups';
import { breach } from './sla';
import { careFingerprint, type ComplaintSummary, type FollowUpSummary } from './state';

type CareCommandType =
  | 'RecordVisit'
  | 'FileComplaint'
  | 'ResolveComplaint'
  | 'AssignComplaint'
  | 'EscalateComplaint'
  | 'ReopenComplaint'
  | 'ScheduleFollowUp'
  | 'CompleteFollowUp'
  | 'CancelFollowUp'
  | 'AnswerSurvey';

function complaintOf(state: CustomerState, complaintId: string): ComplaintSummary {
  const complaint = state.care.complaints[complaintId];
  if (!complaint) throw new DomainError('COMPLAINT_NOT_FOUND', `complaint ${complaintId} does not exist`);
  return complaint;
}

/** A complaint that may still be worked on (assigned, escalated): not resolved, and the command not dated before the filing. */
function workable(state: CustomerState, complaintId: string, occurredAt: string, action: string): ComplaintSummary {
  const complaint = complaintOf(state, complaintId);
  if (complaint.status === 'resolved') throw new DomainError('COMPLAINT_ALREADY_RESOLVED', `complaint ${complaintId} is resolved; reopen it before it is ${action}`);
  if (toMs(occurredAt) < toMs(complaint.filedAt)) throw invalid('occurredAt', `a complaint cannot be ${action} before it was filed`);
  return complaint;
}

function followUpOf(state: CustomerState, followUpId: string): FollowUpSummary {
  const followUp = state.care.followUps[followUpId];
  if (!followUp) throw new DomainError('FOLLOW_UP_NOT_FOUND', `follow-up ${followUpId} does not exist`);
  return followUp;
}

/** Whether closing `followUp` with `closing` is a re-send (nothing to do); throws FOLLOW_UP_CLOSED when it was closed otherwise. */
function alreadyClosed(followUp: FollowUpSummary, closing: string): boolean {
  if (followUp.status === 'scheduled') return false;
  if (followUp.closing === closing) return true;
  throw new DomainError('FOLLOW_UP_CLOSED', `follow-up ${followUp.followUpId} is already ${followUp.status}`);
}

const notBlank = (value: string, field: string): void => {
  if (!value.trim()) throw invalid(field, `${field} must not be blank`);
};

const optionalNotBlank = (value: string | null, field: string): void => {
  if (value !== null) notBlank(value, field);
};

function checkSatisfaction(satisfaction: number | null): void {
  if (satisfaction !== null && !(Number.isInteger(satisfaction) && satisfaction >= 1 && satisfaction <= 5)) throw invalid('satisfaction', 'satisfaction must be an integer from 1 to 5');
}

export const careDeciders: Deciders<CareCommandType> = {
  RecordVisit({ data }, state) {
    const known = state.care.visits.fingerprints[data.visitId];
    if (known !== undefined) {
      if (known === careFingerprint.visit(data)) return [];
      throw new DomainError('DUPLICATE_VISIT', `visit ${data.visitId} was already recorded with other details`);
    }
    return [{ type: 'CustomerVisited', data: { ...data } }];
  },

  FileComplaint({ data }, state) {
    const known = state.care.complaints[data.complaintId];
    if (known) {
      if (known.fingerprint === careFingerprint.complaint(data)) return [];
      throw new DomainError('DUPLICATE_COMPLAINT', `complaint ${data.complaintId} was already filed with other details`);
    }
    if (!COMPLAINT_SEVERITIES.includes(data.severity)) throw invalid('severity', `severity must be one of ${COMPLAINT_SEVERITIES.join(', ')}`);
    notBlank(data.description, 'description');
    return [{ type: 'ComplaintFiled', data: { ...data, dueAt: complaintDueAt(data.occurredAt, data.severity) } }];
  },

  ResolveComplaint({ data }, state) {
    const complaint = complaintOf(state, data.complaintId);
    if (complaint.status === 'resolved') {
      if (complaint.resolution === careFingerprint.resolution(data)) return [];
      throw new DomainError('COMPLAINT_ALREADY_RESOLVED', `complaint ${data.complaintId} is already resolved, with another resolution`);
    }
    notBlank(data.resolution, 'resolution');
    checkSatisfaction(data.satisfaction);
    if (toMs(data.occurredAt) < toMs(complaint.filedAt)) throw invalid('occurredAt', 'a complaint cannot be resolved before it was filed');
    const at = consequenceTime(state, data.occurredAt);
    // A resolution arriving late, after a dueAt that had not been evaluated yet: the breach comes first.
    const breached = !complaint.breached && toMs(complaint.dueAt) < toMs(data.occurredAt) ? [breach(state, complaint, at)] : [];
    return [...breached, { type: 'ComplaintResolved', data: { ...data } }, ...complaintFollowUp(state, data.complaintId, data.occurredAt, at)];
  },

  AssignComplaint({ data }, state) {
    const complaint = workable(state, data.complaintId, data.occurredAt, 'assigned');
    notBlank(data.assignee, 'assignee');
    if (complaint.assignee === data.assignee) return [];
    return [{ type: 'ComplaintAssigned', data: { ...data } }];
  },

  EscalateComplaint({ data }, state) {
    const complaint = workable(state, data.complaintId, data.occurredAt, 'escalated');
    notBlank(data.reason, 'reason');
    const from = complaint.severity;
    const to = data.severity ?? from;
    if (!COMPLAINT_SEVERITIES.includes(to)) throw invalid('severity', `severity must be one of ${COMPLAINT_SEVERITIES.join(', ')}`);
    if (data.severity !== null && severityRank(to) <= severityRank(from))
      throw invalid('severity', `an escalation raises the severity above ${from}; leave severity out to record only a reason`);
    const { customerId, complaintId, reason, occurredAt } = data;
    return [{ type: 'ComplaintEscalated', data: { customerId, complaintId, reason, from, to, dueAt: complaintDueAt(occurredAt, to), occurredAt } }];
  },

  ReopenComplaint({ data }, state) {
    const complaint = complaintOf(state, data.complaintId);
    if (complaint.status !== 'resolved' || complaint.resolvedAt === null) throw new DomainError('COMPLAINT_NOT_RESOLVED', `complaint ${data.complaintId} is not resolved (it is ${complaint.status})`);
    notBlank(data.reason, 'reason');
    const sinceResolution = toMs(data.occurredAt) - toMs(complaint.resolvedAt);
    if (sinceResolution < 0) throw invalid('occurredAt', 'a complaint cannot be reopened before it was resolved');
    if (sinceResolution > REOPEN_WINDOW_DAYS * DAY_MS)
      throw new DomainError('REOPEN_WINDOW_CLOSED', `complaint ${data.complaintId} was resolved at ${complaint.resolvedAt}; it may be reopened for ${REOPEN_WINDOW_DAYS} days`);
    return [{ type: 'ComplaintReopened', data: { ...data, dueAt: complaintDueAt(data.occurredAt, complaint.severity) } }];
  },

  ScheduleFollowUp({ data }, state) {
    const known = state.care.followUps[data.followUpId];
    if (known) {
      if (known.fingerprint === careFingerprint.followUp(data)) return [];
      throw new DomainError('DUPLICATE_FOLLOW_UP', `follow-up ${data.followUpId} was already scheduled with other details`);
    }
    if (!FOLLOW_UP_REASONS.includes(data.reason)) throw invalid('reason', `reason must be one of ${FOLLOW_UP_REASONS.join(', ')}`);
    if (Number.isNaN(toMs(data.dueAt))) throw invalid('dueAt', 'dueAt must be an RFC 3339 instant');
    if (data.reason === 'complaint' && data.complaintId === null) throw invalid('complaintId', 'a follow-up of a complaint names the complaintId');
    if (data.complaintId !== null) complaintOf(state, data.complaintId);
    optionalNotBlank(data.assignee, 'assignee');
    return [{ type: 'FollowUpScheduled', data: { ...data } }];
  },

  CompleteFollowUp({ data }, state) {
    const followUp = followUpOf(state, data.followUpId);
    if (alreadyClosed(followUp, careFingerprint.completion(data))) return [];
    if (!FOLLOW_UP_OUTCOMES.includes(data.outcome)) throw invalid('outcome', `outcome must be one of ${FOLLOW_UP_OUTCOMES.join(', ')}`);
    optionalNotBlank(data.notes, 'notes');
    checkSatisfaction(data.satisfaction);
    return [{ type: 'FollowUpCompleted', data: { ...data } }];
  },

  CancelFollowUp({ data }, state) {
    const followUp = followUpOf(state, data.followUpId);
    if (alreadyClosed(followUp, careFingerprint.cancellation(data))) return [];
    notBlank(data.reason, 'reason');
    return [{ type: 'FollowUpCancelled', data: { ...data } }];
  },

  AnswerSurvey({ data }, state) {
    const known = state.care.surveys[data.surveyId];
    if (known !== undefined) {
      if (known === careFingerprint.survey(data)) return [];
      throw new DomainError('DUPLICATE_SURVEY', `survey ${data.surveyId} was already answered with other details`);
    }
    if (!(Number.isInteger(data.score) && data.score >= 0 && data.score <= 10)) throw invalid('score', 'score must be an integer from 0 to 10');
    if (!SURVEY_CHANNELS.includes(data.channel)) throw invalid('channel', `channel must be one of ${SURVEY_CHANNELS.join(', ')}`);
    optionalNotBlank(data.comment, 'comment');
    return [{ type: 'SurveyAnswered', data: { ...data } } satisfies CareEvent];
  },
};
