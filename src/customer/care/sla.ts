/** The complaint SLA as a due kind: a complaint still open at its `dueAt` breaches, once per opening. */
import type { DueKind } from '../due';
import type { CustomerState } from '../state';
import { toIso, toMs } from '../time';
import type { ComplaintSlaBreached } from './events';
import { isOpen, type ComplaintSummary } from './state';

/**
 * When a complaint's breach is recorded: at its `dueAt`, or at the customer's clock when the
 * complaint arrived after its `dueAt` had passed (history already recorded is never contradicted).
 */
const breachAt = (state: CustomerState, complaint: ComplaintSummary): number => Math.max(toMs(complaint.dueAt), state.clock === null ? 0 : toMs(state.clock));

const breachable = (state: CustomerState): ComplaintSummary[] => Object.values(state.care.complaints).filter((complaint) => isOpen(complaint) && !complaint.breached);

export const breach = (state: CustomerState, complaint: ComplaintSummary, at: string): ComplaintSlaBreached => ({
  type: 'ComplaintSlaBreached',
  data: { customerId: state.customerId as string, complaintId: complaint.complaintId, dueAt: complaint.dueAt, occurredAt: at },
});

export const complaintSlaDue: DueKind = {
  name: 'complaint-sla',
  next(state) {
    let earliest: number | null = null;
    for (const complaint of breachable(state)) {
      const at = breachAt(state, complaint);
      if (earliest === null || at < earliest) earliest = at;
    }
    return earliest;
  },
  fire(state, at) {
    return breachable(state)
      .filter((complaint) => breachAt(state, complaint) === at)
      .sort((a, b) => (a.complaintId < b.complaintId ? -1 : 1))
      .map((complaint) => breach(state, complaint, toIso(at)));
  },
};
