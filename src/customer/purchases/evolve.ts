import type { Evolvers } from '../evolve-types';
import { later } from '../time';
import { purchaseFingerprint } from './state';

export const purchaseEvolvers: Evolvers<'PurchaseRecorded' | 'PointsEarned' | 'TierChanged'> = {
  PurchaseRecorded(state, { data }) {
    state.purchaseIndex[data.purchaseId] = state.purchases.length;
    state.purchases.push({ purchaseId: data.purchaseId, occurredAt: data.occurredAt, baseAmount: data.baseAmount, fingerprint: purchaseFingerprint(data), pointsEarned: 0 });
  },
  PointsEarned({ purchases, purchaseIndex, loyalty }, { data }) {
    const purchase = purchases[purchaseIndex[data.purchaseId]];
    if (purchase) purchase.pointsEarned += data.points;
    loyalty.balance += data.points;
    loyalty.lifetimeEarned += data.points;
    loyalty.lots.push({ lotId: data.purchaseId, points: data.points, expiresAt: data.expiresAt });
  },
  TierChanged({ loyalty }, { data }) {
    loyalty.tier = data.to;
    // A tier is never dated before the one it replaces.
    loyalty.tierSince = later(loyalty.tierSince, data.occurredAt);
  },
};
