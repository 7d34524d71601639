/**
 * The worker side of ProjectionThread (projection-thread.ts): opens the stores on connections of
 * its own, runs a ProjectionEngine with the process managers on them, and answers the HTTP thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StoreUnavailableError } from '../shared/store-unavailable';
import { AppendNotices } from './append-notices';
import type { ProjectionEngine } from './projection-engine';
import type { ProjectionThreadData } from './projection-thread';

export type ThreadCall = 'states' | 'processManagerStates' | 'rebuild' | 'collectionOf' | 'stop';

export type ToWorker = { kind: 'appended' } | { kind: 'call'; id: number; method: ThreadCall; args: string[] };

export type FromWorker =
  | { kind: 'started' }
  | { kind: 'start-failed'; error: string }
  /** Where each projection stands and which collection serves it, whenever they move. */
  | { kind: 'moved'; positions: Record<string, string | null>; collections: Record<string, string> }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string; storeUnavailable: boolean };

async function run(port: NonNullable<typeof parentPort>, { config, processManagers, track }: ProjectionThreadData): Promise<void> {
  const send = (message: FromWorker) => port.postMessage(message);
  const notices = new AppendNotices();
  port.on('message', (message: ToWorker) => {
    if (message.kind === 'appended') notices.announce();
    else void answer(message.id, message.method, message.args);
  });
  // Loaded after the message handler is in place: the runtime takes a while to load and open.
  const { openRuntime } = require('../runtime') as typeof import('../runtime');
  const { PROJECTIONS } = require('../../projections') as typeof import('../../projections');
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(config, 'here', { queryWorkers: 0, appendNotices: notices, processManagers, track });
  } catch (error) {
    send({ kind: 'start-failed', error: error instanceof Error ? error.message : String(error) });
    return;
  }
  const engine = runtime.engine as ProjectionEngine;
  let scheduled = false;
  const moved = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const positions: Record<string, string | null> = {};
      const collections: Record<string, string> = {};
      for (const { name } of PROJECTIONS) {
        positions[name] = engine.positionOf(name);
        const collection = engine.servingCollection(name);
        if (collection !== undefined) collections[name] = collection;
      }
      send({ kind: 'moved', positions, collections });
    });
  };
  engine.onChange(moved);
  moved();
  send({ kind: 'started' });

  async function answer(id: number, method: ThreadCall, args: string[]): Promise<void> {
    try {
      let value: unknown;
      if (method === 'states') value = await engine.states();
      else if (method === 'processManagerStates') value = await engine.processManagerStates();
      else if (method === 'rebuild') value = await engine.rebuild(args[0]);
      else if (method === 'collectionOf') value = await engine.collectionOf(args[0]);
      else {
        await engine.stop();
        await Promise.all([runtime.eventStore.close(), runtime.readStore.close(), runtime.idempotencyClaims.close()]);
      }
      send({ kind: 'reply', id, ok: true, value });
    } catch (error) {
      send({ kind: 'reply', id, ok: false, error: error instanceof Error ? error.message : String(error), storeUnavailable: error instanceof StoreUnavailableError });
    }
  }
}

if (parentPort && (workerData as Partial<ProjectionThreadData> | null)?.config) void run(parentPort, workerData as ProjectionThreadData);
