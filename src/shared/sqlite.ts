/** What both embedded stores share: how a SQLite file is opened, and how its failures surface. */
import Database from 'better-sqlite3';
import { StoreUnavailableError } from './store-unavailable';

/**
 * Page cache per connection, MB (SQLITE_CACHE_MB), for the event store, the read store and each
 * query worker. Every connection fills its cache as its file grows, so this bounds what SQLite
 * holds in memory; pages beyond it are read from the OS's file cache.
 */
export const DEFAULT_SQLITE_CACHE_MB = 16;

/** The key and claim stores answer lookups by primary key on small tables. */
export const SMALL_SQLITE_CACHE_MB = 2;

/** Sets a connection's page cache to `mb` megabytes (a negative cache_size is KiB). */
export function setCacheSize(db: Database.Database, mb: number): void {
  db.pragma(`cache_size = -${Math.round(mb * 1024)}`);
}

/** WAL (readers never block the writer), a busy timeout for a second process, a bounded page cache. */
export function openSqlite(filename: string, synchronous: 'FULL' | 'NORMAL', cacheMB: number = DEFAULT_SQLITE_CACHE_MB): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  setCacheSize(db, cacheMB);
  return db;
}

/** Runs a statement; a closed or failing database is an unavailable store (503), not a programming error (500). */
export function sqliteCall<T>(db: Database.Database, store: string, run: () => T): T {
  if (!db.open) throw new StoreUnavailableError(`${store} is closed`);
  try {
    return run();
  } catch (error) {
    throw new StoreUnavailableError(`${store} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** The one-row table a health probe writes: never part of the data, overwritten in place. */
export const HEALTH_PROBE_SCHEMA = 'CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL)';

/** How long a probe waits for another connection's write lock: a health check must answer fast. */
const PROBE_BUSY_TIMEOUT_MS = 250;

/**
 * Writes the probe row (a committed write, so it meets a full disk the way an append does: the WAL
 * has to grow) and reads it back. Runs synchronously between this connection's transactions.
 */
export function sqliteProbe(db: Database.Database, store: string): void {
  sqliteCall(db, store, () => {
    const busy = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
    try {
      const at = new Date().toISOString();
      db.prepare('INSERT INTO health_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at').run(at);
      if (db.prepare('SELECT checked_at FROM health_probe WHERE id = 1').pluck().get() !== at) throw new Error('the probe row did not read back');
    } finally {
      db.pragma(`busy_timeout = ${busy}`);
    }
  });
}
