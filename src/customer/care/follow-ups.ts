/** The follow-ups (回访) care schedules on its own: after a resolution, and when a customer becomes at risk. */
import { createHash } from 'node:crypto';
import { COMPLAINT_FOLLOW_UP_AFTER_DAYS } from '../policies/care';
import type { CustomerState } from '../state';
import { addDays } from '../time';
import type { FollowUpReason, FollowUpScheduled } from './events';
import type { CareState, FollowUpSummary } from './state';

const MAX_ID = 64;

/** `base` as an id of at most 64 characters: cut, with a digest of the whole so distinct bases stay distinct. */
function fitted(base: string): string {
  if (base.length <= MAX_ID) return base;
  return `${base.slice(0, MAX_ID - 17)}-${createHash('sha256').update(base).digest('hex').slice(0, 16)}`;
}

/** A deterministic follow-up id from `base` not used yet in this stream (`base`, then `base-2`, `base-3`, …). */
export function freeFollowUpId(care: CareState, base: string): string {
  let id = fitted(base);
  for (let n = 2; care.followUps[id] !== undefined; n++) id = fitted(`${base}-${n}`);
  return id;
}

const stillScheduled = (care: CareState, matches: (followUp: FollowUpSummary) => boolean): boolean =>
  Object.values(care.followUps).some((followUp) => followUp.status === 'scheduled' && matches(followUp));

function scheduled(state: CustomerState, base: string, reason: FollowUpReason, complaintId: string | null, dueAt: string, at: string): FollowUpScheduled {
  const data = { customerId: state.customerId as string, followUpId: freeFollowUpId(state.care, base), dueAt, reason, complaintId, assignee: null, occurredAt: at };
  return { type: 'FollowUpScheduled', data };
}

/** After a resolution at `resolvedAt`: a follow-up 3 days later, unless one for the complaint is still scheduled. `at`: when it is recorded. */
export function complaintFollowUp(state: CustomerState, complaintId: string, resolvedAt: string, at: string): FollowUpScheduled[] {
  if (stillScheduled(state.care, (followUp) => followUp.complaintId === complaintId)) return [];
  return [scheduled(state, `complaint-${complaintId}`, 'complaint', complaintId, addDays(resolvedAt, COMPLAINT_FOLLOW_UP_AFTER_DAYS), at)];
}

/** On entering at_risk at `at`: a win-back follow-up due at once, unless one is still scheduled. */
export function winBackFollowUp(state: CustomerState, at: string): FollowUpScheduled[] {
  if (state.customerId === null || stillScheduled(state.care, (followUp) => followUp.reason === 'win_back')) return [];
  return [scheduled(state, `win-back-${at.replace(/[^0-9]/g, '').slice(0, 14)}`, 'win_back', null, at, at)];
}
