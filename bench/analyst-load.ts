/**
 * Commands while analysts query: the real service in a child process (bench/http/ledger-server.ts)
 * with N generated profiles pre-filled into its read store, purchases at 16 connections for S
 * seconds alone, then the same while analyst clients loop over HTTP through the query kinds
 * runAnalystBench measures, then alone again (to see how far the machine drifted meanwhile).
 * The figure is the purchases' p99 with analysts next to without; the analysts' own latencies per
 * kind are kept too. Goal (reported, never asserted): p99 with analysts <= 1.5x without.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { load, processCpuMicros, type HttpFigures } from './http';
import type { Prefilled } from './http/ledger-server';
import { machine, type Machine } from './machine';
import { startServer } from './server';

const WRITER = 'Bearer bench-secret-1';
const ANALYST = 'Bearer bench-secret-3';

export interface AnalystKindFigures {
  kind: string;
  /** Where the store runs it (query-executor.ts isSmall): the server's event loop or a query worker. */
  runsOn: 'event loop' | 'worker';
  /** One run before any load (after the server's start-up), ms. */
  unloadedMs: number;
  count: number;
  /** Answers other than 2xx, by status (422 is QUERY_TIMEOUT: the worker's time limit stopped it). */
  failures: Record<string, number>;
  p50ms: number;
  p99ms: number;
  maxMs: number;
}

/** A load's figures with what the server's main thread did meanwhile. */
export interface PhaseFigures extends HttpFigures {
  /** CPU of the server's main thread (event loop) per answered command; cpuMicrosPerRequest is the whole process, query workers included. */
  mainThreadCpuMicrosPerRequest: number | null;
  /** The server's event-loop delay during the load (monitorEventLoopDelay, 5 ms resolution). */
  loop: { p50ms: number; p99ms: number; maxMs: number };
}

export interface AnalystLoadFigures {
  machine: Machine;
  profiles: number;
  prefill: Prefilled | null;
  customers: number;
  connections: number;
  seconds: number;
  analysts: number;
  alone: PhaseFigures;
  withAnalysts: PhaseFigures;
  aloneAfter: PhaseFigures;
  /** withAnalysts.p99ms / alone.p99ms (the run just before). */
  p99Ratio: number;
  /** withAnalysts.p99ms / the larger of the two alone p99s: a kinder reading when the machine drifted. */
  p99RatioVsWorseAlone: number;
  queries: AnalystKindFigures[];
  loadAverage: { before: number[]; after: number[] };
}

