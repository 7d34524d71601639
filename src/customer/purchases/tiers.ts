/** Tiers: upgrades inside a purchase, manual changes that lock, and the anniversary review (a due kind). */
import type { DueKind } from '../due';
import { invalid } from '../errors';
import type { CustomerEvent } from '../events';
import type { Deciders } from '../evolve-types';
import { isReviewed, isTier, MANUAL_LOCK_DAYS, TIER_REVIEW_DAYS, tierBelow, tierForSpend, tierRank } from '../policies/tiers';
import { SPEND_WINDOW_DAYS } from '../policies/tiers';
import { consequenceTime, type CustomerState } from '../state';
import { addDays, DAY_MS, toIso, toMs } from '../time';
import type { PurchaseRecorded, PurchaseRefunded } from './events';

/** Net base spend (minor units) of the purchases in the window ending at `asOf`, refunds counted against their purchase's date. */
export function rollingSpend(state: CustomerState, asOf: number, extra: readonly PurchaseRecorded['data'][] = [], refunds: readonly PurchaseRefunded['data'][] = []): number {
  let spend = 0;
  const inWindow = (occurredAt: string) => {
    const age = asOf - toMs(occurredAt);
    return age >= 0 && age < SPEND_WINDOW_DAYS * DAY_MS;
  };
  for (const purchase of state.purchases) if (inWindow(purchase.occurredAt)) spend += purchase.baseAmount - purchase.refundedBase;
  for (const purchase of extra) if (inWindow(purchase.occurredAt)) spend += purchase.baseAmount;
  for (const refund of refunds) {
    const purchase = state.purchases[state.purchaseIndex[refund.purchaseId] ?? -1];
    if (purchase && inWindow(purchase.occurredAt)) spend -= refund.baseAmount;
  }
  return spend;
}

const isLocked = (state: CustomerState, at: string): boolean => state.loyalty.tierLockedUntil !== null && at < state.loyalty.tierLockedUntil;

export const tierDeciders: Deciders<'ChangeTier'> = {
  ChangeTier({ data }, state) {
    if (!isTier(data.tier)) throw invalid('tier', 'tier must be one of standard, silver, gold');
    if (!data.reason.trim()) throw invalid('reason', 'a manual tier change needs a reason');
    if (data.tier === state.loyalty.tier) return [];
    const at = consequenceTime(state, data.occurredAt);
    const lockedUntil = data.lockedUntil ?? addDays(at, MANUAL_LOCK_DAYS);
    if (lockedUntil <= at) throw invalid('lockedUntil', 'lockedUntil must lie after the change');
    return [{ type: 'TierChanged', data: { customerId: data.customerId, from: state.loyalty.tier, to: data.tier, reason: data.reason, trigger: 'manual', rollingSpend: null, lockedUntil, occurredAt: at } }];
  },
};

/** After a purchase: the upgrade its rolling spend qualifies for, unless the tier is locked. */
export function tierUpgrade(state: CustomerState, facts: readonly CustomerEvent[], at: string): CustomerEvent[] {
  const bought = facts.filter((event): event is PurchaseRecorded => event.type === 'PurchaseRecorded').map((event) => event.data);
  if (bought.length === 0 || state.customerId === null || isLocked(state, at)) return [];
  const spend = rollingSpend(state, toMs(at), bought);
  const earned = tierForSpend(spend);
  const from = state.loyalty.tier;
  if (tierRank(earned) <= tierRank(from)) return [];
  return [{ type: 'TierChanged', data: { customerId: state.customerId, from, to: earned, reason: 'rolling 12-month spend reached the threshold', trigger: 'spend', rollingSpend: spend, lockedUntil: null, occurredAt: at } }];
}

/** silver and gold on their anniversary: down one level when the spend qualifies lower (and the tier is not locked), else kept. */
export const tierReviewDue: DueKind = {
  name: 'tier-review',
  next: (state) => (state.loyalty.nextReviewAt === null ? null : toMs(state.loyalty.nextReviewAt)),
  fire(state, at) {
    const customerId = state.customerId as string;
    const occurredAt = toIso(at);
    const tier = state.loyalty.tier;
    const spend = rollingSpend(state, at);
    const qualifies = tierForSpend(spend);
    if (tierRank(qualifies) < tierRank(tier) && !isLocked(state, occurredAt))
      return [{ type: 'TierChanged', data: { customerId, from: tier, to: tierBelow(tier), reason: 'anniversary review: rolling 12-month spend below the threshold', trigger: 'review', rollingSpend: spend, lockedUntil: null, occurredAt } }];
    return [{ type: 'TierReviewed', data: { customerId, tier, rollingSpend: spend, nextReviewAt: addDays(occurredAt, TIER_REVIEW_DAYS), occurredAt } }];
  },
};

/** When a tier held from `since` is next reviewed. */
export const reviewAfter = (tier: CustomerState['loyalty']['tier'], since: string): string | null => (isReviewed(tier) ? addDays(since, TIER_REVIEW_DAYS) : null);
