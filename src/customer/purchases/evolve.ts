import type { Evolvers } from '../evolve-types';
import { later } from '../time';
import { applyTakes, openLot } from './lots';
import { contentFingerprint, purchaseFingerprint } from './state';
import { reviewAfter } from './tiers';

type LoyaltyEvents = 'PurchaseRecorded' | 'PurchaseRefunded' | 'PointsEarned' | 'PointsRedeemed' | 'PointsExpired' | 'PointsReversed' | 'PointsAdjusted' | 'TierChanged' | 'TierReviewed';

export const purchaseEvolvers: Evolvers<LoyaltyEvents> = {
  PurchaseRecorded(state, { data }) {
    state.purchaseIndex[data.purchaseId] = state.purchases.length;
    state.purchases.push({
      purchaseId: data.purchaseId,
      occurredAt: data.occurredAt,
      amount: data.amount,
      currency: data.currency,
      exchangeRate: data.exchangeRate,
      baseAmount: data.baseAmount,
      refundedAmount: 0,
      refundedBase: 0,
      pointsEarned: 0,
      pointsReversed: 0,
      fingerprint: purchaseFingerprint(data),
    });
  },
  PurchaseRefunded({ purchases, purchaseIndex, loyalty }, { data }) {
    const purchase = purchases[purchaseIndex[data.purchaseId] ?? -1];
    if (purchase) {
      purchase.refundedAmount += data.amount;
      purchase.refundedBase += data.baseAmount;
    }
    loyalty.refunds[data.refundId] = { fingerprint: contentFingerprint({ purchaseId: data.purchaseId, amount: data.amount, reason: data.reason }), pointsReversed: 0, unrecovered: 0 };
  },
  PointsEarned({ purchases, purchaseIndex, loyalty }, { data }) {
    const purchase = purchases[purchaseIndex[data.purchaseId] ?? -1];
    if (purchase) purchase.pointsEarned += data.points;
    loyalty.lifetimeEarned += data.points;
    openLot(loyalty, { lotId: data.purchaseId, remaining: data.points, expiresAt: data.expiresAt });
  },
  PointsRedeemed({ loyalty }, { data }) {
    applyTakes(loyalty, data.lots);
    loyalty.lifetimeRedeemed += data.points;
    loyalty.redemptions[data.redemptionId] = contentFingerprint({ points: data.points, reason: data.reason, outletId: data.outletId });
  },
  PointsExpired({ loyalty }, { data }) {
    applyTakes(loyalty, [{ lotId: data.lotId, points: data.points }]);
    loyalty.lifetimeExpired += data.points;
  },
  PointsReversed({ purchases, purchaseIndex, loyalty }, { data }) {
    const purchase = purchases[purchaseIndex[data.purchaseId] ?? -1];
    // The target counts what was owed, recovered or not: a later refund never asks for it again.
    if (purchase) purchase.pointsReversed += data.points + data.unrecovered;
    const refund = loyalty.refunds[data.refundId];
    if (refund) Object.assign(refund, { pointsReversed: data.points, unrecovered: data.unrecovered });
    applyTakes(loyalty, data.lots);
    loyalty.lifetimeReversed += data.points;
  },
  PointsAdjusted({ loyalty }, { data }) {
    loyalty.adjustments[data.adjustmentId] = contentFingerprint({ points: data.points, reason: data.reason });
    if (data.points > 0 && data.lotId !== null && data.expiresAt !== null) {
      openLot(loyalty, { lotId: data.lotId, remaining: data.points, expiresAt: data.expiresAt });
      loyalty.lifetimeAdjustedUp += data.points;
    } else {
      applyTakes(loyalty, data.lots);
      loyalty.lifetimeAdjustedDown += -data.points;
    }
  },
  TierChanged({ loyalty }, { data }) {
    loyalty.tier = data.to;
    // A tier is never dated before the one it replaces.
    loyalty.tierSince = later(loyalty.tierSince, data.occurredAt);
    loyalty.tierLockedUntil = data.trigger === 'manual' ? data.lockedUntil : loyalty.tierLockedUntil;
    loyalty.nextReviewAt = reviewAfter(data.to, loyalty.tierSince);
  },
  TierReviewed({ loyalty }, { data }) {
    loyalty.nextReviewAt = data.nextReviewAt;
  },
};
