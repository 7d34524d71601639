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
  // The worklists filter on these and sort by dueAt, _id; the analytics select by filedAt.
  complaints: [
    { key: { dueAt: 1, _id: 1 }, name: 'due' },
    { key: { status: 1, dueAt: 1, _id: 1 }, name: 'status_due' },
    { key: { severity: 1, dueAt: 1, _id: 1 }, name: 'severity_due' },
    { key: { assignee: 1, dueAt: 1, _id: 1 }, name: 'assignee_due' },
    { key: { customerId: 1, dueAt: 1, _id: 1 }, name: 'customer_due' },
    { key: { filedAt: 1 }, name: 'filed' },
  ],
  follow_ups: [
    { key: { dueAt: 1, _id: 1 }, name: 'due' },
    { key: { status: 1, dueAt: 1, _id: 1 }, name: 'status_due' },
    { key: { reason: 1, dueAt: 1, _id: 1 }, name: 'reason_due' },
    { key: { assignee: 1, dueAt: 1, _id: 1 }, name: 'assignee_due' },
    { key: { customerId: 1, dueAt: 1, _id: 1 }, name: 'customer_due' },
  ],
  purchases: [
    { key: { occurredAt: 1 }, name: 'occurred' },
    { key: { outletId: 1, occurredAt: 1 }, name: 'outlet_occurred' },
  ],
};

/** `customer_profiles_v3` → the indexes of customer_profiles; unknown collections get none. */
export function indexesFor(collection: string): IndexDescription[] {
  return INDEXES[collection.replace(/_v\d+$/, '')] ?? [];
}
