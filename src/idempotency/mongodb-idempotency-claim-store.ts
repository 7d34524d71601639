/**
 * The claim store on MongoDB: collection `idempotency_keys`, one document per (API key name,
 * Idempotency-Key), `{ _id: '["<apiKeyName>","<idempotencyKey>"]', apiKeyName, idempotencyKey,
 * streamId, route, commandHash, createdAt }`, write concern majority. The unique `_id` is the
 * put-if-absent: an upsert that only ever inserts, so the first claim wins in any process.
 * Connects lazily (the driver connects on first use), so the service starts while MongoDB is down;
 * every driver failure is a StoreUnavailableError (503, nothing appended).
 */
import { MongoClient, MongoError, MongoTopologyClosedError, type Collection, type MongoClientOptions } from 'mongodb';
import { DUPLICATE_KEY } from '../read-store/mongodb/mongo-errors';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { IdempotencyClaim, IdempotencyClaimStore } from './idempotency-claim-store.port';

export const CLAIM_COLLECTION = 'idempotency_keys';

interface ClaimDocument extends IdempotencyClaim {
  _id: string;
}

/** Unambiguous whatever the two strings hold. */
const claimId = (apiKeyName: string, idempotencyKey: string): string => JSON.stringify([apiKeyName, idempotencyKey]);

export interface MongoIdempotencyClaimStoreOptions {
  url: string;
  /** Database name; default: the one in the URL, else `customer_ledger`. */
  dbName?: string;
  /** How long an operation waits for a usable server before the store counts as unavailable (default 5 s). */
  serverSelectionTimeoutMS?: number;
  /** How long ping() waits for an answer before the store counts as down (default 800 ms). */
  pingTimeoutMS?: number;
}

export class MongoIdempotencyClaimStore implements IdempotencyClaimStore {
  private client!: MongoClient;
  private claims!: Collection<ClaimDocument>;
  private readonly url: string;
  private readonly dbName: string;
  private readonly clientOptions: MongoClientOptions;
  private readonly pingTimeoutMS: number;
  private closed = false;

  constructor(options: MongoIdempotencyClaimStoreOptions) {
    this.pingTimeoutMS = options.pingTimeoutMS ?? 800;
    // A serverSelectionTimeoutMS in the URL wins over the default of 5 s.
    const timeout = /[?&]serverSelectionTimeoutMS=/i.test(options.url) ? {} : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000 };
    this.url = options.url;
    this.clientOptions = { ...timeout, writeConcern: { w: 'majority' } };
    const fromUrl = new URL(options.url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1);
    this.dbName = options.dbName ?? (fromUrl || 'customer_ledger');
    this.openClient();
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

  async ping(): Promise<void> {
    const client = this.client;
    const command = client.db(this.dbName).command({ ping: 1 });
    command.catch((error: unknown) => this.recover(client, error));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`MongoDB idempotency claim store did not answer ping within ${this.pingTimeoutMS} ms`)), this.pingTimeoutMS);
    });
    try {
      await Promise.race([command, deadline]);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`MongoDB idempotency claim store ping failed: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }

  private openClient(): void {
    const client = new MongoClient(this.url, this.clientOptions);
    client.on('topologyClosed', () => this.recover(client));
    this.client = client;
    this.claims = client.db(this.dbName).collection<ClaimDocument>(CLAIM_COLLECTION);
  }

  /** As in MongoKeyStore: a topology closed by a failed first connect means a new client. */
  private recover(failed: MongoClient, error?: unknown): void {
    if (this.closed || failed !== this.client) return;
    if (error !== undefined && !(error instanceof MongoTopologyClosedError)) return;
    this.openClient();
    void failed.close().catch(() => undefined);
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    const client = this.client;
    try {
      return await run();
    } catch (error) {
      this.recover(client, error);
      if (error instanceof StoreUnavailableError) throw error;
      // Unreachable, not primary, write concern not met, refused: whatever the driver reports, the command does not run.
      if (error instanceof MongoError) throw new StoreUnavailableError(`MongoDB idempotency claim store unavailable during ${what}: ${error.message}`, { cause: error });
      throw error;
    }
  }
}

function fields(claim: IdempotencyClaim): IdempotencyClaim {
  return { apiKeyName: claim.apiKeyName, idempotencyKey: claim.idempotencyKey, streamId: claim.streamId, route: claim.route, commandHash: claim.commandHash, createdAt: claim.createdAt };
}
