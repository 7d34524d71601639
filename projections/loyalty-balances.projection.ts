/** loyalty_balances: the points ledger (balance, open lots, lifetime totals) and the tier, per customer. */
import { SPEND_WINDOW_DAYS } from '../src/customer/policies/tiers';
import { DAY_MS, later, toMs } from '../src/customer/time';
import type { LotTake } from '../src/customer/events';
import { byExpiry } from '../src/customer/purchases/lots';
import type { PointsLot } from '../src/customer/purchases/state';
import { reviewAfter } from '../src/customer/purchases/tiers';
import { defineProjection, listWeight, type CustomerDocument } from './projection';

export interface LoyaltyBalance extends CustomerDocument {
  customerId: string;
  tier: string;
  tierSince: string | null;
  tierLockedUntil: string | null;
  nextReviewAt: string | null;
  balance: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  lifetimeReversed: number;
  /** Net of positive and negative adjustments. */
  lifetimeAdjusted: number;
  /** The first open lot's expiry and what expires then (expired lots leave when evaluation records them). */
  nextExpiryAt: string | null;
  nextExpiryPoints: number | null;
  /** Open lots, first expiring first (the domain's order). */
  lots: PointsLot[];
  /** Net base spend of the 12 months up to `asOf` (minor units of the base currency). */
  rollingSpend: number;
  /** The business time `rollingSpend` holds for: the latest event applied. */
  asOf: string | null;
  /** Purchases inside the spend window of `asOf`, net of refunds (what rollingSpend sums). */
  recentPurchases: { purchaseId: string; at: string; net: number }[];
}

function take(doc: LoyaltyBalance, taken: readonly LotTake[]): void {
  for (const { lotId, points } of taken) {
    const index = doc.lots.findIndex((lot) => lot.lotId === lotId);
    if (index >= 0) doc.lots[index] = { ...doc.lots[index], remaining: doc.lots[index].remaining - points };
    doc.balance -= points;
  }
  doc.lots = doc.lots.filter((lot) => lot.remaining > 0);
}

function open(doc: LoyaltyBalance, lot: PointsLot): void {
  doc.lots = [...doc.lots, lot].sort(byExpiry);
  doc.balance += lot.remaining;
}

/** Moves `asOf` forward and recomputes what depends on it and on the lots. */
function settle(doc: LoyaltyBalance, at: string): void {
  doc.asOf = later(doc.asOf, at);
  const windowStart = toMs(doc.asOf) - SPEND_WINDOW_DAYS * DAY_MS;
  doc.recentPurchases = doc.recentPurchases.filter((purchase) => toMs(purchase.at) > windowStart);
  doc.rollingSpend = doc.recentPurchases.filter((purchase) => purchase.at <= (doc.asOf as string)).reduce((sum, purchase) => sum + purchase.net, 0);
  doc.nextExpiryAt = doc.lots[0]?.expiresAt ?? null;
  doc.nextExpiryPoints = doc.nextExpiryAt === null ? null : doc.lots.filter((lot) => lot.expiresAt === doc.nextExpiryAt).reduce((sum, lot) => sum + lot.remaining, 0);
}

export const loyaltyBalances = defineProjection<LoyaltyBalance>({
  name: 'loyalty_balances',
  version: 2,
  queryable: [{ path: 'tier', type: 'string' }, { path: 'balance', type: 'number' }, { path: 'nextExpiryAt', type: 'string' }],
  create: (event) => ({
    _id: event.data.customerId,
    customerId: event.data.customerId,
    tier: 'standard',
    tierSince: null,
    tierLockedUntil: null,
    nextReviewAt: null,
    balance: 0,
    lifetimeEarned: 0,
    lifetimeRedeemed: 0,
    lifetimeExpired: 0,
    lifetimeReversed: 0,
    lifetimeAdjusted: 0,
    nextExpiryAt: null,
    nextExpiryPoints: null,
    lots: [],
    rollingSpend: 0,
    asOf: null,
    recentPurchases: [],
    revision: -1,
  }),
  copy: (doc) => ({ ...doc, lots: [...doc.lots], recentPurchases: [...doc.recentPurchases] }),
  cacheWeight: (doc) => listWeight(doc.lots.length, doc.recentPurchases.length),
  on: {
    CustomerRegistered(doc, { data }) {
      doc.tierSince = doc.tierSince ?? data.occurredAt;
      settle(doc, data.occurredAt);
    },
    PurchaseRecorded(doc, { data }) {
      doc.recentPurchases = [...doc.recentPurchases, { purchaseId: data.purchaseId, at: data.occurredAt, net: data.baseAmount }];
      settle(doc, data.occurredAt);
    },
    PurchaseRefunded(doc, { data }) {
      doc.recentPurchases = doc.recentPurchases.map((purchase) => (purchase.purchaseId === data.purchaseId ? { ...purchase, net: purchase.net - data.baseAmount } : purchase));
      settle(doc, data.occurredAt);
    },
    PointsEarned(doc, { data }) {
      doc.lifetimeEarned += data.points;
      open(doc, { lotId: data.purchaseId, remaining: data.points, expiresAt: data.expiresAt });
      settle(doc, data.occurredAt);
    },
    PointsRedeemed(doc, { data }) {
      doc.lifetimeRedeemed += data.points;
      take(doc, data.lots);
      settle(doc, data.occurredAt);
    },
    PointsExpired(doc, { data }) {
      doc.lifetimeExpired += data.points;
      take(doc, [{ lotId: data.lotId, points: data.points }]);
      settle(doc, data.occurredAt);
    },
    PointsReversed(doc, { data }) {
      doc.lifetimeReversed += data.points;
      take(doc, data.lots);
      settle(doc, data.occurredAt);
    },
    PointsAdjusted(doc, { data }) {
      doc.lifetimeAdjusted += data.points;
      if (data.lotId !== null && data.expiresAt !== null) open(doc, { lotId: data.lotId, remaining: data.points, expiresAt: data.expiresAt });
      else take(doc, data.lots);
      settle(doc, data.occurredAt);
    },
    // A referral reward is a lot of its own, earned like a purchase's (new event type: no document holds one yet, so no rebuild).
    ReferralRewarded(doc, { data }) {
      doc.lifetimeEarned += data.points;
      open(doc, { lotId: data.lotId, remaining: data.points, expiresAt: data.expiresAt });
      settle(doc, data.occurredAt);
    },
    TierChanged(doc, { data }) {
      doc.tier = data.to;
      doc.tierSince = later(doc.tierSince, data.occurredAt);
      if (data.trigger === 'manual') doc.tierLockedUntil = data.lockedUntil;
      doc.nextReviewAt = reviewAfter(data.to, doc.tierSince);
      settle(doc, data.occurredAt);
    },
    TierReviewed(doc, { data }) {
      doc.nextReviewAt = data.nextReviewAt;
      settle(doc, data.occurredAt);
    },
  },
});
