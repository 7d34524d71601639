/**
 * The fields analysts query, per read model: declared once on each projection definition and
 * read here by both read stores (SQLite key columns and their indexes + query planner, MongoDB indexes).
 */
import { PROJECTIONS } from '../../projections';
import type { QueryableField } from '../../projections/projection';

export type { QueryableField };

export interface CollectionQueryables {
  /** The projection name, e.g. `customer_profiles` for `customer_profiles_v3`. */
  base: string;
  fields: readonly QueryableField[];
  compound: readonly (readonly string[])[];
}

const BY_NAME = new Map<string, CollectionQueryables>(
  PROJECTIONS.map((projection) => [projection.name, { base: projection.name, fields: projection.queryable ?? [], compound: projection.compoundIndexes ?? [] }]),
);

/** The projection a collection belongs to: `customer_profiles_v3` → customer_profiles. */
export const baseCollection = (collection: string): string => collection.replace(/_v\d+$/, '');

/** Declared fields of a collection (every version of it); none for a collection no projection owns. */
export function queryablesOf(collection: string): CollectionQueryables | null {
  return BY_NAME.get(baseCollection(collection)) ?? null;
}

/** Every projection's declarations (the SQLite store creates its indexes from them). */
export function allQueryables(): CollectionQueryables[] {
  return [...BY_NAME.values()];
}
