/** The embedded read-model store: JSON documents in SQLite, queried with mingo (MongoDB's query language). */
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import { yieldToEventLoop } from '../../shared/yield';
import { DEFAULT_SQLITE_CACHE_MB, HEALTH_PROBE_SCHEMA, openSqlite, sqliteCall, sqliteProbe } from '../../shared/sqlite';
import type { WriteFailure } from '../../event-store/event-store.port';
import { CollectionRetiredError, retiredSettingKey, type DocumentGuard, type DocumentWrite, type Filter, type FindOptions, type ReadModelDocument, type ReadModelStore, type WriteBatchOptions } from '../read-model-store.port';
import { allQueryables } from '../queryable-fields';
import { DocumentTable } from './document-table';
import { MAX_MAIN_THREAD_AGGREGATE_INPUT, QueryExecutor, type QueryRequest } from './query-executor';
import { keyPathsOf, projectionTable, tableOf } from './query-plan';
import { QueryPool } from './query-pool';
import { prepareLayout } from './read-model-layout';
import { appliedKey } from './read-model-schema';

export interface SqliteReadModelStoreOptions {
  filename: string;
  /** Time limit of a query run in a worker (QUERY_TIMEOUT_MS); default 10 s. */
  queryTimeoutMs?: number;
  /** Query worker threads; default 2; 0: every query runs on this thread (a connection that only projects). */
  queryWorkers?: number;
  /** Page cache of this connection and of each query worker's, MB (SQLITE_CACHE_MB); default 16. */
  cacheMB?: number;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** Documents deleted per statement when a collection is dropped (a few milliseconds each). */
const DROP_CHUNK = 2000;

/**
 * Read models can always be rebuilt from the log, so commits use synchronous=NORMAL (durable
 * across process crashes, not power cuts); documents and checkpoint share one transaction.
 */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writeTransaction;
  private readonly executor: QueryExecutor;
  /** Null for an in-memory database, which no other connection can read. */
  private readonly pool: QueryPool | null;
  private readonly settingsTransaction;
  private readonly tables = new Map<string, DocumentTable>();
  private writeFailure: WriteFailure | null = null;

  constructor(options: SqliteReadModelStoreOptions) {
    this.db = openSqlite(options.filename, 'NORMAL', options.cacheMB);
    // A table per projection with the key columns and indexes of its declared fields (queryable-fields.ts).
    prepareLayout(this.db);
    this.db.exec(HEALTH_PROBE_SCHEMA);
    this.executor = new QueryExecutor(this.db);
    const inMemory = options.filename === ':memory:' || options.filename === '';
    this.pool = inMemory || options.queryWorkers === 0 ? null : new QueryPool({ filename: options.filename, cacheMB: options.cacheMB ?? DEFAULT_SQLITE_CACHE_MB, size: options.queryWorkers ?? 2, timeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS });
    this.statements = {
      getCheckpoint: this.db.prepare('SELECT position FROM checkpoints WHERE name = ?').pluck(),
      setCheckpoint: this.db.prepare('INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position'),
      deleteCheckpoint: this.db.prepare('DELETE FROM checkpoints WHERE name = ?'),
      getSetting: this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      deleteSetting: this.db.prepare('DELETE FROM settings WHERE key = ?'),
      collections: this.db
        .prepare(documentTables().map((table) => `SELECT DISTINCT collection FROM ${table}`).join(' UNION '))
        .pluck(),
    };
    // Run IMMEDIATE: the retired check and the writes see one state of the file, whichever process wrote last.
    this.writeTransaction = this.db.transaction((collection: string, writes: DocumentWrite[], checkpoint: { name: string; position: string } | null, guard: DocumentGuard) => {
      if (this.statements.getSetting.get(retiredSettingKey(collection)) !== undefined) throw new CollectionRetiredError(collection);
      const table = this.documents(collection);
      for (const { _id, doc } of writes) {
        if (doc === null) table.delete.run(collection, _id);
        else if (guard === 'position') table.write(collection, doc, null, positionKey(doc));
        else table.write(collection, doc, doc.revision ?? null, null);
      }
      if (checkpoint) this.statements.setCheckpoint.run(checkpoint.name, checkpoint.position);
    });
    this.settingsTransaction = this.db.transaction((values: Record<string, string | null>) => {
      for (const [key, value] of Object.entries(values)) {
        if (value === null) this.statements.deleteSetting.run(key);
        else this.statements.setSetting.run(key, value);
      }
    });
  }

  async get(collection: string, id: string): Promise<ReadModelDocument | null> {
    const text = this.call(() => this.documents(collection).get.get(collection, id) as string | undefined);
    return text === undefined ? null : parse(text);
  }

  async getMany(collection: string, ids: string[]): Promise<Map<string, ReadModelDocument>> {
    const docs = new Map<string, ReadModelDocument>();
    for (const text of this.call(() => this.documents(collection).getMany.all(collection, JSON.stringify(ids)) as string[])) {
      const doc = parse(text);
      docs.set(doc._id, doc);
    }
    return docs;
  }

