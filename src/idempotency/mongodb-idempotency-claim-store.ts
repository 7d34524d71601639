/**
 * The claim store on MongoDB: collection `idempotency_keys`, one document per (API key name,
 * Idempotency-Key), `{ _id: '["<apiKeyName>","<idempotencyKey>"]', apiKeyName, idempotencyKey,
 * streamId, route, commandHash, createdAt }`, write concern majority. The unique `_id` is the
 * put-if-absent: an upsert that only ever inserts, so the first claim wins in any process.
 * Connects lazily (the driver connects on first use), so the service starts while MongoDB is down;
 * every driver failure is a StoreUnavailableError (503, nothing appended).
 */
import { MongoError, type Collection } from 'mongodb';
import { MongoConnection, type MongoConnectionOptions } from '../read-store/mongodb/mongo-connection';
import { DUPLICATE_KEY } from '../read-store/mongodb/mongo-errors';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { IdempotencyClaim, IdempotencyClaimStore } from './idempotency-claim-store.port';

export const CLAIM_COLLECTION = 'idempotency_keys';

interface ClaimDocument extends IdempotencyClaim {
  _id: string;
}

/** Unambiguous whatever the two strings hold. */
const claimId = (apiKeyName: string, idempotencyKey: string): string => JSON.stringify([apiKeyName, idempotencyKey]);

export type MongoIdempotencyClaimStoreOptions = MongoConnectionOptions;

export class MongoIdempotencyClaimStore implements IdempotencyClaimStore {
  private claims!: Collection<ClaimDocument>;
  private readonly connection: MongoConnection;

  constructor(options: MongoIdempotencyClaimStoreOptions) {
    this.connection = new MongoConnection(options, 'MongoDB idempotency claim store', (db) => {
      this.claims = db.collection<ClaimDocument>(CLAIM_COLLECTION);
    });
  }

  static connect(url: string, dbName?: string): MongoIdempotencyClaimStore {
    return new MongoIdempotencyClaimStore({ url, dbName });
  }

  putIfAbsent(claim: IdempotencyClaim): Promise<IdempotencyClaim> {
    return this.call('putIfAbsent', async () => {
      const _id = claimId(claim.apiKeyName, claim.idempotencyKey);
      try {
        await this.claims.updateOne({ _id }, { $setOnInsert: { ...fields(claim) } }, { upsert: true });
      } catch (error) {
        // Two upserts of one _id at once: the loser's insert collides; the winner's document is the answer.
        if (!(error instanceof MongoError && error.code === DUPLICATE_KEY)) throw error;
      }
      // Read from the primary (the driver's default) with majority written: the first claim, whoever wrote it.
      const stored = await this.claims.findOne({ _id });
      if (!stored) throw new StoreUnavailableError(`MongoDB idempotency claim store: the claim ${_id} was written but cannot be read back`);
      return fields(stored);
    });
  }

  get(apiKeyName: string, idempotencyKey: string): Promise<IdempotencyClaim | null> {
    return this.call('get', async () => {
      const stored = await this.claims.findOne({ _id: claimId(apiKeyName, idempotencyKey) });
      return stored ? fields(stored) : null;
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

function fields(claim: IdempotencyClaim): IdempotencyClaim {
  return { apiKeyName: claim.apiKeyName, idempotencyKey: claim.idempotencyKey, streamId: claim.streamId, route: claim.route, commandHash: claim.commandHash, createdAt: claim.createdAt };
}
