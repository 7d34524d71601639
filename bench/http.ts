/**
 * HTTP POST /v1/customers/{id}/purchases over loopback, 50 connections, next to bare node:http
 * servers doing one SQLite insert per request (synchronous FULL and NORMAL). Each server runs in
 * its own process; autocannon runs in this one (they share the machine's cores, as in production).
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './machine';
import { startServer } from './server';

export interface HttpFigures {
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  /**
   * CPU (user + system) the server process spent per answered request: steadier than req/s on a
   * shared machine, where the fsync latency of the moment moves the throughput. Null off Linux.
   */
  cpuMicrosPerRequest: number | null;
}

/** Clock ticks of /proc/<pid>/stat per second. */
let ticksPerSecond: number | null | undefined;

/**
 * User + system CPU of a process in microseconds, from /proc (Linux); null elsewhere. `mainThread`:
 * of its main thread only (the event loop; not the query workers, GC helpers or libuv's pool).
 */
export function processCpuMicros(pid: number | undefined, mainThread = false): number | null {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticksPerSecond;
  } catch {
    ticksPerSecond = null;
    return null;
  }
}

export const CUSTOMERS = 1000;
/** Shared by every load so the measured run never re-sends a warm-up purchase. */
let sequence = 0;

/**
 * Purchases for `seconds` at `connections` (50 by default) spread over the first `customers`
 * (CUSTOMERS by default) registered customers; with `idempotencyKeys`, each with an
 * `Idempotency-Key` of its own, as an integrator that retries safely sends them.
 */
export async function load(port: number, seconds: number, authorization?: string, pid?: number, shape: { connections?: number; customers?: number; idempotencyKeys?: boolean } = {}): Promise<HttpFigures> {
  const customers = shape.customers ?? CUSTOMERS;
  const cpuBefore = pid === undefined ? null : processCpuMicros(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: shape.connections ?? 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        setupRequest: (request) => {
          const n = sequence++;
          return {
            ...request,
            ...(shape.idempotencyKeys ? { headers: { ...request.headers, 'idempotency-key': `bench-purchase-${n}` } } : {}),
            path: `/v1/customers/bench-${n % customers}/purchases`,
            body: JSON.stringify({ purchaseId: `p-${n}`, amount: 1000 + (n % 50_000), currency: 'CNY', outletId: `outlet-${n % 20}`, items: [{ sku: `sku-${n % 300}`, quantity: 1, amount: 1000 + (n % 50_000) }] }),
          };
        },
      },
    ],
  });
  const cpuAfter = pid === undefined ? null : processCpuMicros(pid);
  const cpuMicrosPerRequest = cpuBefore === null || cpuAfter === null || result.requests.total === 0 ? null : Math.round((cpuAfter - cpuBefore) / result.requests.total);
  return { requestsPerSecond: result.requests.average, p50ms: result.latency.p50, p99ms: result.latency.p99, errors: result.errors + result.non2xx, cpuMicrosPerRequest };
}

/** One server process per measurement: a warm-up second, then the median of `runs` loads. */
async function measure(script: string, args: string[], seconds: number, runs: number, authorization?: string, idempotencyKeys = false): Promise<HttpFigures> {
  const { child, port } = await startServer(script, args);
  try {
    await load(port, 1, authorization, undefined, { idempotencyKeys });
    const results: HttpFigures[] = [];
    for (let run = 0; run < runs; run++) results.push(await load(port, seconds, authorization, child.pid, { idempotencyKeys }));
    const cpu = results.map((r) => r.cpuMicrosPerRequest).filter((c): c is number => c !== null);
    return {
      requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
      p50ms: median(results.map((r) => r.p50ms)),
      p99ms: median(results.map((r) => r.p99ms)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      cpuMicrosPerRequest: cpu.length > 0 ? median(cpu) : null,
    };
  } finally {
    child.kill();
  }
}

export async function runHttpBench({ dir, seconds, runs }: { dir: string; seconds: number; runs: number }) {
  const bareFull = await measure('bare-server.ts', [dir, 'FULL'], seconds, runs);
  const bareNormal = await measure('bare-server.ts', [dir, 'NORMAL'], seconds, runs);
  const ledger = await measure('ledger-server.ts', [join(dir, 'with-projections'), String(CUSTOMERS), 'true'], seconds, runs, 'Bearer bench-secret-1');
  const ledgerApiOnly = await measure('ledger-server.ts', [join(dir, 'api-only'), String(CUSTOMERS), 'false'], seconds, runs, 'Bearer bench-secret-1');
  const ledgerKeyed = await measure('ledger-server.ts', [join(dir, 'keyed'), String(CUSTOMERS), 'true'], seconds, runs, 'Bearer bench-secret-1', true);
  return { ledger, ledgerApiOnly, ledgerKeyed, bareFull, bareNormal };
}
