/**
 * The embedded key store: one SQLite file of its own (runtime: DATA_DIR/keys.sqlite), WAL,
 * synchronous=FULL (a data key may encrypt an event the moment it is stored: it must not be lost).
 *
 * Shredding: `secure_delete` overwrites freed cell and page content with zeros, so the update that
 * nulls a key leaves no copy in the page; the page's older versions in the -wal file are then
 * removed by a checkpoint(TRUNCATE) that copies the new pages into the database and empties the
 * WAL. destroy() resolves only once that checkpoint completed; a checkpoint blocked by a reader
 * in another process past the busy timeout fails with StoreUnavailableError (the tombstone is
 * committed; destroy is idempotent, so retrying finishes it). The -shm file holds only page
 * numbers and checksums, never page content.
 */
import type Database from 'better-sqlite3';
import { openSqlite, SMALL_SQLITE_CACHE_MB, sqliteCall } from '../shared/sqlite';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { DataKeyRecord, KeyStore } from './key-store.port';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS data_keys (
  customer_id  TEXT PRIMARY KEY,
  wrapped_key  BLOB,
  created_at   TEXT NOT NULL,
  destroyed_at TEXT,
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);`;

interface Row {
  customer_id: string;
  wrapped_key: Buffer | null;
  created_at: string;
  destroyed_at: string | null;
}

const STORE = 'key store';

export interface SqliteKeyStoreOptions {
  filename: string;
}

/** Retries of the WAL truncation after a destroy (10, 20, … 320 ms apart: about 0.6 s in all). */
const WAL_RETRIES = 6;

export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly putTransaction;
  private readonly putManyTransaction;

  constructor(options: SqliteKeyStoreOptions) {
    try {
      this.db = openSqlite(options.filename, 'FULL', SMALL_SQLITE_CACHE_MB);
      // Before any write of this connection: every page it frees is zeroed.
      this.db.pragma('secure_delete = ON');
      if (this.db.pragma('secure_delete', { simple: true }) !== 1) throw new Error('this SQLite build cannot turn secure_delete on');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new StoreUnavailableError(`${STORE} ${options.filename} cannot be opened: ${(error as Error).message}`, { cause: error });
    }
    this.statements = {
      getMany: this.db.prepare('SELECT customer_id, wrapped_key, created_at, destroyed_at FROM data_keys WHERE customer_id IN (SELECT value FROM json_each(?))'),
      get: this.db.prepare('SELECT customer_id, wrapped_key, created_at, destroyed_at FROM data_keys WHERE customer_id = ?'),
      insert: this.db.prepare('INSERT INTO data_keys (customer_id, wrapped_key, created_at, destroyed_at) VALUES (?, ?, ?, NULL) ON CONFLICT (customer_id) DO NOTHING'),
      // A tombstone for a customer without a key, or the key nulled; the first destroyedAt stays.
      destroy: this.db.prepare(`INSERT INTO data_keys (customer_id, wrapped_key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
        ON CONFLICT (customer_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = coalesce(destroyed_at, excluded.destroyed_at)`),
    };
    // IMMEDIATE: the insert and the read-back see one state of the file, whichever process wrote first.
    this.putTransaction = this.db.transaction((customerId: string, wrappedKey: Buffer, createdAt: string) => {
      this.statements.insert.run(customerId, wrappedKey, createdAt);
      return this.statements.get.get(customerId) as Row;
    });
    this.putManyTransaction = this.db.transaction((keys: readonly { customerId: string; wrappedKey: Buffer }[], createdAt: string) =>
      keys.map(({ customerId, wrappedKey }) => {
        this.statements.insert.run(customerId, wrappedKey, createdAt);
        return this.statements.get.get(customerId) as Row;
      }),
    );
  }

  async getMany(customerIds: readonly string[]): Promise<Map<string, DataKeyRecord>> {
    if (customerIds.length === 0) return new Map();
    const rows = sqliteCall(this.db, STORE, () => this.statements.getMany.all(JSON.stringify(customerIds)) as Row[]);
    return new Map(rows.map((row) => [row.customer_id, toRecord(row)]));
  }

  async putIfAbsent(customerId: string, wrappedKey: Buffer, createdAt: string): Promise<DataKeyRecord> {
    return toRecord(sqliteCall(this.db, STORE, () => this.putTransaction.immediate(customerId, wrappedKey, createdAt)));
  }

  async putManyIfAbsent(keys: readonly { customerId: string; wrappedKey: Buffer }[], createdAt: string): Promise<Map<string, DataKeyRecord>> {
    if (keys.length === 0) return new Map();
    const rows = sqliteCall(this.db, STORE, () => this.putManyTransaction.immediate(keys, createdAt));
    return new Map(rows.map((row) => [row.customer_id, toRecord(row)]));
  }

  /**
   * Checkpoints the WAL into the file and truncates it, so no old page of a destroyed key stays in
   * it. Another connection checkpointing at the same moment (the projection thread's, meeting the
   * same erasure) makes SQLite answer busy at once, without its busy timeout: a few short retries.
   */
  private async emptyWal(): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const [result] = sqliteCall(this.db, STORE, () => this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]);
      if (result.busy === 0) return true;
      if (attempt === WAL_RETRIES) return false;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }

  async destroy(customerId: string, destroyedAt: string): Promise<void> {
    sqliteCall(this.db, STORE, () => this.statements.destroy.run(customerId, destroyedAt, destroyedAt));
    if (!(await this.emptyWal())) {
      throw new StoreUnavailableError(`${STORE}: the key of ${customerId} is destroyed, but a reader kept the WAL from being emptied, so its old bytes may still be in ${this.db.name}-wal; destroy again to finish`);
    }
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new StoreUnavailableError(`${STORE} is closed`);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRecord(row: Row): DataKeyRecord {
  return { customerId: row.customer_id, wrappedKey: row.wrapped_key, createdAt: row.created_at, destroyedAt: row.destroyed_at };
}
