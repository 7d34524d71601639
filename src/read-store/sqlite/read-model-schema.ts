import { decodePosition } from '../../event-store/position';

/**
 * The embedded read-model store's tables: JSON documents by collection, checkpoints, settings.
 * Each projection's collections (every version) have a table of their own, `docs_<projection>`,
 * with that projection's indexes only (see tableOf); any other collection lives in `documents`.
 * One table for all with partial indexes made every write evaluate all 37 of them: upserts cost
 * 36 us instead of 18 and the projections spent 60 % of their time writing.
 * Documents live in rowid tables with a unique (collection, id) index rather than WITHOUT ROWID:
 * rows of half a kilobyte and more made upserts 2-4x slower in a clustered key (bench/rebuild.ts).
 *
 * A projection's declared fields are kept beside the document in key columns (keyColumn), which
 * the indexes are on, rather than in indexes on json_extract(doc, …): a write then updates only
 * the indexes whose value changed (see keyValue and the store's write), and SQLite parses no JSON.
 * With expression indexes every write of a document re-evaluated and re-inserted all of them:
 * a customer profile (7 indexes) took 63-92 us to rewrite, 30 us with key columns.
 */
export const documentsTable = (table: string, keyPaths: readonly string[] = []): string => `
CREATE TABLE IF NOT EXISTS ${table} (
  collection TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  revision   INTEGER,
  doc        TEXT    NOT NULL,
  applied    TEXT,${keyPaths.map((path) => `\n  ${keyColumn(path)},`).join('')}
  UNIQUE (collection, id)
);`;

/**
 * The column that keeps a declared field's value (`"doc.stats.totalSpent"`): no type, so each
 * value keeps its own (text, integer, real, null), as json_extract returns it.
 */
export const keyColumn = (path: string): string => `"doc.${path}"`;

/**
 * What json_extract(doc, '$.<path>') returns for the stored JSON of `doc`: a string, a finite
 * number, 1 / 0 for a boolean, JSON text for an object or array, null for anything missing (a
 * non-finite number is stored as null). Key columns filled from JSON (on upgrade) and from documents
 * (on write) hold the same values, so queries answer the same either way.
 */
export function keyValue(doc: Record<string, unknown>, path: string): string | number | null {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined || typeof value !== 'object') return null;
  return JSON.stringify(value);
}

export const READ_MODEL_SCHEMA = `${documentsTable('documents')}
CREATE TABLE IF NOT EXISTS checkpoints (
  name     TEXT PRIMARY KEY,
  position TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Files made before the `applied` column (position-guarded documents) get it on open. */
export const HAS_APPLIED_COLUMN = `SELECT 1 FROM pragma_table_info('documents') WHERE name = 'applied'`;
export const ADD_APPLIED_COLUMN = `ALTER TABLE documents ADD COLUMN applied TEXT`;

/**
 * Whether a write replaces the stored document, by what each applied: with an `applied` key
 * (guard 'position': the global position as a sortable key, see appliedKey) when the stored key is
 * missing or below the incoming one; otherwise the same with the stream revision. A document that
 * keeps its content was written by that event before a crash (or by a process ahead of this one).
 */
export function replaces(stored: { revision: number | null; applied: string | null }, incoming: { revision: number | null; applied: string | null }): boolean {
  if (incoming.applied !== null) return stored.applied === null || incoming.applied > stored.applied;
  return incoming.revision === null || stored.revision === null || incoming.revision > stored.revision;
}

/** `commit/prepare` as text that sorts like the position: both parts zero-padded to 20 digits (2^64 has 20). */
export function appliedKey(position: string): string {
  const { commit, prepare } = decodePosition(position);
  return `${commit.toString().padStart(20, '0')}/${prepare.toString().padStart(20, '0')}`;
}
