/**
 * Auditor reads: fold one long stream (next to a raw read + parse of the same rows) and export a
 * very long stream as NDJSON over HTTP (events/s and the server's peak RSS).
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

export interface ExportFigures {
  events: number;
  eventsPerSecond: number;
  seconds: number;
  /** The server's peak RSS during this export (VmHWM, reset before it). */
  peakRssMB: number;
  idleRssMB: number;
}

/**
 * Exports of an `events`-long history from a served app: one customer's stream
 * (GET /v1/customers/{id}/events/export) and the whole ledger (GET /v1/events/export), next to a
 * baseline in this process that only reads the same rows (every column) and joins them into lines.
 * The server's VmHWM is reset before each export (/proc/<pid>/clear_refs), so each peak is its own.
 */
export async function measureExport(dir: string, events: number): Promise<{ customer: ExportFigures; ledger: ExportFigures; rawRowsPerSecond: number }> {
  const serverDir = join(dir, 'export');
  // ledger-server.ts serves DATA_DIR=<its first argument>/ledger.
  mkdirSync(join(serverDir, 'ledger'), { recursive: true });
  const filename = join(serverDir, 'ledger', 'events.sqlite');
  const store = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
  await appendLongStream(store, 'export', events);
  await store.close();
  const rawRowsPerSecond = rawExportRate(filename);
  const server = await startServer('ledger-server.ts', [serverDir, '0', 'false']);
  const status = () => readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const rssMB = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status())?.[1] ?? 0) / 1024;
  const exportOver = async (path: string): Promise<ExportFigures> => {
    writeFileSync(`/proc/${server.child.pid}/clear_refs`, '5');
    const idleRssMB = rssMB('VmRSS');
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers: { authorization: 'Bearer bench-secret-2' } });
    if (!response.ok || !response.body) throw new Error(`${path} answered ${response.status}`);
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    if (lines !== events) throw new Error(`${path} exported ${lines} of ${events} lines`);
    return { events, eventsPerSecond: events / seconds, seconds, peakRssMB: rssMB('VmHWM'), idleRssMB };
  };
  try {
    return { customer: await exportOver('/v1/customers/export/events/export'), ledger: await exportOver('/v1/events/export'), rawRowsPerSecond };
  } finally {
    server.child.kill();
  }
}

/** Rows per second of the floor: SELECT every column of the log in order and join each row into a line. */
function rawExportRate(filename: string): number {
  const db = new Database(filename, { readonly: true });
  try {
    const started = performance.now();
    let bytes = 0;
    let rows = 0;
    for (const row of db.prepare('SELECT seq, stream_id, revision, type, data, metadata FROM events ORDER BY seq').iterate() as Iterable<{ seq: number; stream_id: string; revision: number; type: string; data: string; metadata: string }>) {
      bytes += `{"position":"${row.seq}/${row.seq}","streamId":"${row.stream_id}","revision":${row.revision},"type":"${row.type}","data":${row.data},"metadata":${row.metadata}}\n`.length;
      rows += 1;
    }
    // The lines are used, so the joins cannot be optimised away.
    if (bytes === 0 && rows > 0) throw new Error('no bytes read');
    return rows / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
