/** loyalty_balances: points balance, lifetime totals, open lots and the next expiry, per customer. */
import { later } from '../src/customer/time';
import { defineProjection, type CustomerDocument } from './projection';

export interface LoyaltyBalance extends CustomerDocument {
  customerId: string;
  tier: string;
  tierSince: string | null;
  balance: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  nextExpiryAt: string | null;
  nextExpiryPoints: number | null;
  /** Open lots, first expiring first (nextExpiryAt is the first). */
  lots: { lotId: string; remaining: number; expiresAt: string }[];
}

export const loyaltyBalances = defineProjection<LoyaltyBalance>({
  name: 'loyalty_balances',
  version: 2,
  create: (event) => ({
    _id: event.data.customerId,
    customerId: event.data.customerId,
    tier: 'standard',
    tierSince: null,
    balance: 0,
    lifetimeEarned: 0,
    lifetimeRedeemed: 0,
    lifetimeExpired: 0,
    nextExpiryAt: null,
    nextExpiryPoints: null,
    lots: [],
    revision: -1,
  }),
  copy: (doc) => ({ ...doc, lots: [...doc.lots] }),
  on: {
    CustomerRegistered(doc, { data }) {
      doc.tierSince = doc.tierSince ?? data.occurredAt;
    },
    PointsEarned(doc, { data }) {
      doc.balance += data.points;
      doc.lifetimeEarned += data.points;
      doc.lots = [...doc.lots, { lotId: data.purchaseId, remaining: data.points, expiresAt: data.expiresAt }].sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0));
      doc.nextExpiryAt = doc.lots[0].expiresAt;
      doc.nextExpiryPoints = doc.lots.filter((lot) => lot.expiresAt === doc.nextExpiryAt).reduce((sum, lot) => sum + lot.remaining, 0);
    },
    TierChanged(doc, { data }) {
      doc.tier = data.to;
      doc.tierSince = later(doc.tierSince, data.occurredAt);
    },
  },
});
