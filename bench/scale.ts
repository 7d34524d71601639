/**
 * Does the append rate hold as the store grows? Measures durable appends/s (64 writers) on one
 * file at each size, bulk-filling it in between with rows shaped like the ledger's own.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMA } from '../src/event-store/sqlite/event-schema';
import { measureLedgerAppends } from './appends';

const FILL_TRANSACTION = 100_000;

/** Inserts rows until the file holds `target` events (synchronous OFF: this is set-up, not the measurement). */
function fillTo(filename: string, target: number): void {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(EVENT_SCHEMA);
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const metadata = (eventId: string) =>
    JSON.stringify({ eventId, correlationId: randomUUID(), causationId: randomUUID(), actor: { name: 'bulk', role: 'writer' }, idempotencyKey: null, commandHash: null, occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) });
  const fill = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const eventId = randomUUID();
      insert.run(`customer-bulk-${Math.floor(n / 20)}`, n % 20, eventId, 'CustomerVisited', JSON.stringify({ customerId: `bulk-${Math.floor(n / 20)}`, visitId: `v-${n}`, outletId: `outlet-${n % 20}`, channel: 'store', purpose: null, occurredAt: '2026-01-01T00:00:00.000Z' }), metadata(eventId), '2026-01-01T00:00:00.000Z', null);
    }
  });
  let stored = (db.prepare('SELECT count(*) FROM events WHERE stream_id LIKE ?').pluck().get('customer-bulk-%') as number) ?? 0;
  while (stored < target) {
    const to = Math.min(target, stored + FILL_TRANSACTION);
    fill(stored, to);
    stored = to;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

export async function runScaleBench({ filename, sizes, seconds }: { filename: string; sizes: number[]; seconds: number }) {
  const rows: { storedEvents: number; appendsPerSecond: number; relativeToFirst: number }[] = [];
  for (const size of sizes) {
    fillTo(filename, size);
    const { appendsPerSecond } = await measureLedgerAppends(filename, 64, seconds);
    rows.push({ storedEvents: size, appendsPerSecond, relativeToFirst: appendsPerSecond / (rows[0]?.appendsPerSecond ?? appendsPerSecond) });
  }
  return rows;
}
