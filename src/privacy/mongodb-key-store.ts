/**
 * The key store on MongoDB: collection `personal_data_keys`, one document per customer,
 * `{ _id: customerId, wrappedKey: Binary | null, createdAt, destroyedAt }`, write concern majority.
 * Connects lazily (the driver connects on first use), so the service starts while MongoDB is down;
 * every driver failure is a StoreUnavailableError.
 *
 * Shredding on MongoDB nulls the field; WiredTiger does not zero the old document version in its
 * files at once, and the oplog keeps the insert (with the wrapped bytes) until it rolls over, as do
 * backups. The wrapped key is useless without the master key, which never reaches MongoDB.
 */
import { Binary, MongoError, type Collection } from 'mongodb';
import { MongoConnection, type MongoConnectionOptions } from '../read-store/mongodb/mongo-connection';
import { DUPLICATE_KEY } from '../read-store/mongodb/mongo-errors';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { DataKeyRecord, KeyStore } from './key-store.port';

export const KEY_COLLECTION = 'personal_data_keys';

interface KeyDocument {
  _id: string;
  wrappedKey: Binary | null;
  createdAt: string;
  destroyedAt: string | null;
}

export type MongoKeyStoreOptions = MongoConnectionOptions;

export class MongoKeyStore implements KeyStore {
  private keys!: Collection<KeyDocument>;
  private readonly connection: MongoConnection;

  constructor(options: MongoKeyStoreOptions) {
    this.connection = new MongoConnection(options, 'MongoDB key store', (db) => {
      this.keys = db.collection<KeyDocument>(KEY_COLLECTION);
    });
  }

  static connect(url: string, dbName?: string): MongoKeyStore {
    return new MongoKeyStore({ url, dbName });
  }

  getMany(customerIds: readonly string[]): Promise<Map<string, DataKeyRecord>> {
    return this.call('getMany', async () => {
      const docs = customerIds.length === 0 ? [] : await this.keys.find({ _id: { $in: [...customerIds] } }).toArray();
      return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
    });
  }

  /** An upsert that only ever inserts, then the stored document: the first key of a customer wins, in any process. */
  putIfAbsent(customerId: string, wrappedKey: Buffer, createdAt: string): Promise<DataKeyRecord> {
    return this.call('putIfAbsent', async () => {
      try {
        await this.keys.updateOne({ _id: customerId }, { $setOnInsert: { wrappedKey: new Binary(wrappedKey), createdAt, destroyedAt: null } }, { upsert: true });
      } catch (error) {
        // Two upserts of one _id at once: the loser's insert collides; the winner's document is the answer.
        if (!isDuplicateKey(error)) throw error;
      }
      const stored = await this.keys.findOne({ _id: customerId });
      if (!stored) throw new StoreUnavailableError(`MongoDB key store: the key of ${customerId} was written but cannot be read back`);
      return toRecord(stored);
    });
  }

  /** One unordered bulk of insert-only upserts, then the stored documents (collisions: the winners' documents are the answer). */
  putManyIfAbsent(keys: readonly { customerId: string; wrappedKey: Buffer }[], createdAt: string): Promise<Map<string, DataKeyRecord>> {
    return this.call('putManyIfAbsent', async () => {
      if (keys.length === 0) return new Map();
      try {
        await this.keys.bulkWrite(
          keys.map(({ customerId, wrappedKey }) => ({ updateOne: { filter: { _id: customerId }, update: { $setOnInsert: { wrappedKey: new Binary(wrappedKey), createdAt, destroyedAt: null } }, upsert: true } })),
          { ordered: false },
        );
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const docs = await this.keys.find({ _id: { $in: keys.map((key) => key.customerId) } }).toArray();
      if (docs.length !== new Set(keys.map((key) => key.customerId)).size) throw new StoreUnavailableError('MongoDB key store: keys were written but cannot all be read back');
      return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
    });
  }

  /**
   * Nulls the key of a customer not destroyed yet, or inserts the tombstone; a customer destroyed
   * already does not match the filter, so the upsert's insert collides with the tombstone and
   * nothing changes (the first destroyedAt stays).
   */
  destroy(customerId: string, destroyedAt: string): Promise<void> {
    return this.call('destroy', async () => {
      try {
        await this.keys.updateOne({ _id: customerId, destroyedAt: null }, { $set: { wrappedKey: null, destroyedAt }, $setOnInsert: { createdAt: destroyedAt } }, { upsert: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    });
  }

  ping(): Promise<void> {
    return this.connection.ping();
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return this.connection.call(what, run);
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoError && error.code === DUPLICATE_KEY;
}

function toRecord(doc: KeyDocument): DataKeyRecord {
  return { customerId: doc._id, wrappedKey: doc.wrappedKey === null ? null : Buffer.from(doc.wrappedKey.value()), createdAt: doc.createdAt, destroyedAt: doc.destroyedAt };
}
