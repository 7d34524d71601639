/** What both embedded stores share: how a SQLite file is opened, and how its failures surface. */
import Database from 'better-sqlite3';
import { StoreUnavailableError } from './store-unavailable';

/** WAL (readers never block the writer), a busy timeout for a second process, a 64 MB page cache. */
export function openSqlite(filename: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
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
