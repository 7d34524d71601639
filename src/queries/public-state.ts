/** What `/state` answers: a documented view of a folded customer, not the fold's internals (fingerprints, indexes). */
import type { CustomerState } from '../customer/state';

export function publicState(state: CustomerState) {
  return {
    registered: state.registered,
    registeredAt: state.registeredAt,
    /** The latest business time recorded (the customer's clock). */
    clock: state.clock,
    profile: state.profile,
    /** The latest answer per channel and purpose: {granted, source, changedAt}. */
    consents: state.consents,
    tier: state.loyalty.tier,
    tierSince: state.loyalty.tierSince,
    stage: state.lifecycle.stage,
    stageSince: state.lifecycle.stageSince,
    points: { balance: state.loyalty.balance, lifetimeEarned: state.loyalty.lifetimeEarned, lots: state.loyalty.lots },
    visits: { count: state.care.visits.count, lastVisitAt: state.care.visits.lastVisitAt },
    purchases: state.purchases.map(({ purchaseId, occurredAt, baseAmount, pointsEarned }) => ({ purchaseId, occurredAt, baseAmount, pointsEarned })),
    complaints: Object.values(state.care.complaints).map(({ complaintId, severity, status, filedAt, resolvedAt, dueAt, breached, assignee, reopenCount }) => ({
      complaintId, severity, status, filedAt, resolvedAt, dueAt, slaBreached: breached, assignee, reopenCount,
    })),
    followUps: Object.values(state.care.followUps).map(({ followUpId, reason, complaintId, status, dueAt }) => ({ followUpId, reason, complaintId, status, dueAt })),
    surveys: { count: Object.keys(state.care.surveys).length },
    /** Who referred the customer and the purchase that qualified it; as a referrer, the customers rewarded for (by id → qualifying purchase). */
    referral: { referrerId: state.referral.referrerId, referredAt: state.referral.referredAt, qualifiedBy: state.referral.qualifiedBy, rewarded: { ...state.referral.rewarded } },
  };
}

export type PublicState = ReturnType<typeof publicState>;
