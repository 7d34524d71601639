/** Batches of the demo history from a worker thread (see worker.ts), as an async iterable; the worker stops with the iteration. */
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { fromEventText } from '../../event-store/event-text';
import { startWorker } from '../../shared/start-worker';
import type { DemoAppend, DemoOptions, DemoStats } from './generator';
import type { WorkerMessage } from './worker';

/**
 * The generator allocates short-lived objects at a high rate: a young generation of 192 MB (what
 * --max-semi-space-size=64 gives, and the projection thread's) halves its time in GC. The CLI's own thread keeps
 * node's defaults, so verify and export stay small.
 */
const startGenerator = (demo: Omit<DemoOptions, 'kinds'>): Worker => startWorker(join(__dirname, 'worker'), { workerData: { demo }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 192 } });

export async function* demoBatches(demo: Omit<DemoOptions, 'kinds'>, stats: DemoStats): AsyncGenerator<DemoAppend[]> {
  const worker = startGenerator(demo);
  const queue: WorkerMessage[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    if (!finished && code !== 0) failure ??= new Error(`the demo generator stopped (exit code ${code})`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === null) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      const message = queue.shift()!;
      if (message.kind === 'done') {
        finished = true;
        Object.assign(stats, message.stats);
        return;
      }
      worker.postMessage('more');
      yield message.appends.map(({ events, ...append }) => ({ ...append, events: events.map(fromEventText) }));
    }
  } finally {
    finished = true;
    await worker.terminate();
  }
}
