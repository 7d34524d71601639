/** Fills an embedded event store with generated customer histories (the domain's own decide + evolve). */
import { existsSync } from 'node:fs';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { writeHistoryFile } from '../test/support/history-file';

/** A store of at least `events` generated events for `events / 20` customers at `filename`, made once and reused. */
export async function generatedStore(filename: string, events: number): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  if (!existsSync(filename)) await writeHistoryFile(filename, events);
  const store = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
  const stored = (await store.countEventsAfter(null)) ?? 0;
  await store.close();
  return { events: stored, seconds: (performance.now() - started) / 1000 };
}
