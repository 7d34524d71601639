/** loyalty_balances: points balance, lifetime totals and the next expiry, per customer (API.md). */
import type { CustomerDocument, ProjectionDefinition } from './projection';

export interface LoyaltyBalance extends CustomerDocument {
  tier: string;
  balance: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  nextExpiryAt: string | null;
  /** Unspent lots, oldest expiry first (nextExpiryAt is the first). */
  lots: { purchaseId: string; points: number; expiresAt: string }[];
}

export const loyaltyBalances: ProjectionDefinition<LoyaltyBalance> = {
  name: 'loyalty_balances',
  version: 1,
  queryable: [{ path: 'tier', type: 'string' }, { path: 'balance', type: 'number' }, { path: 'nextExpiryAt', type: 'string' }],
  handles: ['CustomerRegistered', 'PointsEarned', 'TierChanged'],
  documentId: (event) => event.data.customerId,
  apply(current, event) {
    const doc: LoyaltyBalance = current
      ? { ...current }
      : { _id: event.data.customerId, tier: 'standard', balance: 0, lifetimeEarned: 0, lifetimeRedeemed: 0, lifetimeExpired: 0, nextExpiryAt: null, lots: [], revision: -1 };
    switch (event.type) {
      case 'CustomerRegistered':
        break;
      case 'PointsEarned': {
        const { purchaseId, points, expiresAt } = event.data;
        doc.balance += points;
        doc.lifetimeEarned += points;
        doc.lots = [...doc.lots, { purchaseId, points, expiresAt }].sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0));
        doc.nextExpiryAt = doc.lots[0].expiresAt;
        break;
      }
      case 'TierChanged':
        doc.tier = event.data.to;
        break;
      default:
        return current;
    }
    doc.revision = event.revision;
    return doc;
  },
};
