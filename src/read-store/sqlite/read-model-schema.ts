import { decodePosition } from '../../event-store/position';

/**
 * The embedded read-model store's tables: JSON documents by collection, checkpoints, settings.
 * Each projection's collections (every version) have a table of their own, `docs_<projection>`,
 * with that projection's expression indexes only (see tableOf); any other collection lives in
 * `documents`. One table for all with partial indexes made every write evaluate all 37 of them:
 * upserts cost 36 us instead of 18 and the projections spent 60 % of their time writing.
 * Documents live in rowid tables with a unique (collection, id) index rather than WITHOUT ROWID:
 * rows of half a kilobyte and more made upserts 2-4x slower in a clustered key (bench/rebuild.ts).
 */
export const documentsTable = (table: string): string => `
CREATE TABLE IF NOT EXISTS ${table} (
  collection TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  revision   INTEGER,
  doc        TEXT    NOT NULL,
  applied    TEXT,
  UNIQUE (collection, id)
);`;

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
 * Upsert guarded by what the document applied: with an `applied` key (guard 'position': the
 * global position as a sortable key, see appliedKey) a document whose stored key is at or above
 * the incoming one keeps its content; otherwise the same with the stream revision. Either way, a
 * document that skips was written by that event before a crash (or by a process ahead of this one).
 */
export const guardedUpsert = (table: string): string => `
INSERT INTO ${table} (collection, id, revision, applied, doc) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (collection, id) DO UPDATE SET revision = excluded.revision, applied = excluded.applied, doc = excluded.doc
WHERE CASE WHEN excluded.applied IS NOT NULL THEN ${table}.applied IS NULL OR excluded.applied > ${table}.applied
      ELSE excluded.revision IS NULL OR ${table}.revision IS NULL OR excluded.revision > ${table}.revision END
`;

/** `commit/prepare` as text that sorts like the position: both parts zero-padded to 20 digits (2^64 has 20). */
export function appliedKey(position: string): string {
  const { commit, prepare } = decodePosition(position);
  return `${commit.toString().padStart(20, '0')}/${prepare.toString().padStart(20, '0')}`;
}