  async writeBatch(collection: string, writes: DocumentWrite[], checkpoint: { name: string; position: string } | null, options: WriteBatchOptions = {}): Promise<void> {
    try {
      this.call(() => this.writeTransaction.immediate(collection, writes, checkpoint, options.guard ?? 'revision'));
      this.writeFailure = null;
    } catch (error) {
      if (error instanceof StoreUnavailableError) this.writeFailure = { at: Date.now(), message: error.message };
      throw error;
    }
  }

  async find(collection: string, options: FindOptions): Promise<ReadModelDocument[]> {
    return this.query({ op: 'find', collection, options });
  }

  async aggregate(collection: string, pipeline: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    if (!this.db.open) throw new StoreUnavailableError('read-model store is closed');
    if (this.pool) return this.pool.run({ op: 'aggregate', collection, pipeline });
    try {
      return this.executor.aggregate(collection, pipeline, MAX_MAIN_THREAD_AGGREGATE_INPUT);
    } catch (error) {
      throw sqliteFailure(error);
    }
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    return this.query({ op: 'count', collection, filter });
  }

  async countBy(collection: string, fields: string[]): Promise<{ key: Record<string, unknown>; count: number }[]> {
    return this.query({ op: 'countBy', collection, fields });
  }

  /** EXPLAIN QUERY PLAN of the SQL a find starts from (tests and the bench check the indexes are used). */
  explainFind(collection: string, options: FindOptions): string[] {
    return this.call(() => this.executor.explainFind(collection, options));
  }

  async getCheckpoint(name: string): Promise<string | null> {
    return this.call(() => this.statements.getCheckpoint.get(name) as string | undefined) ?? null;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.call(() => this.statements.deleteCheckpoint.run(name));
  }

  /**
   * In chunks, the event loop let run between them: a replaced version of a large collection takes
   * seconds to delete (130k documents of the 10k demo, 1.8 s in one statement). A crash midway
   * leaves the rest, as a rolled-back DELETE would; dropping again finishes.
   */
  async dropCollection(collection: string): Promise<void> {
    const table = this.documents(collection);
    while (this.call(() => table.dropChunk.run(collection, DROP_CHUNK)).changes === DROP_CHUNK) await yieldToEventLoop();
  }

  async listCollections(): Promise<string[]> {
    return this.call(() => this.statements.collections.all() as string[]);
  }

  async setSettings(values: Record<string, string | null>): Promise<void> {
    this.call(() => this.settingsTransaction.immediate(values));
  }

  async getSetting(key: string): Promise<string | null> {
    return this.call(() => this.statements.getSetting.get(key) as string | undefined) ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.call(() => this.statements.setSetting.run(key, value));
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new StoreUnavailableError('read-model store is closed');
  }

  /** Writes and reads the `health_probe` row, beside the documents (no collection, no checkpoint). */
  async probe(): Promise<void> {
    sqliteProbe(this.db, 'read-model store');
  }

  lastWriteFailure(): WriteFailure | null {
    return this.writeFailure;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    if (this.db.open) this.db.close();
  }

  /** The table of a collection's documents (tableOf), its statements prepared once. */
  private documents(collection: string): DocumentTable {
    const name = tableOf(collection);
    let table = this.tables.get(name);
    if (!table) {
      table = new DocumentTable(this.db, name, keyPathsOf(collection));
      this.tables.set(name, table);
    }
    return table;
  }

  private call<T>(run: () => T): T {
    try {
      return sqliteCall(this.db, 'read-model store', run);
    } catch (error) {
      // A retired collection is an answer, not an unavailable store.
      const cause = (error as { cause?: unknown }).cause;
      throw cause instanceof CollectionRetiredError ? cause : error;
    }
  }

  /**
   * Bounded queries (exact index lookups with a limit, or a handful of candidates) run here; the
   * rest, and anything with a regular expression, in a worker under the time limit.
   */
  private async query<T>(request: QueryRequest): Promise<T> {
    if (!this.db.open) throw new StoreUnavailableError('read-model store is closed');
    if (!this.pool || this.runHere(request)) return this.runHereGuarded(request) as T;
    return this.pool.run<T>(request);
  }

  private runHere(request: QueryRequest): boolean {
    try {
      return this.executor.isSmall(request);
    } catch (error) {
      throw sqliteFailure(error);
    }
  }

  private runHereGuarded(request: QueryRequest): unknown {
    try {
      return this.executor.run(request);
    } catch (error) {
      throw sqliteFailure(error);
    }
  }
}

function sqliteFailure(error: unknown): unknown {
  if (error instanceof Database.SqliteError) return new StoreUnavailableError(`read-model store failed: ${error.message}`, { cause: error });
  return error;
}

/** The sortable key of a position-guarded document; one without a position is written unguarded. */
function positionKey(doc: ReadModelDocument): string | null {
  return typeof doc.position === 'string' ? appliedKey(doc.position) : null;
}

/** `documents` and every projection's table. */
const documentTables = (): string[] => ['documents', ...allQueryables().map(({ base }) => projectionTable(base))];

const parse = (text: string): ReadModelDocument => JSON.parse(text) as ReadModelDocument;
