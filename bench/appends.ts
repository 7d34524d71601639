/**
 * Durable appends/s, one event per append, with 1 and 64 concurrent writers: the embedded store
 * (synchronous=FULL, group commit) next to a naive one-row-per-transaction insert, same run, same disk.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { customerStream } from '../src/event-store/customer-stream';
import type { NewEvent } from '../src/event-store/event-store.port';
import { EVENT_SCHEMA } from '../src/event-store/sqlite/event-schema';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { newEvent } from '../test/support/new-events';
import { median } from './machine';

export interface AppendFigures {
  appendsPerSecond: number;
  /** Appends per commit (1 for the baseline). */
  groupFactor: number;
}

/** A purchase-sized event, as commands write them. */
const purchaseEvent = (n: number): NewEvent =>
  newEvent('PurchaseRecorded', { customerId: `bench-${n}`, purchaseId: `p-${n}`, amount: 1000 + (n % 50_000), currency: 'CNY', outletId: `outlet-${n % 20}`, items: [{ sku: `sku-${n % 300}`, quantity: 1, amount: 1000 }], occurredAt: '2026-01-01T00:00:00.000Z' }, { idempotencyKey: `key-${n}`, commandHash: 'f'.repeat(64), prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) });

/** `writers` loops, each appending to its own streams, until `seconds` have passed. */
async function drive(writers: number, seconds: number, appendOne: (writer: number, n: number) => Promise<void>): Promise<number> {
  let appended = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n++) {
        await appendOne(writer, n);
        appended += 1;
      }
    }),
  );
  return appended / ((performance.now() - started) / 1000);
}

/** The ledger's store: each writer appends to a fresh stream per event, with the expected revision checked. */
export async function measureLedgerAppends(filename: string, writers: number, seconds: number): Promise<AppendFigures> {
  const store = new SqliteEventStore({ filename });
  const run = randomUUID().slice(0, 8);
  let sequence = 0;
  const commitsBefore = store.commits;
  const perSecond = await drive(writers, seconds, async () => {
    const n = sequence++;
    await store.append(customerStream(`w-${run}-${n}`), [purchaseEvent(n)], 'no_stream');
  });
  const appends = sequence;
  const groupFactor = appends / Math.max(1, store.commits - commitsBefore);
  await store.close();
  return { appendsPerSecond: perSecond, groupFactor };
}

/** Baseline: the same row into the same table, one INSERT in its own transaction per append, same pragmas. */
export async function measureNaiveAppends(filename: string, writers: number, seconds: number): Promise<AppendFigures> {
  const run = randomUUID().slice(0, 8);
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(EVENT_SCHEMA);
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at, idempotency_key) VALUES (?, 0, ?, ?, ?, ?, ?, ?)');
  let sequence = 0;
  const perSecond = await drive(writers, seconds, async () => {
    const n = sequence++;
    const event = purchaseEvent(n);
    insert.run(customerStream(`w-${run}-${n}`), event.metadata.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.metadata.recordedAt, event.metadata.idempotencyKey);
    await Promise.resolve();
  });
  db.close();
  return { appendsPerSecond: perSecond, groupFactor: 1 };
}

/** Median of `runs` alternating runs of each, at 1 and 64 writers. */
export async function runAppendBench({ dir, seconds, runs }: { dir: string; seconds: number; runs: number }) {
  const rows: { writers: number; ledgerPerSecond: number; naivePerSecond: number; groupFactor: number; ratio: number }[] = [];
  for (const writers of [1, 64]) {
    const ledger: AppendFigures[] = [];
    const naive: AppendFigures[] = [];
    for (let run = 0; run < runs; run++) {
      naive.push(await measureNaiveAppends(join(dir, `naive-${writers}.sqlite`), writers, seconds));
      ledger.push(await measureLedgerAppends(join(dir, `ledger-${writers}.sqlite`), writers, seconds));
    }
    const ledgerPerSecond = median(ledger.map((f) => f.appendsPerSecond));
    const naivePerSecond = median(naive.map((f) => f.appendsPerSecond));
    rows.push({ writers, ledgerPerSecond, naivePerSecond, groupFactor: median(ledger.map((f) => f.groupFactor)), ratio: ledgerPerSecond / naivePerSecond });
  }
  return rows;
}
