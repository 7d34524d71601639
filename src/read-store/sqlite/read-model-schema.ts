/**
 * The embedded read-model store's tables: JSON documents by collection, checkpoints, settings.
 * Documents live in a rowid table with a unique (collection, id) index rather than WITHOUT ROWID:
 * rows of half a kilobyte and more made upserts 2-4x slower in a clustered key (bench/rebuild.ts).
 */
export const READ_MODEL_SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT    NOT NULL,
  id         TEXT    NOT NULL,
  revision   INTEGER,
  doc        TEXT    NOT NULL,
  UNIQUE (collection, id)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  name     TEXT PRIMARY KEY,
  position TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * Upsert guarded by the applied stream revision: a document whose stored revision is at or
 * above the incoming one keeps its content (that event was applied before a crash).
 */
export const GUARDED_UPSERT = `
INSERT INTO documents (collection, id, revision, doc) VALUES (?, ?, ?, ?)
ON CONFLICT (collection, id) DO UPDATE SET revision = excluded.revision, doc = excluded.doc
WHERE excluded.revision IS NULL OR documents.revision IS NULL OR excluded.revision > documents.revision
`;
