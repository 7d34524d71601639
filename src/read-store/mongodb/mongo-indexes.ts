/** The indexes analysts' typical filters need, per read model (created idempotently, per collection version). */
import type { IndexDescription } from 'mongodb';

const INDEXES: Record<string, IndexDescription[]> = {
  customer_profiles: [
    { key: { tier: 1, stage: 1 }, name: 'tier_stage' },
    { key: { stage: 1 }, name: 'stage' },
    { key: { 'stats.lastPurchaseAt': -1 }, name: 'last_purchase' },
    { key: { registeredAt: -1 }, name: 'registered' },
    { key: { outletId: 1 }, name: 'outlet' },
  ],
  customer_lifecycle: [
    { key: { stage: 1 }, name: 'stage' },
    { key: { lastPurchaseAt: -1 }, name: 'last_purchase' },
  ],
  loyalty_balances: [
    { key: { tier: 1 }, name: 'tier' },
    { key: { nextExpiryAt: 1 }, name: 'next_expiry' },
  ],
};

/** `customer_profiles_v3` → the indexes of customer_profiles; unknown collections get none. */
export function indexesFor(collection: string): IndexDescription[] {
  return INDEXES[collection.replace(/_v\d+$/, '')] ?? [];
}
