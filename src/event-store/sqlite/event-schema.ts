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

/** A row as the read statements return it (integers as JS numbers: exact below 2^53 events, far beyond one SQLite file). */
export interface EventRow {
  seq: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  /** Absent from global-log reads (LOG_COLUMNS). */
  metadata?: string;
  recorded_at: string;
  schema_version: number;
}

export const EVENT_COLUMNS = 'seq, stream_id, revision, type, data, metadata, recorded_at, schema_version';
/** The global log's columns: all but the metadata. */
export const LOG_COLUMNS = 'seq, stream_id, revision, type, data, recorded_at, schema_version';

/** Data directories written before payloads had versions: every event there is schema version 1. */
export const ADD_SCHEMA_VERSION = 'ALTER TABLE events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1';
