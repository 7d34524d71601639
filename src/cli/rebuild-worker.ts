/**
 * One thread of `ledger rebuild --threads n` (rebuild.ts): opens the stores on connections of its
 * own, rebuilds its share of the projections with an engine that knows only those (so it never
 * resumes a rebuild another thread runs), and tells the main thread how far it is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../config/config';
import { CliError, EXIT } from './cli';
import type { Progress } from './progress';
import { rebuildProjections, type RebuildResult } from './rebuild';
import { withStores } from './stores';

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
  let value = 0;
  const bar: Progress = {
    start: (total) => send({ kind: 'start', total }),
    increment: (by = 1) => send({ kind: 'progress', value: (value += by) }),
    update: (next) => send({ kind: 'progress', value: (value = next) }),
    stop: () => undefined,
  };
  try {
    // No query workers: this thread only writes read models.
    send({ kind: 'done', result: await withStores(config, (events, readModels) => rebuildProjections(events, readModels, names, bar), 0) });
  } catch (error) {
    send({ kind: 'failed', error: error instanceof Error ? error.message : String(error), exitCode: error instanceof CliError ? error.exitCode : EXIT.failure });
  }
}

if (parentPort && (workerData as Partial<RebuildWorkerData> | null)?.config) void run(parentPort, workerData as RebuildWorkerData);
