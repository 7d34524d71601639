/**
 * Query planning for the embedded read store: the part of a MongoDB filter that the key columns'
 * indexes can answer becomes SQL selecting a *superset* of the matching documents; mingo then
 * applies the whole filter to those candidates, so results are exactly the filter's. Only terms
 * on declared fields (queryable-fields.ts) whose operand has the field's declared type are pushed
 * down: `{"stats.totalSpent": "100"}` is left to mingo, which compares types as MongoDB does.
 */
import type { Filter, Sort } from '../read-model-store.port';
import { queryablesOf, type CollectionQueryables } from '../queryable-fields';
import { documentsTable, keyColumn } from './read-model-schema';

/** The SQL one queryable field is read by (its key column); indexes and queries must spell it the same way. */
export const fieldExpression = (path: string): string => (path === '_id' ? 'id' : keyColumn(path));

const SAFE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SAFE_BASE = /^[a-z_][a-z0-9_]*$/;

/** The table of a projection's collections (every version of it). */
export const projectionTable = (base: string): string => `docs_${base}`;

/**
 * The table a collection's documents are in: its projection's own for a version of a projection's
 * collection (`customer_profiles_v3` → docs_customer_profiles), `documents` for any other.
 */
export const tableOf = (collection: string): string => tableFor(declaredFor(collection));

/** The declarations of a version of a projection's collection; null for any other collection (unversioned names included). */
const declaredFor = (collection: string): CollectionQueryables | null => (/_v\d+$/.test(collection) ? queryablesOf(collection) : null);
const tableFor = (queryables: CollectionQueryables | null): string => (queryables ? projectionTable(queryables.base) : 'documents');

/** The key columns of the table a collection's documents are in (none for `documents`). */
export const keyPathsOf = (collection: string): readonly string[] => keyPaths(declaredFor(collection));

/** The paths a projection's table keeps in key columns: its declared scalar fields and every field of its compound groups. */
function keyPaths(queryables: Pick<CollectionQueryables, 'fields' | 'compound'> | null): string[] {
  if (!queryables) return [];
  return [...new Set([...queryables.fields.filter((field) => field.type !== 'array').map((field) => field.path), ...queryables.compound.flat()])];
}

export interface TableLayout {
  table: string;
  /** The paths of its key columns (keyColumn), in column order. */
  keyPaths: readonly string[];
  /** CREATE TABLE IF NOT EXISTS, key columns included. */
  create: string;
  /** The indexes of its declared fields and compound groups: (collection, key column…, id). */
  indexes: string[];
}

/** Each projection's table: its key columns and their indexes. */
export function tableLayouts(declarations: readonly Pick<CollectionQueryables, 'base' | 'fields' | 'compound'>[]): TableLayout[] {
  return declarations.map((declaration) => {
    const { base, fields, compound } = declaration;
    if (!SAFE_BASE.test(base)) throw new Error(`collection name ${base} cannot be indexed`);
    const table = projectionTable(base);
    const paths = keyPaths(declaration);
    for (const path of paths) if (!SAFE_PATH.test(path)) throw new Error(`field ${path} cannot be indexed`);
    const groups = [...compound.map((group) => [...group]), ...fields.filter((f) => f.type !== 'array').map((f) => [f.path])];
    const indexes = groups.map((group) => {
      const name = `${table}__${group.map((p) => p.replace(/\./g, '_')).join('__')}`;
      return `CREATE INDEX IF NOT EXISTS ${name} ON ${table} (collection, ${group.map(fieldExpression).join(', ')}, id)`;
    });
    return { table, keyPaths: paths, create: documentsTable(table, paths), indexes };
  });
}

export interface SqlPlan {
  /** The table the collection's documents are in (tableOf). */
  table: string;
  /** WHERE clause (starting with the collection) and its parameters. */
  where: string;
  params: unknown[];
  /** ORDER BY clause: the sort pushed down with `id` breaking ties, or `id` alone when there is no sort. */
  orderBy: string;
  /** The SQL selects exactly the filter's documents: no mingo pass needed, LIMIT/OFFSET may go to SQL. */
  exact: boolean;
  /** Some part of the filter went to SQL. */
  pushed: boolean;
  /** The SQL order is the requested sort (or there is none); otherwise matches must be sorted after filtering. */
  sortPushed: boolean;
  /** The filter has a regular expression: it only runs in a worker, under the time limit. */
  hasRegex: boolean;
  /** Declared scalar fields of the collection, for countBy. */
  scalar: ReadonlyMap<string, 'string' | 'number'>;
  /** The collection is a version of a projection's: its declared fields have indexes. */
  indexed: boolean;
}

