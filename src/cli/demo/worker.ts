/**
 * The demo history generated on a worker thread, sent in batches: deciding and hashing run on one
 * core while the main thread appends (SQLite) on the other. At most AHEAD batches wait unread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toEventText, type EventText } from '../../event-store/event-text';
import { demoHistory, type DemoAppend, type DemoOptions, type DemoStats } from './generator';

/** An append as sent: its events as JSON text, which the main thread's store writes as it is. */
export type SentAppend = Omit<DemoAppend, 'events'> & { events: EventText[] };

export type WorkerMessage = { kind: 'batch'; appends: SentAppend[] } | { kind: 'done'; stats: DemoStats };

/** Appends per batch: the main thread queues a batch at once, so it becomes one group commit. */
export const BATCH = 1024;
const AHEAD = 4;

async function run(port: NonNullable<typeof parentPort>, options: DemoOptions): Promise<void> {
  let credits = AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits += 1;
    wake?.();
  });
  const send = async (appends: DemoAppend[]) => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    const sent = appends.map(({ streamId, expected, at, events }): SentAppend => ({ streamId, expected, at, events: events.map(toEventText) }));
    port.postMessage({ kind: 'batch', appends: sent } satisfies WorkerMessage);
  };
  const stats: DemoStats = { commands: 0, events: 0, refused: {}, byKind: {} };
  let batch: DemoAppend[] = [];
  for (const append of demoHistory(options, stats)) {
    batch.push(append);
    if (batch.length === BATCH) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await send(batch);
  port.postMessage({ kind: 'done', stats } satisfies WorkerMessage);
  port.close();
}

if (parentPort && (workerData as { demo?: DemoOptions } | null)?.demo) void run(parentPort, (workerData as { demo: DemoOptions }).demo);
