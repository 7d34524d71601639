/**
 * Opens the event store a configuration names, and the key store its personal data is opened with.
 * Apart from the runtime (runtime.ts) so that a thread that only reads the log (the export's) does
 * not load the projections, the read store and the command pipeline. The EventStoreDB and MongoDB
 * clients are loaded only when configured.
 */
import { join } from 'node:path';
import type { AppConfig } from './config/config';
import type { EventStore } from './event-store/event-store.port';
import { SqliteEventStore } from './event-store/sqlite/sqlite-event-store';
import { DecryptingEventStore } from './privacy/decrypting-event-store';
import type { KeyStore } from './privacy/key-store.port';
import { loadMasterKey } from './privacy/master-key';
import { PersonalDataVault } from './privacy/personal-data-vault';
import { SqliteKeyStore } from './privacy/sqlite-key-store';

/** The event store as stored: personal fields sealed. Only tools that copy or check stored bytes use it bare. */
export async function openStoredEventStore(config: AppConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite'), cacheMB: config.sqliteCacheMB });
    case 'eventstoredb':
      return (require('./event-store/eventstoredb/eventstoredb-event-store') as typeof import('./event-store/eventstoredb/eventstoredb-event-store')).EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
}

/** The data keys of crypto-shredding, beside the read models: DATA_DIR/keys.sqlite, or `personal_data_keys` on MONGO_URL. */
export async function openKeyStore(config: AppConfig): Promise<KeyStore> {
  switch (config.readStore) {
    case 'sqlite':
      return new SqliteKeyStore({ filename: join(config.dataDir, 'keys.sqlite') });
    case 'mongodb':
      // loadConfig refuses READ_STORE=mongodb without MONGO_URL.
      return (require('./privacy/mongodb-key-store') as typeof import('./privacy/mongodb-key-store')).MongoKeyStore.connect(config.mongoUrl as string);
  }
}

/**
 * The event store the service reads and writes: personal fields opened on every read (decrypted, or
 * erased placeholders) with the data keys of the key store, wrapped by the master key.
 */
export async function openEventStore(config: AppConfig): Promise<DecryptingEventStore> {
  const stored = await openStoredEventStore(config);
  const { key } = loadMasterKey(config.masterKey, config.dataDir);
  return new DecryptingEventStore(stored, await PersonalDataVault.open(await openKeyStore(config), key));
}
