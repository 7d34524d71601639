/** The production read-model store: MongoDB through the official driver, write concern majority. */
import { MongoClient, MongoTopologyClosedError, type Collection, type Db, type MongoClientOptions } from 'mongodb';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import type { WriteFailure } from '../../event-store/event-store.port';
import { CollectionRetiredError, retiredSettingKey, type DocumentWrite, type Filter, type FindOptions, type ReadModelDocument, type ReadModelStore, type Sort, type WriteBatchOptions } from '../read-model-store.port';
import { guardedWrites, type MongoDocument } from './guarded-writes';
import { isAlreadyApplied, toReadStoreError } from './mongo-errors';
import { indexesFor } from './mongo-indexes';

/** Positions are strings: BSON Int64 would wrap above 2^63-1. */
interface CheckpointDocument {
  _id: string;
  position: string;
}

interface SettingDocument {
  _id: string;
  value: string;
}

const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** `sort` with `_id: 1` last (unless it sorts on _id already); `{_id: 1}` without a sort. */
export function withIdTieBreak(sort: Sort | undefined): Sort {
  return sort && '_id' in sort ? sort : { ...sort, _id: 1 };
}

const CHECKPOINTS = 'ledger_checkpoints';
const SETTINGS = 'ledger_settings';
/** The collection health probes write (GET /health/ready): one document, never a read model. */
const HEALTH = 'ledger_health';
/** Code of "ns not found" (dropping a collection that does not exist). */
const NAMESPACE_NOT_FOUND = 26;

export interface MongoReadModelStoreOptions {
  url: string;
  /** Database name; default: the one in the URL, else `customer_ledger`. */
  dbName?: string;
  /** How long an operation waits for a usable server before the store counts as unavailable. */
  serverSelectionTimeoutMS?: number;
  /** Time limit of a query (find, count, aggregate) on the server: QUERY_TIMEOUT_MS, default 10 s. */
  queryTimeoutMs?: number;
  /** How long ping() waits for an answer before the store counts as down (default 800 ms: /health answers within 1 s). */
  pingTimeoutMS?: number;
}

/**
 * Connects lazily (the driver connects on first use), so the service starts while MongoDB is
 * down: reads answer 503, /health reports it and the projector retries from its checkpoint.
 */
export class MongoReadModelStore implements ReadModelStore {
  private client!: MongoClient;
  private db!: Db;
  private readonly url: string;
  private readonly dbName: string;
  private readonly clientOptions: MongoClientOptions;
  private closed = false;
  /** Collections whose indexes exist (createIndexes is idempotent; this saves the round trip). */
  private readonly indexed = new Set<string>();
  private readonly queryTimeoutMs: number;
  private readonly pingTimeoutMS: number;
  private writeFailure: WriteFailure | null = null;

