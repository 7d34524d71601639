/**
 * The embedded event store's tables: one row per event, the global order is `seq`.
 * `event_id` is stored but not indexed: ids are unique by construction (UUIDv5 of stream, command
 * and index) and a retried append is stopped by its expected revision; a unique index on random
 * UUIDs halved the append rate and made it fall with the store's size (bench --scale).
 */
export const EVENT_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq             INTEGER PRIMARY KEY,
  stream_id       TEXT    NOT NULL,
  revision        INTEGER NOT NULL,
  event_id        TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  data            TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  idempotency_key TEXT,
  schema_version  INTEGER NOT NULL DEFAULT 1,
  UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS events_by_idempotency_key
  ON events (stream_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
`;

/**
 * A row as the read statements return it: `.raw()`, an array, which better-sqlite3 builds in about
 * half the time of an object with named columns (the whole-ledger export read 350k rows/s against
 * 180-220k). Integers are JS numbers: exact below 2^53 events, far beyond one SQLite file. The
 * metadata comes last, so the global log's reads (LOG_COLUMNS) leave it off the end.
 */
export type EventRow = [seq: number, streamId: string, revision: number, type: string, data: string, recordedAt: string, schemaVersion: number, metadata?: string];
/** EventRow's places. */
export const ROW = { seq: 0, streamId: 1, revision: 2, type: 3, data: 4, recordedAt: 5, schemaVersion: 6, metadata: 7 } as const;

/** The global log's columns: all but the metadata, in EventRow's order. */
export const LOG_COLUMNS = 'seq, stream_id, revision, type, data, recorded_at, schema_version';
export const EVENT_COLUMNS = `${LOG_COLUMNS}, metadata`;

/**
 * The whole-ledger export's line of a row, built by SQLite from the stored text (LogLinesPage in
 * event-store.port.ts; `ledgerLine` writes the same line from an event, and the event store's spec
 * checks that the two agree). Positions are `seq/seq`, as sequencePosition writes them. Building
 * the line here, one string a row, read 310-360k rows/s against 160-220k for the row's columns.
 */
export const EXPORT_LINE = `'{"position":"' || seq || '/' || seq || '","streamId":' || json_quote(stream_id) || ',"revision":' || revision || ',"type":' || json_quote(type) || ',"data":' || data || ',"metadata":' || metadata || '}'`;

/** Data directories written before payloads had versions: every event there is schema version 1. */
export const ADD_SCHEMA_VERSION = 'ALTER TABLE events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1';
