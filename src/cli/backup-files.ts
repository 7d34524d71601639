/** Which files a backup of DATA_DIR holds, and how it describes itself. */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { CliError, EXIT } from './cli';

/** The embedded stores' files, copied with SQLite's online backup (consistent while the service writes). */
export const DATABASES = { eventStore: 'events.sqlite', readStore: 'read-models.sqlite', keyStore: 'keys.sqlite' } as const;
/**
 * Plain files copied as they are: the API keys' hashes and the master key (unless it comes from
 * LEDGER_MASTER_KEY, which a restore then needs as well). A backup thus holds the data keys of
 * customers forgotten after it was made (docs/privacy.md).
 */
export const KEY_FILES = ['api-keys.json', 'master.key'] as const;
export const MANIFEST = 'ledger-backup.json';

export interface Manifest {
  format: 'customer-ledger-backup/1';
  createdAt: string;
  events: number;
  headPosition: string | null;
  files: string[];
}

/** The databases of the configured embedded stores (an EventStoreDB or MongoDB store is backed up with its own tools). */
export function embeddedDatabases(config: AppConfig): string[] {
  const names: string[] = [];
  if (config.eventStore === 'sqlite') names.push(DATABASES.eventStore);
  // The data keys live beside the read models.
  if (config.readStore === 'sqlite') names.push(DATABASES.readStore, DATABASES.keyStore);
  if (names.length === 0) throw new CliError('backup and restore cover the embedded stores; both stores here are servers (EVENT_STORE, READ_STORE)');
  return names;
}

/** Events and head of an events.sqlite file, read directly. */
export function countEvents(file: string): { events: number; headPosition: string | null } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS events, max(seq) AS head FROM events').get() as { events: number; head: number | null };
    return { events: row.events, headPosition: row.head === null ? null : `${row.head}/${row.head}` };
  } finally {
    db.close();
  }
}

export function readManifest(dir: string): Manifest {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new CliError(`${dir} is not a ledger backup (no ${MANIFEST})`, EXIT.failure);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (manifest.format !== 'customer-ledger-backup/1' || !Array.isArray(manifest.files)) throw new CliError(`${file} is not a backup manifest this version reads`, EXIT.failure);
  return manifest;
}
