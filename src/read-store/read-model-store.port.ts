/** The read-model store port: JSON documents by collection, queried with MongoDB's query language. */
import type { WriteFailure } from '../event-store/event-store.port';

/** A read-model document; `_id` is its key (the customer id for per-customer models). */
export interface ReadModelDocument {
  _id: string;
  /** Stream revision of the last event applied to this document (per-stream documents only). */
  revision?: number;
  /** Global position of the last event applied (documents fed by many streams, guard 'position'). */
  position?: string;
  [field: string]: unknown;
}

/** MongoDB query-language filter (already checked against the operator allow-list). */
export type Filter = Record<string, unknown>;
/** MongoDB sort specification: field → 1 | -1. */
export type Sort = Record<string, 1 | -1>;

export interface FindOptions {
  filter?: Filter;
  sort?: Sort;
  limit?: number;
  skip?: number;
}

/** One document write of a projection batch: upsert `doc`, or delete `_id` when `doc` is null. */
export interface DocumentWrite {
  _id: string;
  doc: ReadModelDocument | null;
}

/**
 * What makes a document write exactly-once: `revision` (default) skips an upsert whose `revision`
 * is not above the stored one's; `position` does the same with the global `position` it applied
 * (compared as log positions, see event-store/position.ts), for documents fed by many streams.
 */
export type DocumentGuard = 'revision' | 'position';

export interface WriteBatchOptions {
  guard?: DocumentGuard;
}

/**
 * The setting that marks a collection version retired (value: when, ISO time). A retired version is
 * kept for a grace period so readers still on it can finish, but never written again: writeBatch
 * into it throws CollectionRetiredError, so a process that did not notice the switch learns it there.
 */
export const retiredSettingKey = (collection: string): string => `retired-collection:${collection}`;

export class CollectionRetiredError extends Error {
  constructor(readonly collection: string) {
    super(`collection ${collection} is retired (a rebuild replaced it)`);
    this.name = 'CollectionRetiredError';
  }
}

export interface ReadModelStore {
  get(collection: string, id: string): Promise<ReadModelDocument | null>;
  /** The documents that exist among `ids`, by id. */
  getMany(collection: string, ids: string[]): Promise<Map<string, ReadModelDocument>>;
  /**
   * Writes a projection batch: the document writes, then the checkpoint (atomically where the
   * store can). An upsert whose `revision` is not above the stored document's is skipped, so a
   * batch replayed after a crash never applies an event twice (docs/architecture.md, the data path of a projection).
   * A null checkpoint writes documents only (a flush in chunks: the checkpoint comes with the last).
   * With `guard: 'position'` the upsert is skipped when its `position` is not after the stored one's.
   * Throws CollectionRetiredError, writing nothing, when the collection is retired (retiredSettingKey).
   */
  writeBatch(collection: string, writes: DocumentWrite[], checkpoint: { name: string; position: string } | null, options?: WriteBatchOptions): Promise<void>;
  find(collection: string, options: FindOptions): Promise<ReadModelDocument[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Runs an aggregation pipeline (already checked by the pipeline guard, queries/pipeline-guard.ts)
   * over the collection's documents, under the store's time limit (QueryTimeoutError past it).
   */
  aggregate(collection: string, pipeline: Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
  /** Document counts grouped by the values of `fields` (missing → null), e.g. tier × stage. */
  countBy(collection: string, fields: string[]): Promise<{ key: Record<string, unknown>; count: number }[]>;
  /** Last global position a projection has fully applied, or null before its first batch. */
  getCheckpoint(name: string): Promise<string | null>;
  deleteCheckpoint(name: string): Promise<void>;
  /** Removes a collection and its documents (a rebuild drops the old version). */
  dropCollection(collection: string): Promise<void>;
  /** Names of the collections that hold documents (to find versions nobody uses any more). */
  listCollections(): Promise<string[]>;
  /** Small durable settings, such as which collection version readers use. */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /** Sets several settings (null deletes one) at once: in one transaction where the store can, else in order. */
  setSettings(values: Record<string, string | null>): Promise<void>;
  ping(): Promise<void>;
  /**
   * Health (GET /health/ready): writes and reads back a small record outside the read models (a
   * `health_probe` row, a `ledger_health` document). Rejects with StoreUnavailableError.
   */
  probe?(): Promise<void>;
  /** The last projection batch that failed on a store fault since the last one that succeeded, or null. */
  lastWriteFailure?(): WriteFailure | null;
  close(): Promise<void>;
}

/**
 * A query ran past the store's time limit (QUERY_TIMEOUT_MS) and was stopped; the HTTP layer
 * answers 422 QUERY_TIMEOUT. Narrow the filter to indexed fields, or ask for less.
 */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  constructor(readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(`the query ran longer than ${timeoutMs} ms and was stopped`, options);
  }
}
