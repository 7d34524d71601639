/** evolve(state, event) → state. Total over the event union; no I/O, no clock. */
import type { CustomerEvent } from './events';
import { fingerprintOf } from './fingerprints';
import { initialState, type CustomerState } from './state';

/**
 * Folds one event into `state` and returns it. The state is owned by the fold and updated in
 * place, so folding a 10k-event stream stays linear; callers start from `initialState()`.
 */
export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  const at = event.data.occurredAt;
  if (state.clock === null || at > state.clock) state.clock = at;
  switch (event.type) {
    case 'CustomerRegistered': {
      const { customerId, name, email, phone, address, outletId, preferences } = event.data;
      Object.assign(state, { registered: true, customerId, name, email, phone, address, outletId, preferences, registeredAt: at, tierSince: at });
      return state;
    }
    case 'CustomerVisited':
      state.visits.count++;
      if (state.visits.lastVisitAt === null || at > state.visits.lastVisitAt) state.visits.lastVisitAt = at;
      state.visits.fingerprints[event.data.visitId] = fingerprintOf.visit(event.data);
      return state;
    case 'ComplaintFiled':
      state.complaints[event.data.complaintId] = {
        complaintId: event.data.complaintId,
        severity: event.data.severity,
        status: 'open',
        filedAt: at,
        resolvedAt: null,
        fingerprint: fingerprintOf.complaint(event.data),
      };
      return state;
    case 'ComplaintResolved': {
      const complaint = state.complaints[event.data.complaintId];
      if (complaint) Object.assign(complaint, { status: 'resolved', resolvedAt: at });
      return state;
    }
    case 'PurchaseRecorded': {
      const { purchaseId, amount, currency } = event.data;
      state.purchaseIndex[purchaseId] = state.purchases.length;
      state.purchases.push({ purchaseId, amount, currency, occurredAt: at, fingerprint: fingerprintOf.purchase(event.data), pointsEarned: 0 });
      if (state.stageCheckedAt === null || at > state.stageCheckedAt) state.stageCheckedAt = at;
      return state;
    }
    case 'PointsEarned': {
      const { purchaseId, points, expiresAt } = event.data;
      const purchase = state.purchases[state.purchaseIndex[purchaseId]];
      if (purchase) purchase.pointsEarned += points;
      state.points.balance += points;
      state.points.lifetimeEarned += points;
      state.points.lots.push({ purchaseId, points, earnedAt: at, expiresAt });
      return state;
    }
    case 'TierChanged':
      state.tier = event.data.to;
      state.tierSince = at;
      return state;
    case 'LifecycleStageChanged':
      state.stage = event.data.to;
      state.stageSince = at;
      if (state.stageCheckedAt === null || at > state.stageCheckedAt) state.stageCheckedAt = at;
      return state;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event type ${(unknown as { type: string }).type}`);
    }
  }
}

/** The state after all `events`, from scratch. */
export const fold = (events: Iterable<CustomerEvent>): CustomerState => {
  let state = initialState();
  for (const event of events) state = evolve(state, event);
  return state;
};
