/**
 * A generated history of `events` events in an embedded event store file, made once per machine
 * (cached in the temporary directory, written aside and renamed when complete) and copied where a
 * test needs it: generating 200k events takes about ten seconds.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { generateHistory } from './history-generator';

const IN_FLIGHT = 512;

/**
 * Copies the cached history of at least `events` events to `to` and returns how many it holds: the
 * generator stops after the command that reaches `events`, and a command may record two events.
 */
export async function copyHistory(events: number, to: string): Promise<number> {
  const cached = join(tmpdir(), `customer-ledger-test-history-${events}.sqlite`);
  if (!existsSync(cached)) await writeHistoryFile(cached, events);
  // Counted in the cache (closing it leaves the file alone again), so the copy is untouched.
  const store = new SqliteEventStore({ filename: cached, synchronous: 'NORMAL' });
  let stored: number;
  try {
    stored = (await store.countEventsAfter(null)) ?? 0;
  } finally {
    await store.close();
  }
  copyFileSync(cached, to);
  return stored;
}

/** Writes a generated history of `events` events to `filename`, aside first and renamed when complete (an interrupted run leaves no partial file). */
export async function writeHistoryFile(filename: string, events: number): Promise<void> {
  const partial = `${filename}.${process.pid}.partial`;
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
