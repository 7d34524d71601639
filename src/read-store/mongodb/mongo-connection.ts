/**
 * A lazily connected MongoDB client for the small stores beside the read models (data keys,
 * idempotency claims): the driver connects on first use, so the service starts while MongoDB is
 * down; a topology closed by a failed first connect means a new client; every driver failure is a
 * StoreUnavailableError; ping answers within its own deadline.
 */
import { MongoClient, MongoError, MongoTopologyClosedError, type Db, type MongoClientOptions } from 'mongodb';
import { StoreUnavailableError } from '../../shared/store-unavailable';

export interface MongoConnectionOptions {
  url: string;
  /** Database name; default: the one in the URL, else `customer_ledger`. */
  dbName?: string;
  /** How long an operation waits for a usable server before the store counts as unavailable (default 5 s). */
  serverSelectionTimeoutMS?: number;
  /** How long ping() waits for an answer before the store counts as down (default 800 ms). */
  pingTimeoutMS?: number;
}

export class MongoConnection {
  private client!: MongoClient;
  private readonly url: string;
  private readonly dbName: string;
  private readonly clientOptions: MongoClientOptions;
  private readonly pingTimeoutMS: number;
  private closed = false;

  /** `store` names the store in errors; `opened` hears each (new) client's database. */
  constructor(
    options: MongoConnectionOptions,
    private readonly store: string,
    private readonly opened: (db: Db) => void,
  ) {
    this.pingTimeoutMS = options.pingTimeoutMS ?? 800;
    // A serverSelectionTimeoutMS in the URL wins over the default of 5 s.
    const timeout = /[?&]serverSelectionTimeoutMS=/i.test(options.url) ? {} : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000 };
    this.url = options.url;
    this.clientOptions = { ...timeout, writeConcern: { w: 'majority' } };
    const fromUrl = new URL(options.url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1);
    this.dbName = options.dbName ?? (fromUrl || 'customer_ledger');
    this.openClient();
  }

  /** Runs one operation; a driver failure becomes StoreUnavailableError (`what` names it). */
  async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    const client = this.client;
    try {
      return await run();
    } catch (error) {
      this.recover(client, error);
      if (error instanceof StoreUnavailableError) throw error;
      // Unreachable, not primary, write concern not met, refused: whatever the driver reports, the operation did not happen.
      if (error instanceof MongoError) throw new StoreUnavailableError(`${this.store} unavailable during ${what}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  async ping(): Promise<void> {
    const client = this.client;
    const command = client.db(this.dbName).command({ ping: 1 });
    command.catch((error: unknown) => this.recover(client, error));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`${this.store} did not answer ping within ${this.pingTimeoutMS} ms`)), this.pingTimeoutMS);
    });
    try {
      await Promise.race([command, deadline]);
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`${this.store} ping failed: ${(error as Error).message}`, { cause: error });
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
    this.opened(client.db(this.dbName));
  }

  /** As in MongoReadModelStore: a topology closed by a failed first connect means a new client. */
  private recover(failed: MongoClient, error?: unknown): void {
    if (this.closed || failed !== this.client) return;
    if (error !== undefined && !(error instanceof MongoTopologyClosedError)) return;
    this.openClient();
    void failed.close().catch(() => undefined);
  }
}
