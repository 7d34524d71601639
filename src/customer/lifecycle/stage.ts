/** The stage changes a customer's purchases and inactivity bring, as a consequence and as a due kind. */
import { winBackFollowUp } from '../care/follow-ups';
import type { DueKind } from '../due';
import type { CustomerEvent } from '../events';
import { LAPSED_STAGES, stageAsOf, timeDrivenChangePoints } from '../policies/lifecycle';
import type { CustomerState } from '../state';
import { toIso, toMs } from '../time';

const purchaseTimes = (state: CustomerState, facts: readonly CustomerEvent[] = []): number[] => [
  ...state.purchases.map((purchase) => toMs(purchase.occurredAt)),
  ...facts.flatMap((event) => (event.type === 'PurchaseRecorded' ? [toMs(event.data.occurredAt)] : [])),
];

/** After a command's facts: the stage as of the customer's clock, if it differs (a late purchase included). */
export function stageChange(state: CustomerState, facts: readonly CustomerEvent[], at: string): CustomerEvent[] {
  if (state.customerId === null || !facts.some((event) => event.type === 'PurchaseRecorded')) return [];
  const from = state.lifecycle.stage;
  const to = stageAsOf(purchaseTimes(state, facts), toMs(at));
  if (to === from) return [];
  const reason = LAPSED_STAGES.includes(from) && !LAPSED_STAGES.includes(to) ? 'won_back' : 'purchase';
  return [{ type: 'LifecycleStageChanged', data: { customerId: state.customerId, from, to, reason, occurredAt: at } }];
}

/** Inactivity (at risk, churned) and purchases leaving the loyalty window, dated at the instant the threshold passed. */
export const stageDue: DueKind = {
  name: 'lifecycle-stage',
  next(state) {
    if (state.clock === null || state.purchases.length === 0) return null;
    const times = purchaseTimes(state);
    // From the clock itself: another kind's item at this very instant may have moved the clock here first.
    for (const at of timeDrivenChangePoints(times, toMs(state.clock) - 1, Number.POSITIVE_INFINITY)) if (stageAsOf(times, at) !== state.lifecycle.stage) return at;
    return null;
  },
  fire(state, at) {
    const to = stageAsOf(purchaseTimes(state), at);
    const changed: CustomerEvent = { type: 'LifecycleStageChanged', data: { customerId: state.customerId as string, from: state.lifecycle.stage, to, reason: 'inactivity', occurredAt: toIso(at) } };
    return [changed, ...(to === 'at_risk' ? winBackFollowUp(state, toIso(at)) : [])];
  },
};
