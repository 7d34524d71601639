/**
 * One thread of `ledger rebuild --threads n` (rebuild.ts): opens the stores on connections of its
 * own, rebuilds its share of the projections with an engine that knows only those (so it never
 * resumes a rebuild another thread runs), and tells the main thread how far it is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../config/config';
import type { Progress } from './progress';
import type { RebuildResult } from './rebuild';

export interface RebuildWorkerData {
  config: AppConfig;
  names: string[];
}

export type FromRebuildWorker =
  | { kind: 'start'; total: number | null }
  | { kind: 'progress'; value: number }
  | { kind: 'done'; result: RebuildResult }
  | { kind: 'failed'; error: string; exitCode: number };

async function run(port: NonNullable<typeof parentPort>, { config, names }: RebuildWorkerData): Promise<void> {
  const send = (message: FromRebuildWorker) => port.postMessage(message);
  // Loaded here, not at the top: a module that imports this one's types must not load the runtime.
  const { openEventStore, openReadStore } = require('../runtime') as typeof import('../runtime');
  const { rebuildProjections } = require('./rebuild') as typeof import('./rebuild');
  const { CliError, EXIT } = require('./cli') as typeof import('./cli');
  let value = 0;
  const bar: Progress = {
    start: (total) => send({ kind: 'start', total }),
    increment: (by = 1) => send({ kind: 'progress', value: (value += by) }),
    update: (next) => send({ kind: 'progress', value: (value = next) }),
    stop: () => undefined,
  };
  try {
    const events = await openEventStore(config);
    try {
      // No query workers: this thread only writes.
      const readModels = await openReadStore(config, 0);
      try {
        send({ kind: 'done', result: await rebuildProjections(events, readModels, names, bar) });
      } finally {
        await readModels.close();
      }
    } finally {
      await events.close();
    }
  } catch (error) {
    send({ kind: 'failed', error: error instanceof Error ? error.message : String(error), exitCode: error instanceof CliError ? error.exitCode : EXIT.failure });
  }
}

if (parentPort && (workerData as Partial<RebuildWorkerData> | null)?.config) void run(parentPort, workerData as RebuildWorkerData);