type Scalar = 'string' | 'number';

export function planQuery(collection: string, filter: Filter | undefined, sort: Sort | undefined): SqlPlan {
  const queryables = declaredFor(collection);
  const scalar = new Map<string, Scalar>([['_id', 'string']]);
  for (const field of queryables?.fields ?? []) if (field.type !== 'array') scalar.set(field.path, field.type);
  const indexed = queryables !== null;
  // Outside a projection's table only _id can be pushed down (the unique index).
  if (!indexed) for (const path of [...scalar.keys()]) if (path !== '_id') scalar.delete(path);

  const terms: string[] = ['collection = ?'];
  const params: unknown[] = [collection];
  const state = { exact: true, pushed: false };
  if (filter) pushObject(filter, scalar, terms, params, state);

  let orderBy = 'id';
  let sortPushed = true;
  const sortEntries = Object.entries(sort ?? {});
  if (sortEntries.length > 0) {
    if (sortEntries.every(([path]) => scalar.has(path))) {
      const parts = sortEntries.map(([path, direction]) => `${fieldExpression(path)} ${direction === -1 ? 'DESC' : 'ASC'}`);
      if (!sortEntries.some(([path]) => path === '_id')) parts.push('id ASC');
      orderBy = parts.join(', ');
    } else sortPushed = false;
  }
  return { table: tableFor(queryables), where: terms.join(' AND '), params, orderBy, exact: state.exact, pushed: state.pushed, sortPushed, hasRegex: filter ? containsRegex(filter) : false, scalar, indexed };
}

function pushObject(filter: Filter, scalar: ReadonlyMap<string, Scalar>, terms: string[], params: unknown[], state: { exact: boolean; pushed: boolean }): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const clause of condition) {
        if (isPlainObject(clause)) pushObject(clause, scalar, terms, params, state);
        else state.exact = false;
      }
      continue;
    }
    const type = scalar.get(key);
    if (key.startsWith('$') || !type) {
      state.exact = false;
      continue;
    }
    const expression = fieldExpression(key);
    const push = (term: string, ...values: unknown[]) => {
      terms.push(term);
      params.push(...values);
      state.pushed = true;
    };
    const isOperatorObject = isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'));
    if (!isOperatorObject) {
      if (condition === null && key !== '_id') push(`${expression} IS NULL`);
      else if (hasType(condition, type)) push(`${expression} = ?`, condition);
      else state.exact = false;
      continue;
    }
    for (const [operator, operand] of Object.entries(condition as Record<string, unknown>)) {
      switch (operator) {
        case '$eq':
          if (operand === null && key !== '_id') push(`${expression} IS NULL`);
          else if (hasType(operand, type)) push(`${expression} = ?`, operand);
          else state.exact = false;
          break;
        case '$in':
          if (Array.isArray(operand) && operand.length > 0 && operand.every((value) => hasType(value, type))) push(`${expression} IN (${operand.map(() => '?').join(', ')})`, ...operand);
          else state.exact = false;
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte': {
          if (!hasType(operand, type)) {
            state.exact = false;
            break;
          }
          const sql = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[operator];
          // SQLite orders NULL < numbers < text < blobs; MongoDB compares within one type only.
          // The extra bound keeps the index range inside the operand's type.
          const bound = type === 'number' ? (operator === '$gt' || operator === '$gte' ? ` AND ${expression} < ''` : '') : operator === '$lt' || operator === '$lte' ? ` AND ${expression} >= ''` : ` AND ${expression} < x''`;
          push(`${expression} ${sql} ?${bound}`, operand);
          break;
        }
        default:
          state.exact = false;
      }
    }
  }
}

const hasType = (value: unknown, type: Scalar): boolean => (type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string');

function containsRegex(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRegex);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, child]) => key === '$regex' || containsRegex(child));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
