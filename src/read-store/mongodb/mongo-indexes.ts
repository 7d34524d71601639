/**
 * The indexes analysts' filters need, per read model: one per queryable field declared on the
 * projection definitions (the same fields the SQLite store indexes), plus their compound groups.
 * Created idempotently, per collection version.
 */
import type { IndexDescription } from 'mongodb';
import { queryablesOf } from '../queryable-fields';

/**
 * Indexes created before the fields were declared keep their name and direction: createIndexes
 * refuses the same key under another name (85) and another key under the same name (86).
 */
const EXISTING: Record<string, { name: string; direction: 1 | -1 }> = {
  'customer_profiles:stage': { name: 'stage', direction: 1 },
  'customer_profiles:stats.lastPurchaseAt': { name: 'last_purchase', direction: -1 },
  'customer_profiles:registeredAt': { name: 'registered', direction: -1 },
  'customer_profiles:outletId': { name: 'outlet', direction: 1 },
  'customer_lifecycle:stage': { name: 'stage', direction: 1 },
  'customer_lifecycle:lastPurchaseAt': { name: 'last_purchase', direction: -1 },
  'loyalty_balances:tier': { name: 'tier', direction: 1 },
  'loyalty_balances:nextExpiryAt': { name: 'next_expiry', direction: 1 },
};

/** `customer_profiles_v3` → the indexes of customer_profiles; unknown collections get none. */
export function indexesFor(collection: string): IndexDescription[] {
  const queryables = queryablesOf(collection);
  if (!queryables) return [];
  const compound = queryables.compound.map((paths): IndexDescription => ({ key: Object.fromEntries(paths.map((path) => [path, 1])), name: paths.join('_') }));
  // A field leading a compound index needs no index of its own.
  const leading = new Set(queryables.compound.map((paths) => paths[0]));
  const single = queryables.fields
    .filter((field) => !leading.has(field.path))
    .map(({ path }): IndexDescription => {
      const existing = EXISTING[`${queryables.base}:${path}`];
      return { key: { [path]: existing?.direction ?? 1 }, name: existing?.name ?? path.replace(/\./g, '_') };
    });
  return [...compound, ...single];
}
