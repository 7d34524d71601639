/** Fills an embedded event store with generated customer histories (the domain's own decide + evolve). */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { generateHistory } from '../test/support/history-generator';

const IN_FLIGHT = 512;

/** A store of at least `events` generated events for `events / 20` customers at `filename`, made once and reused. */
export async function generatedStore(filename: string, events: number): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  if (!existsSync(filename)) await generate(filename, events);
  const store = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
  const stored = (await store.countEventsAfter(null)) ?? 0;
  await store.close();
  return { events: stored, seconds: (performance.now() - started) / 1000 };
}

/** Writes the history next to `filename` and renames it into place when complete: an interrupted run leaves no partial cache. */
async function generate(filename: string, events: number): Promise<void> {
  const partial = `${filename}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  const store = new SqliteEventStore({ filename: partial, synchronous: 'NORMAL' });
  let pending: Promise<unknown>[] = [];
  for (const command of generateHistory({ customers: Math.max(10, Math.round(events / 20)), totalEvents: events, seed: 42 })) {
    pending.push(store.append(command.streamId, command.events, command.expected ?? 'no_stream'));
    if (pending.length >= IN_FLIGHT) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  // Closing the last connection checkpoints and removes the WAL: the file alone is the history.
  await store.close();
  renameSync(partial, filename);
}
