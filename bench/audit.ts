/**
 * Auditor reads: fold one long stream (next to a raw read + parse of the same rows) and export a
 * very long stream as NDJSON over HTTP (events/s and the server's peak RSS).
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomerEvent } from '../src/customer/events';
import { customerStream, stampEvents } from '../src/event-store/customer-stream';
import { GENESIS_HASH } from '../src/event-store/hash-chain';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { foldHistory } from '../src/queries/audit-reads';
import { median } from './machine';
import { startServer } from './server';

const CHUNK = 1000;

/** Appends one customer with `events` events (a registration, then visits), hash-chained as commands write them. */
export async function appendLongStream(store: SqliteEventStore, customerId: string, events: number): Promise<void> {
  const streamId = customerStream(customerId);
  let prevHash = GENESIS_HASH;
  let revision: bigint | null = null;
  for (let from = 0; from < events; from += CHUNK) {
    const domainEvents: CustomerEvent[] = [];
    for (let n = from; n < Math.min(events, from + CHUNK); n++) {
      const occurredAt = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
      domainEvents.push(
        n === 0
          ? { type: 'CustomerRegistered', data: { customerId, name: 'Long History', email: 'long@example.com', phone: null, address: null, outletId: 'outlet-1', preferences: { channels: ['email'], categories: [] }, occurredAt } }
          : { type: 'CustomerVisited', data: { customerId, visitId: `v-${n}`, outletId: `outlet-${n % 20}`, channel: 'store', purpose: null, occurredAt } },
      );
    }
    const stamped = stampEvents(streamId, domainEvents, prevHash, { commandId: `long-${from}`, correlationId: 'bench', actor: { name: 'bench', role: 'writer' }, idempotencyKey: null, commandHash: null, recordedAt: domainEvents[0].data.occurredAt });
    const result = await store.append(streamId, stamped, revision ?? 'no_stream');
    revision = result.nextRevision;
    prevHash = stamped[stamped.length - 1].metadata.hash;
  }
}

/** Folds a 10k-event stream with the auditors' code path; baseline: the same rows read and JSON-parsed, nothing else. */
export async function measureFold(dir: string, events: number, runs: number) {
  const filename = join(dir, 'fold.sqlite');
  const store = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
  await appendLongStream(store, 'fold', events);
  const raw = new Database(filename, { readonly: true });
  const select = raw.prepare('SELECT type, data, metadata FROM events WHERE stream_id = ? ORDER BY revision');
  const rawMs: number[] = [];
  const foldMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    for (const row of select.all(customerStream('fold')) as { data: string; metadata: string }[]) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    rawMs.push(performance.now() - started);
    started = performance.now();
    const { revision } = await foldHistory(store, customerStream('fold'));
    if (revision !== events - 1) throw new Error(`folded to ${revision}`);
    foldMs.push(performance.now() - started);
  }
  raw.close();
  await store.close();
  const fold = median(foldMs);
  const baseline = median(rawMs);
  return { events, foldMs: fold, rawReadParseMs: baseline, ratio: fold / baseline };
}

/** GET /v1/customers/{id}/events/export of one `events`-long stream from a served app; the server's VmHWM is its peak RSS. */
export async function measureExport(dir: string, events: number) {
  const serverDir = join(dir, 'export');
  // ledger-server.ts serves DATA_DIR=<its first argument>/ledger.
  mkdirSync(join(serverDir, 'ledger'), { recursive: true });
  const store = new SqliteEventStore({ filename: join(serverDir, 'ledger', 'events.sqlite'), synchronous: 'NORMAL' });
  await appendLongStream(store, 'export', events);
  await store.close();
  const server = await startServer('ledger-server.ts', [serverDir, '0', 'false']);
  const rssMB = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  try {
    const idleRssMB = rssMB('VmRSS');
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${server.port}/v1/customers/export/events/export`, { headers: { authorization: 'Bearer bench-secret-2' } });
    if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    if (lines !== events) throw new Error(`exported ${lines} of ${events} lines`);
    return { events, eventsPerSecond: events / seconds, seconds, peakRssMB: rssMB('VmHWM'), idleRssMB };
  } finally {
    server.child.kill();
  }
}
