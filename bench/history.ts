/** Fills an embedded event store with generated customer histories (the domain's own decide + evolve). */
import { existsSync } from 'node:fs';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { generateHistory } from '../test/support/history-generator';

const IN_FLIGHT = 512;

/** Appends at least `events` events for `events / 20` customers to `filename` unless it already holds them. */
export async function generatedStore(filename: string, events: number): Promise<{ events: number; seconds: number }> {
  const reuse = existsSync(filename);
  const store = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
  const started = performance.now();
  if (!reuse) {
    let pending: Promise<unknown>[] = [];
    for (const command of generateHistory({ customers: Math.max(10, Math.round(events / 20)), totalEvents: events, seed: 42 })) {
      pending.push(store.append(command.streamId, command.events, command.expected ?? 'no_stream'));
      if (pending.length >= IN_FLIGHT) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  }
  const stored = (await store.countEventsAfter(null)) ?? 0;
  await store.close();
  return { events: stored, seconds: (performance.now() - started) / 1000 };
}
