/**
 * Opens the read store, the idempotency claims and the projection engine a configuration names (the
 * event store and the key store: open-event-store.ts). The MongoDB client is loaded only when
 * configured: it takes a second to load, which every `ledger` command on the embedded stores would pay.
 */
import { join } from 'node:path';
import { PROJECTIONS } from '../projections';
import type { AppConfig } from './config/config';
import type { IdempotencyClaimStore } from './idempotency/idempotency-claim-store.port';
import { SqliteIdempotencyClaimStore } from './idempotency/sqlite-idempotency-claim-store';
import { openEventStore } from './open-event-store';
import type { AppendNotices } from './projection-engine/append-notices';
import { ProjectionEngine } from './projection-engine/projection-engine';
import type { TrackOptions } from './projection-engine/projection-track';
import { ProjectionThread } from './projection-engine/projection-thread';
import type { Projections } from './projection-engine/projections';
import type { ReadModelStore } from './read-store/read-model-store.port';
import { SqliteReadModelStore } from './read-store/sqlite/sqlite-read-model-store';

/** `queryWorkers`: the embedded store's query threads (0: none, for a process or thread that only projects). */
export async function openReadStore(config: AppConfig, queryWorkers?: number): Promise<ReadModelStore> {
  switch (config.readStore) {
    case 'sqlite':
      return new SqliteReadModelStore({ filename: join(config.dataDir, 'read-models.sqlite'), queryTimeoutMs: config.queryTimeoutMs, cacheMB: config.sqliteCacheMB, queryWorkers });
    case 'mongodb':
      // loadConfig refuses READ_STORE=mongodb without MONGO_URL.
      return (require('./read-store/mongodb/mongo-read-model-store') as typeof import('./read-store/mongodb/mongo-read-model-store')).MongoReadModelStore.connect(config.mongoUrl as string, undefined, config.queryTimeoutMs);
  }
}

/** Who used each Idempotency-Key first, per API key, beside the read models: a table in DATA_DIR/read-models.sqlite, or `idempotency_keys` on MONGO_URL. */
export async function openIdempotencyClaims(config: AppConfig): Promise<IdempotencyClaimStore> {
  switch (config.readStore) {
    case 'sqlite':
      return new SqliteIdempotencyClaimStore({ filename: join(config.dataDir, 'read-models.sqlite') });
    case 'mongodb':
      // loadConfig refuses READ_STORE=mongodb without MONGO_URL.
      return (require('./idempotency/mongodb-idempotency-claim-store') as typeof import('./idempotency/mongodb-idempotency-claim-store')).MongoIdempotencyClaimStore.connect(config.mongoUrl as string);
  }
}

/**
 * Where the projections and process managers of a runtime run: not in this process ('none', the API
 * replicas of the production split), on this thread ('here': the projector, the projection
 * thread's worker, PROJECTIONS_THREAD=false), or on a worker thread of their own ('thread').
 */
export type ProjectionsPlace = 'none' | 'here' | 'thread';

export interface RuntimeOptions {
  /** Query threads of the embedded read store (default 2). */
  queryWorkers?: number;
  /** Tells the projections of appends made elsewhere (the projection thread's worker hears of the HTTP thread's). */
  appendNotices?: AppendNotices;
  /** Run the process managers beside the projections (default true; `ledger seed-demo` starts them after seeding). */
  processManagers?: boolean;
  /** How the projections read the log (default DEFAULT_TRACK_OPTIONS). */
  track?: TrackOptions;
}

/**
 * Stores, the process's one command pipeline and, unless `projections` is 'none', started
 * projections with the process managers. The pipeline is built here, not by Nest, so that the process
 * managers on this thread and the HTTP commands (AppModule provides this instance) share its
 * per-stream lock and cache.
 */
export async function openRuntime(config: AppConfig, projections: ProjectionsPlace, options: RuntimeOptions = {}) {
  const eventStore = await openEventStore(config);
  const readStore = await openReadStore(config, options.queryWorkers);
  const idempotencyClaims = await openIdempotencyClaims(config);
  // Loaded here: the `ledger` commands that open stores only should not pay for Nest's CQRS module and prom-client.
  const { ExecuteCustomerCommandHandler } = require('./commands/execute-customer-command') as typeof import('./commands/execute-customer-command');
  const { Metrics } = require('./metrics/metrics') as typeof import('./metrics/metrics');
  const { PROCESS_MANAGERS } = require('./process-managers') as typeof import('./process-managers');
  const metrics = new Metrics();
  const commands = new ExecuteCustomerCommandHandler(eventStore, config.rules, metrics, eventStore.vault, idempotencyClaims);
  const followed = options.appendNotices ? options.appendNotices.alsoFor(eventStore) : eventStore;
  const engine: Projections | null =
    projections === 'here'
      ? new ProjectionEngine(followed, readStore, PROJECTIONS, options.track, options.processManagers === false ? null : { definitions: PROCESS_MANAGERS, pipeline: commands })
      : projections === 'thread'
        ? new ProjectionThread(config, eventStore, PROJECTIONS, PROCESS_MANAGERS)
        : null;
  await engine?.start();
  return { eventStore, readStore, engine, metrics, commands, vault: eventStore.vault, idempotencyClaims };
}