interface Kind {
  kind: string;
  runsOn: 'event loop' | 'worker';
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const PROFILES = '/v1/read-models/customer_profiles';

/** The query kinds of runAnalystBench (bench/analyst.ts), as an analyst sends them. */
export const KINDS: Kind[] = [
  { kind: 'indexed equality {outletId} limit 50', runsOn: 'event loop', method: 'GET', path: `${PROFILES}?filter=${q({ outletId: 'outlet-7' })}&limit=50` },
  { kind: 'indexed range + sort {stats.totalSpent >= 100000} desc limit 50', runsOn: 'event loop', method: 'GET', path: `${PROFILES}?filter=${q({ 'stats.totalSpent': { $gte: 100_000 } })}&sort=${q({ 'stats.totalSpent': -1 })}&limit=50` },
  // No count route: the count an analyst can ask for is an aggregation ($match pushed down as an indexed find).
  { kind: 'count {tier, stage} (aggregate $match + $count)', runsOn: 'worker', method: 'POST', path: `${PROFILES}/aggregate`, body: { pipeline: [{ $match: { tier: 'gold', stage: 'loyal' } }, { $count: 'n' }] } },
  { kind: 'segments countBy tier x stage (GET /v1/analytics/segments)', runsOn: 'worker', method: 'GET', path: '/v1/analytics/segments' },
  { kind: 'unindexed {stats.visitCount, email $regex} limit 50 (reads every document)', runsOn: 'worker', method: 'GET', path: `${PROFILES}?filter=${q({ 'stats.visitCount': 39, email: { $regex: '999@' } })}&limit=50` },
];

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function ask(port: number, kind: Kind): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}${kind.path}`, {
    method: kind.method,
    headers: { authorization: ANALYST, ...(kind.body ? { 'content-type': 'application/json' } : {}) },
    ...(kind.body ? { body: JSON.stringify(kind.body) } : {}),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

function askLoop(child: ChildProcess): Promise<PhaseFigures['loop']> {
  return new Promise((resolve) => {
    const listen = (message: { loop?: PhaseFigures['loop'] }) => {
      if (!message?.loop) return;
      child.off('message', listen);
      resolve(message.loop);
    };
    child.on('message', listen);
    child.send({ cmd: 'loop' });
  });
}

/** One load of purchases, with the server's main-thread CPU and event-loop delay over it. */
async function phase(child: ChildProcess, port: number, seconds: number, shape: { connections: number; customers: number }): Promise<PhaseFigures> {
  await askLoop(child);
  const before = processCpuMicros(child.pid, true);
  const figures = await load(port, seconds, WRITER, child.pid, shape);
  const after = processCpuMicros(child.pid, true);
  const loop = await askLoop(child);
  const total = Math.round(figures.requestsPerSecond * seconds);
  return { ...figures, mainThreadCpuMicrosPerRequest: before === null || after === null || total === 0 ? null : Math.round((after - before) / total), loop };
}

/** `analysts` clients, each looping over KINDS (starting at a different kind) until `stop()`; resolves with every answer. */
function analysts(port: number, count: number, kinds: Kind[]) {
  let stopped = false;
  const times = kinds.map(() => [] as number[]);
  const failures = kinds.map(() => ({}) as Record<string, number>);
  const clients = Array.from({ length: count }, async (_, client) => {
    for (let i = client; !stopped; i++) {
      const k = i % kinds.length;
      try {
        const { ms, status } = await ask(port, kinds[k]);
        if (status >= 200 && status < 300) times[k].push(ms);
        else failures[k][status] = (failures[k][status] ?? 0) + 1;
      } catch (error) {
        const name = (error as Error).name;
        failures[k][name] = (failures[k][name] ?? 0) + 1;
      }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(clients);
      return { times, failures };
    },
  };
}

export async function runAnalystLoadBench(options: { dir: string; profiles: number; seconds: number; customers?: number; connections?: number; analysts?: number; /** Indexes into KINDS (all by default): to see which kind costs the commands. */ kinds?: number[]; log?: (line: string) => void }): Promise<AnalystLoadFigures> {
  const customers = options.customers ?? 200;
  const connections = options.connections ?? 16;
  const clients = options.analysts ?? 2;
  const shape = { connections, customers };
  const kinds = options.kinds ? options.kinds.map((k) => KINDS[k]) : KINDS;
  const log = options.log ?? (() => undefined);
  const before = loadavg();
  const { child, port, message } = await startServer<{ port: number; prefilled: Prefilled | null }>('ledger-server.ts', [join(options.dir, 'analyst-load'), String(customers), 'true'], { LEDGER_BENCH_PROFILES: String(options.profiles) });
  try {
    if (message.prefilled) log(`  pre-filled ${message.prefilled.documents.toLocaleString('en-US')} profiles into ${message.prefilled.collection} in ${message.prefilled.seconds.toFixed(1)} s`);
    // Every kind once alone (the second run kept as its unloaded time). At 1M profiles the unindexed
    // scan passes QUERY_TIMEOUT_MS: its worker is terminated and replaced, and under ts-node a new
    // worker's start compiles the executor (a second or two of CPU that is no query's). So before
    // each load of purchases, `workersUp` sends the quick worker kinds `clients` at a time: every
    // worker the analysts keep busy has (re)started before anything is measured.
    const unloaded: number[] = [];
    for (const kind of kinds) {
      await ask(port, kind);
      const { ms, status } = await ask(port, kind);
      if (status < 200 || status >= 300) log(`  warning: ${kind.kind} answered ${status} before any load`);
      unloaded.push(ms);
    }
    const quickWorkerKinds = kinds.filter((kind) => kind.runsOn === 'worker' && !kind.kind.includes('reads every document'));
    const workersUp = () => Promise.all(Array.from({ length: clients }, (_, c) => (quickWorkerKinds.length === 0 ? null : ask(port, quickWorkerKinds[c % quickWorkerKinds.length]))));
    await workersUp();
    await load(port, 1, WRITER, undefined, shape);
    const alone = await phase(child, port, options.seconds, shape);
    const running = analysts(port, clients, kinds);
    const withAnalysts = await phase(child, port, options.seconds, shape);
    const answered = await running.stop();
    await workersUp();
    await load(port, 1, WRITER, undefined, shape);
    const aloneAfter = await phase(child, port, options.seconds, shape);
    const queries = kinds.map((kind, k) => ({
      kind: kind.kind,
      runsOn: kind.runsOn,
      unloadedMs: unloaded[k],
      count: answered.times[k].length,
      failures: answered.failures[k],
      p50ms: percentile(answered.times[k], 50),
      p99ms: percentile(answered.times[k], 99),
      maxMs: answered.times[k].length === 0 ? Number.NaN : Math.max(...answered.times[k]),
    }));
    return {
      machine: machine(),
      profiles: options.profiles,
      prefill: message.prefilled,
      customers,
      connections,
      seconds: options.seconds,
      analysts: clients,
      alone,
      withAnalysts,
      aloneAfter,
      p99Ratio: withAnalysts.p99ms / alone.p99ms,
      p99RatioVsWorseAlone: withAnalysts.p99ms / Math.max(alone.p99ms, aloneAfter.p99ms),
      queries,
      loadAverage: { before, after: loadavg() },
    };
  } finally {
    child.kill();
  }
}