  constructor(options: MongoReadModelStoreOptions) {
    this.pingTimeoutMS = options.pingTimeoutMS ?? 800;
    // A serverSelectionTimeoutMS in the URL wins over the default of 5 s.
    const timeout = /[?&]serverSelectionTimeoutMS=/i.test(options.url) ? {} : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000 };
    this.queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.url = options.url;
    this.clientOptions = { ...timeout, writeConcern: { w: 'majority' } };
    const fromUrl = new URL(options.url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1);
    this.dbName = options.dbName ?? (fromUrl || 'customer_ledger');
    this.openClient();
  }

  static connect(url: string, dbName?: string, queryTimeoutMs?: number): MongoReadModelStore {
    return new MongoReadModelStore({ url, dbName, queryTimeoutMs });
  }

  get(collection: string, id: string): Promise<ReadModelDocument | null> {
    return this.call('get', () => this.documents(collection).findOne({ _id: id }));
  }

  getMany(collection: string, ids: string[]): Promise<Map<string, ReadModelDocument>> {
    return this.call('getMany', async () => {
      const docs = ids.length === 0 ? [] : await this.documents(collection).find({ _id: { $in: ids } }).toArray();
      return new Map(docs.map((doc) => [doc._id, doc]));
    });
  }

  /**
   * One unordered bulkWrite of guarded upserts and deletes, then the checkpoint (after the batch,
   * never before). The retired check comes first; it is not atomic with the writes (no transaction),
   * so a write may land in a version retired a moment before: the grace period before the drop
   * (longer than any process takes to notice the switch) keeps that harmless.
   */
  writeBatch(collection: string, writes: DocumentWrite[], checkpoint: { name: string; position: string } | null, options: WriteBatchOptions = {}): Promise<void> {
    const write = this.call('writeBatch', async () => {
      if (await this.settings().findOne({ _id: retiredSettingKey(collection) })) throw new CollectionRetiredError(collection);
      await this.ensureIndexes(collection);
      if (writes.length > 0) {
        try {
          await this.documents(collection).bulkWrite(guardedWrites(writes, options.guard), { ordered: false });
        } catch (error) {
          if (!isAlreadyApplied(error)) throw error;
        }
      }
      if (checkpoint) await this.checkpoints().updateOne({ _id: checkpoint.name }, { $set: { position: checkpoint.position } }, { upsert: true });
    });
    return write.then(
      () => {
        this.writeFailure = null;
      },
      (error: unknown) => {
        if (error instanceof StoreUnavailableError) this.writeFailure = { at: Date.now(), message: error.message };
        throw error;
      },
    );
  }

  find(collection: string, options: FindOptions): Promise<ReadModelDocument[]> {
    return this.call('find', () => {
      const cursor = this.documents(collection).find(options.filter ?? {}, { maxTimeMS: this.queryTimeoutMs });
      // Ties broken by _id, as the embedded store does: both answer the same documents in the same order.
      cursor.sort(withIdTieBreak(options.sort));
      if (options.skip) cursor.skip(options.skip);
      if (options.limit !== undefined) cursor.limit(options.limit);
      return cursor.toArray();
    });
  }

  /** The pipeline as MongoDB runs it, under maxTimeMS, without disk use; `_id` ties as the embedded store reads them. */
  aggregate(collection: string, pipeline: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    return this.call('aggregate', () => this.documents(collection).aggregate<Record<string, unknown>>([{ $sort: { _id: 1 } }, ...pipeline], { maxTimeMS: this.queryTimeoutMs, allowDiskUse: false }).toArray());
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.call('count', () => this.documents(collection).countDocuments(filter ?? {}, { maxTimeMS: this.queryTimeoutMs }));
  }

  countBy(collection: string, fields: string[]): Promise<{ key: Record<string, unknown>; count: number }[]> {
    return this.call('countBy', async () => {
      // Group keys cannot contain dots: field i is grouped as f<i>.
      const groupId = Object.fromEntries(fields.map((field, i) => [`f${i}`, `$${field}`]));
      const groups = await this.documents(collection)
        .aggregate<{ _id: Record<string, unknown>; count: number }>([{ $group: { _id: groupId, count: { $sum: 1 } } }], { maxTimeMS: this.queryTimeoutMs })
        .toArray();
      return groups.map(({ _id, count }) => ({ key: Object.fromEntries(fields.map((field, i) => [field, _id[`f${i}`] ?? null])), count }));
    });
  }

  getCheckpoint(name: string): Promise<string | null> {
    return this.call('getCheckpoint', async () => (await this.checkpoints().findOne({ _id: name }))?.position ?? null);
  }

  deleteCheckpoint(name: string): Promise<void> {
    return this.call('deleteCheckpoint', async () => {
      await this.checkpoints().deleteOne({ _id: name });
    });
  }

  dropCollection(collection: string): Promise<void> {
    return this.call('dropCollection', async () => {
      this.indexed.delete(collection);
      try {
        await this.db.dropCollection(collection);
      } catch (error) {
        if ((error as { code?: unknown }).code !== NAMESPACE_NOT_FOUND) throw error;
      }
    });
  }

  listCollections(): Promise<string[]> {
    return this.call('listCollections', async () => {
      const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
      return collections.map(({ name }) => name).filter((name) => name !== CHECKPOINTS && name !== SETTINGS && !name.startsWith('system.'));
    });
  }

  /** In order (an ordered bulk write): the engine lists the new active collection before retiring the old. */
  setSettings(values: Record<string, string | null>): Promise<void> {
    return this.call('setSettings', async () => {
      const operations = Object.entries(values).map(([key, value]) =>
        value === null ? { deleteOne: { filter: { _id: key } } } : { updateOne: { filter: { _id: key }, update: { $set: { value } }, upsert: true } },
      );
      if (operations.length > 0) await this.settings().bulkWrite(operations, { ordered: true });
    });
  }

  getSetting(key: string): Promise<string | null> {
    return this.call('getSetting', async () => (await this.settings().findOne({ _id: key }))?.value ?? null);
  }

  setSetting(key: string, value: string): Promise<void> {
    return this.call('setSetting', async () => {
      await this.settings().updateOne({ _id: key }, { $set: { value } }, { upsert: true });
    });
  }

  /**
   * Its own deadline, shorter than server selection's: a down server would otherwise hold /health
   * for serverSelectionTimeoutMS (5 s), and one that accepts but never answers for longer still.
   * The abandoned command settles later, on its own, and is ignored.
   */
  async ping(): Promise<void> {
    const client = this.client;
    const command = this.db.command({ ping: 1 });
    command.catch((error: unknown) => this.recover(client, error));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`MongoDB did not answer ping within ${this.pingTimeoutMS} ms`)), this.pingTimeoutMS);
    });
    try {
      await Promise.race([command, deadline]);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`MongoDB ping failed: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Upserts and reads back one document of `ledger_health` (no read model, no checkpoint), under ping's deadline. */
  async probe(): Promise<void> {
    const client = this.client;
    const health = this.db.collection<{ _id: string; checkedAt: string }>(HEALTH);
    const checkedAt = new Date().toISOString();
    const command = (async () => {
      await health.updateOne({ _id: 'probe' }, { $set: { checkedAt } }, { upsert: true });
      const read = await health.findOne({ _id: 'probe' }, { maxTimeMS: this.pingTimeoutMS });
      if (read?.checkedAt !== checkedAt) throw new Error('the probe document did not read back');
    })();
    command.catch((error: unknown) => this.recover(client, error));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`MongoDB did not answer the probe within ${this.pingTimeoutMS} ms`)), this.pingTimeoutMS);
    });
    try {
      await Promise.race([command, deadline]);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`MongoDB probe failed: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  lastWriteFailure(): WriteFailure | null {
    return this.writeFailure;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }

  private openClient(): void {
    const client = new MongoClient(this.url, this.clientOptions);
    client.on('topologyClosed', () => this.recover(client));
    this.client = client;
    this.db = client.db(this.dbName);
  }

  /**
   * When the first operation's automatic connect fails (MongoDB down at start-up), the driver
   * (7.x) closes its topology and keeps it: every later operation would fail with "Topology is
   * closed", also once MongoDB is back. A topology we did not close means starting over with a
   * new client, which connects on its next operation. Only the current client is replaced, once.
   */
  private recover(failed: MongoClient, error?: unknown): void {
    if (this.closed || failed !== this.client) return;
    if (error !== undefined && !(error instanceof MongoTopologyClosedError)) return;
    this.openClient();
    void failed.close().catch(() => undefined);
  }

  private async ensureIndexes(collection: string): Promise<void> {
    if (this.indexed.has(collection)) return;
    const indexes = indexesFor(collection);
    if (indexes.length > 0) await this.documents(collection).createIndexes(indexes);
    this.indexed.add(collection);
  }

  private documents(collection: string): Collection<MongoDocument> {
    return this.db.collection<MongoDocument>(collection);
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(CHECKPOINTS);
  }

  private settings(): Collection<SettingDocument> {
    return this.db.collection<SettingDocument>(SETTINGS);
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    const client = this.client;
    try {
      return await run();
    } catch (error) {
      this.recover(client, error);
      throw toReadStoreError(error, what, this.queryTimeoutMs);
    }
  }
}
