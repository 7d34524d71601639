/**
 * The embedded claim store: table `idempotency_keys` in the read models' file (runtime:
 * DATA_DIR/read-models.sqlite, so `ledger backup` and `restore` carry it), on a connection of its
 * own with synchronous=FULL: a claim is answered only once it is durable, like the append after it.
 * Claims made while a commit is pending share the next one (group commit, as the event store's
 * appends do): one fsync per turn of the event loop, not one per command. Several processes on one
 * data directory agree through SQLite's write lock (IMMEDIATE transaction).
 */
import type Database from 'better-sqlite3';
import { openSqlite, SMALL_SQLITE_CACHE_MB, sqliteCall } from '../shared/sqlite';
import { StoreUnavailableError } from '../shared/store-unavailable';
import { TurnBatch } from '../shared/turn-batch';
import type { IdempotencyClaim, IdempotencyClaimStore } from './idempotency-claim-store.port';

/** The claims table (bench/claims.ts builds its baseline on it). */
export const CLAIM_SCHEMA = `
CREATE TABLE IF NOT EXISTS idempotency_keys (
  api_key_name    TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  stream_id       TEXT NOT NULL,
  route           TEXT NOT NULL,
  command_hash    TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (api_key_name, idempotency_key)
) WITHOUT ROWID;`;

interface Row {
  api_key_name: string;
  idempotency_key: string;
  stream_id: string;
  route: string;
  command_hash: string;
  created_at: string;
}

const STORE = 'idempotency claim store';

export interface SqliteIdempotencyClaimStoreOptions {
  filename: string;
}

interface PendingClaim {
  claim: IdempotencyClaim;
  resolve(stored: IdempotencyClaim): void;
  reject(error: unknown): void;
}

export class SqliteIdempotencyClaimStore implements IdempotencyClaimStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly putTransaction;
  private readonly pending = new TurnBatch<PendingClaim>((batch) => this.commit(batch));
  /** Transactions committed so far; claims / commits is the group-commit factor. */
  commits = 0;

  constructor(options: SqliteIdempotencyClaimStoreOptions) {
    try {
      this.db = openSqlite(options.filename, 'FULL', SMALL_SQLITE_CACHE_MB);
      this.db.exec(CLAIM_SCHEMA);
    } catch (error) {
      throw new StoreUnavailableError(`${STORE} ${options.filename} cannot be opened: ${(error as Error).message}`, { cause: error });
    }
    this.statements = {
      get: this.db.prepare('SELECT api_key_name, idempotency_key, stream_id, route, command_hash, created_at FROM idempotency_keys WHERE api_key_name = ? AND idempotency_key = ?'),
      insert: this.db.prepare(`INSERT INTO idempotency_keys (api_key_name, idempotency_key, stream_id, route, command_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (api_key_name, idempotency_key) DO NOTHING`),
    };
    // IMMEDIATE: each insert and its read-back see one state of the file, whichever process wrote
    // first; within a group, a later claim of the same key reads the earlier one's row.
    this.putTransaction = this.db.transaction((claims: IdempotencyClaim[]) =>
      claims.map((claim) => {
        this.statements.insert.run(claim.apiKeyName, claim.idempotencyKey, claim.streamId, claim.route, claim.commandHash, claim.createdAt);
        return this.statements.get.get(claim.apiKeyName, claim.idempotencyKey) as Row;
      }),
    );
  }

  putIfAbsent(claim: IdempotencyClaim): Promise<IdempotencyClaim> {
    if (!this.db.open) return Promise.reject(new StoreUnavailableError(`${STORE} is closed`));
    return new Promise((resolve, reject) => this.pending.push({ claim, resolve, reject }));
  }

  async get(apiKeyName: string, idempotencyKey: string): Promise<IdempotencyClaim | null> {
    const row = sqliteCall(this.db, STORE, () => this.statements.get.get(apiKeyName, idempotencyKey) as Row | undefined);
    return row ? toClaim(row) : null;
  }

  async ping(): Promise<void> {
    if (!this.db.open) throw new StoreUnavailableError(`${STORE} is closed`);
  }

  async close(): Promise<void> {
    this.pending.flush();
    if (this.db.open) this.db.close();
  }

  /** Commits a turn's claims in one transaction; a failure fails them all (none was stored). */
  private commit(batch: PendingClaim[]): void {
    let rows: Row[];
    try {
      rows = sqliteCall(this.db, STORE, () => this.putTransaction.immediate(batch.map((pending) => pending.claim)));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.commits += 1;
    batch.forEach((pending, index) => pending.resolve(toClaim(rows[index])));
  }
}

function toClaim(row: Row): IdempotencyClaim {
  return { apiKeyName: row.api_key_name, idempotencyKey: row.idempotency_key, streamId: row.stream_id, route: row.route, commandHash: row.command_hash, createdAt: row.created_at };
}
