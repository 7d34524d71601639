/**
 * Auditor reads: fold one long stream (next to a raw read + parse of the same rows) and export a
 * very long stream as NDJSON, over HTTP and with `ledger export` (events/s and the process's peak RSS).
 */
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomerEvent } from '../src/customer/events';
import { customerStream, stampEvents } from '../src/event-store/customer-stream';
import { GENESIS_HASH } from '../src/event-store/hash-chain';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { foldHistory } from '../src/queries/audit-reads';
import { median } from './machine';
import { startNodeFlags } from './server';

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
  /** The process's peak RSS during this export (VmHWM, reset before it, or of the whole CLI process). */
  peakRssMB: number;
  idleRssMB: number;
}

const ROOT = join(__dirname, '..');
const AUDITOR = 'bench-auditor-secret-1';

/** The compiled service and CLI, as `npm start` and `npx ledger` run them (an incremental build: seconds when nothing changed). */
function build(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

const rssMB = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** `npm start`'s command (its node flags, from package.json) on `dataDir`, projections off; resolves when it listens. */
async function serveCompiled(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...startNodeFlags(), 'dist/src/main.js'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATA_DIR: dataDir, PORT: '0', RUN_PROJECTIONS: 'false', API_KEYS: `bench-audit:auditor:${AUDITOR}` } });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}: ${out}`)));
  });
}

/** `ledger export` of the whole ledger to /dev/null, as `npx ledger` runs it; peak RSS sampled every 20 ms (VmHWM). */
async function cliExport(dataDir: string, events: number): Promise<ExportFigures> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'export', '--out', '/dev/null', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATA_DIR: dataDir } });
  let peakRssMB = 0;
  let idleRssMB = 0;
  const sampler = setInterval(() => {
    try {
      // A process that has exited but is not yet reaped has no VmHWM line (0).
      peakRssMB = Math.max(peakRssMB, rssMB(child.pid as number, 'VmHWM'));
      idleRssMB ||= rssMB(child.pid as number, 'VmRSS');
    } catch {
      // exited between two samples
    }
  }, 20);
  let report = '';
  // With --out, the --json summary is the only thing on stdout.
  child.stdout?.on('data', (chunk: Buffer) => (report += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const summary = JSON.parse(report.trim().split('\n').pop() ?? '{}') as { events?: number; eventsPerSecond?: number };
  if (code !== 0 || summary.events !== events) throw new Error(`ledger export exited with ${code}: ${report}`);
  // The CLI's own rate (reading to the last write), and the process's peak; idle is its first sample, at start-up.
  return { events, eventsPerSecond: summary.eventsPerSecond as number, seconds, peakRssMB, idleRssMB };
}

/**
 * Exports of an `events`-long history: one customer's stream (GET /v1/customers/{id}/events/export)
 * and the whole ledger (GET /v1/events/export) from the compiled service as `npm start` runs it, and
 * `ledger export` of the whole ledger from the compiled CLI; next to a baseline in this process that
 * only reads the same rows (every column) and joins them into lines. Each HTTP export has a service
 * of its own, whose VmHWM is reset once it listens (/proc/<pid>/clear_refs).
 */
export async function measureExport(dir: string, events: number): Promise<{ customer: ExportFigures; ledger: ExportFigures; cli: ExportFigures; rawRowsPerSecond: number }> {
  const dataDir = join(dir, 'export', 'ledger');
  mkdirSync(dataDir, { recursive: true });
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), synchronous: 'NORMAL' });
  await appendLongStream(store, 'export', events);
  await store.close();
  const rawRowsPerSecond = rawExportRate(join(dataDir, 'events.sqlite'));
  build();
  const cli = await cliExport(dataDir, events);
  // A fresh service for each export, so that neither starts with the other's heap.
  const exportOver = async (path: string): Promise<ExportFigures> => {
    const server = await serveCompiled(dataDir);
    const pid = server.child.pid as number;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const idleRssMB = rssMB(pid, 'VmRSS');
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers: { authorization: `Bearer ${AUDITOR}` } });
      if (!response.ok || !response.body) throw new Error(`${path} answered ${response.status}`);
      let lines = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
      }
      const seconds = (performance.now() - started) / 1000;
      if (lines !== events) throw new Error(`${path} exported ${lines} of ${events} lines`);
      return { events, eventsPerSecond: events / seconds, seconds, peakRssMB: rssMB(pid, 'VmHWM'), idleRssMB };
    } finally {
      server.child.kill();
      await once(server.child, 'exit');
    }
  };
  return { customer: await exportOver('/v1/customers/export/events/export'), ledger: await exportOver('/v1/events/export'), cli, rawRowsPerSecond };
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
