/**
 * `npm run bench -- --only=soak`: the service as `npm start` runs it (projections in process) under
 * a mixed load — purchases, visits, profile reads and history reads over 500 customers — at half of
 * the throughput it reached in a short saturation run, for 3 minutes (30 s with --quick). Prints the
 * server's RSS every 10 s, and latency p50 / p99 / max of the whole soak: memory must stay flat.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './server';

const CUSTOMERS = 500;
const WRITER = 'Bearer bench-secret-1';
const AUDITOR = 'Bearer bench-secret-2';
const ANALYST = 'Bearer bench-secret-3';

export interface SoakFigures {
  saturationRequestsPerSecond: number;
  rate: number;
  seconds: number;
  requests: number;
  errors: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  /** Server RSS (MB) at the start and every sample interval. */
  rssSeriesMB: number[];
  rssGrowthPercent: number;
}

/** Resident set size of a process, MB (Linux /proc). */
function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

let sequence = 0;
function mixedRequests(): autocannon.Request[] {
  const json = { 'content-type': 'application/json' };
  const customer = () => `bench-${sequence % CUSTOMERS}`;
  return [
    {
      method: 'POST',
      headers: { ...json, authorization: WRITER },
      setupRequest: (request) => {
        const n = sequence++;
        return { ...request, path: `/v1/customers/${customer()}/purchases`, body: JSON.stringify({ purchaseId: `soak-${process.pid}-${n}`, amount: 1000 + (n % 50_000), currency: 'CNY', outletId: `outlet-${n % 20}` }) };
      },
    },
    {
      method: 'POST',
      headers: { ...json, authorization: WRITER },
      setupRequest: (request) => ({ ...request, path: `/v1/customers/${customer()}/visits`, body: JSON.stringify({ outletId: `outlet-${sequence % 20}`, channel: 'store' }) }),
    },
    { method: 'GET', headers: { authorization: ANALYST }, setupRequest: (request) => ({ ...request, path: `/v1/customers/${customer()}` }) },
    { method: 'GET', headers: { authorization: AUDITOR }, setupRequest: (request) => ({ ...request, path: `/v1/customers/${customer()}/events?limit=50` }) },
  ];
}

export async function runSoakBench({ dir, seconds, sampleSeconds }: { dir: string; seconds: number; sampleSeconds: number }): Promise<SoakFigures> {
  const { child, port } = await startServer('ledger-server.ts', [join(dir, 'soak'), String(CUSTOMERS), 'true']);
  const pid = child.pid as number;
  try {
    const url = `http://127.0.0.1:${port}`;
    const saturation = await autocannon({ url, connections: 50, duration: 5, requests: mixedRequests() });
    const rate = Math.max(10, Math.round(saturation.requests.average / 2));
    const series = [rssMB(pid)];
    const sampler = setInterval(() => series.push(rssMB(pid)), sampleSeconds * 1000);
    const soak = await autocannon({ url, connections: 50, duration: seconds, overallRate: rate, requests: mixedRequests() });
    clearInterval(sampler);
    series.push(rssMB(pid));
    const growth = Math.round(((series[series.length - 1] - series[0]) / series[0]) * 1000) / 10;
    return {
      saturationRequestsPerSecond: Math.round(saturation.requests.average),
      rate,
      seconds,
      requests: soak.requests.total,
      errors: soak.errors + soak.non2xx,
      p50ms: soak.latency.p50,
      p99ms: soak.latency.p99,
      maxMs: soak.latency.max,
      rssSeriesMB: series,
      rssGrowthPercent: growth,
    };
  } finally {
    child.kill();
  }
}
