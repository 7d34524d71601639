/**
 * Opens the stores and the projection engine a configuration names. The server clients (EventStoreDB,
 * MongoDB) are loaded only when configured: they take a second to load, which every `ledger` command on
 * the embedded stores would pay.
 */
import { join } from 'node:path';
import { PROJECTIONS } from '../projections';
import { ExecuteCustomerCommandHandler } from './commands/execute-customer-command';
import type { AppConfig } from './config/config';
import type { EventStore } from './event-store/event-store.port';
import { SqliteEventStore } from './event-store/sqlite/sqlite-event-store';
import { Metrics } from './metrics/metrics';
import { PROCESS_MANAGERS } from './process-managers';
import { ProjectionEngine } from './projection-engine/projection-engine';
import type { ReadModelStore } from './read-store/read-model-store.port';
import { SqliteReadModelStore } from './read-store/sqlite/sqlite-read-model-store';

export async function openEventStore(config: AppConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite') });
    case 'eventstoredb':
      return (require('./event-store/eventstoredb/eventstoredb-event-store') as typeof import('./event-store/eventstoredb/eventstoredb-event-store')).EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
}

export async function openReadStore(config: AppConfig): Promise<ReadModelStore> {
  switch (config.readStore) {
    case 'sqlite':
      return new SqliteReadModelStore({ filename: join(config.dataDir, 'read-models.sqlite'), queryTimeoutMs: config.queryTimeoutMs });
    case 'mongodb':
      // loadConfig refuses READ_STORE=mongodb without MONGO_URL.
      return (require('./read-store/mongodb/mongo-read-model-store') as typeof import('./read-store/mongodb/mongo-read-model-store')).MongoReadModelStore.connect(config.mongoUrl as string, undefined, config.queryTimeoutMs);
  }
}

/**
 * Stores, the process's one command pipeline and, when `withProjections`, a started projection
 * engine with the process managers. The pipeline is built here, not by Nest, so that the process
 * managers and the HTTP commands (AppModule provides this instance) share its per-stream lock and cache.
 */
export async function openRuntime(config: AppConfig, withProjections: boolean) {
  const eventStore = await openEventStore(config);
  const readStore = await openReadStore(config);
  const metrics = new Metrics();
  const commands = new ExecuteCustomerCommandHandler(eventStore, config.rules, metrics);
  const engine = withProjections ? new ProjectionEngine(eventStore, readStore, PROJECTIONS, undefined, { definitions: PROCESS_MANAGERS, pipeline: commands }) : null;
  await engine?.start();
  return { eventStore, readStore, engine, metrics, commands };
}
