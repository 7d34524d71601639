/**
 * `npm run bench -- --only=memory`: the service as `npm start` builds it (createApp: command
 * pipeline, projections in process, here on the HTTP thread: see the config below), in this process, driven through the CommandBus (no HTTP:
 * the point is what the service keeps, and HTTP would make 1M commands take half an hour here):
 * purchases and visits round robin over the customers (100k, ten commands each: `--quick` 10k), 64
 * in flight, RSS and heap sampled every 100k commands with none in flight, after an ordinary and
 * after a compacting full GC (see collect). Goal: RSS after 1M within 10 % of
 * RSS after 100k (`--quick`: 200k, compared at 20k). Round robin over more customers than the state
 * cache holds makes every command a cache miss: with 10k customers and 1M commands each command
 * refolds a stream of up to 175 events and the run takes most of an hour (a CPU cost of long
 * histories, not memory: docs/performance.md).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CommandBus } from '@nestjs/cqrs';
import { createApp } from '../src/app';
import { ExecuteCustomerCommand } from '../src/commands/execute-customer-command';
import { loadConfig } from '../src/config/config';
import type { CustomerCommand } from '../src/customer/commands';

const IN_FLIGHT = 64;

export interface MemoryFigures {
  commands: number;
  seconds: number;
  commandsPerSecond: number;
  /**
   * After `commands` commands, with none in flight, MB: RSS after an ordinary full GC (`ordinaryRssMB`),
   * then RSS and the heap after a compacting one.
   */
  samples: { commands: number; rssMB: number; ordinaryRssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; anonMB: number; fileMB: number; spacesMB: Record<string, number> }[];
  /** RSS at the end against RSS at the first sample, after a compacting GC (the goal) and after an ordinary one. */
  rssGrowthPercent: number;
  ordinaryRssGrowthPercent: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * A full GC, so heap figures are what is kept, not what is waiting to be collected. An ordinary
 * full GC compacts only the most fragmented pages: under this load (caches that evict and promote
 * on every command) the live objects stay spread over 2-3x their size of old-space pages, and how
 * far they are spread at the instant of a sample swings RSS by ±20 % with no trend. `compacting`
 * moves every live object together first, so the sample reads what is kept, not the fragmentation.
 */
function collect(compacting: boolean): void {
  setFlagsFromString('--expose-gc');
  if (compacting) setFlagsFromString('--compact-on-every-full-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    if (compacting) setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** Committed size of each V8 heap space (new, old, code, large objects…), MB: where the heap's headroom sits. */
function spaces(): Record<string, number> {
  return Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name.replace(/_space$/, ''), Math.round(space.physical_space_size / 2 ** 20)]));
}

/** RSS split into anonymous memory (heaps, SQLite caches, allocator) and file pages (mapped files), from /proc on Linux. */
function rssParts(): { anonMB: number; fileMB: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { anonMB: Math.round(kb('RssAnon') / 1024), fileMB: Math.round((kb('RssFile') + kb('RssShmem')) / 1024) };
  } catch {
    return { anonMB: 0, fileMB: 0 };
  }
}

export async function runMemoryBench({ dir, commands, sampleEvery, customers }: { dir: string; commands: number; sampleEvery: number; customers: number }): Promise<MemoryFigures> {
  const dataDir = mkdtempSync(join(dir, 'memory-'));
  // The projections on this thread (PROJECTIONS_THREAD=false): the same work and the same caches as
  // on their own thread (npm start's default), with every heap in this isolate, so one compacting GC
  // reads all of what is kept. `--only=soak` measures npm start's defaults as they are.
  const config = loadConfig({ DATA_DIR: dataDir, API_KEYS: 'bench:writer:bench-memory-secret-0001', EVALUATION_INTERVAL_MINUTES: '0', PROJECTIONS_THREAD: 'false' });
  const { app } = await createApp(config, false);
  try {
    const bus = app.get(CommandBus);
    const run = (command: CustomerCommand) =>
      bus.execute(new ExecuteCustomerCommand(command, { requestId: randomUUID(), correlationId: randomUUID(), actor: { name: 'bench', role: 'writer' }, idempotencyKey: null, commandHash: '', expectedRevision: null, now: new Date() }));
    const at = () => new Date().toISOString();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < customers) {
          const i = next++;
          await run({ type: 'RegisterCustomer', data: { customerId: `m-${i}`, name: `Customer ${i}`, email: `m-${i}@example.com`, phone: null, address: null, outletId: `outlet-${i % 20}`, preferences: { channels: [], categories: [] }, occurredAt: at() } });
        }
      }),
    );
    const samples: MemoryFigures['samples'] = [];
    const started = performance.now();
    let pausedMs = 0;
    let done = 0;
    let issued = 0;
    let inFlight = 0;
    let sampling: Promise<void> | null = null;
    const sample = async (count: number) => {
      const pausedAt = performance.now();
      // Quiet first: the commands in flight finish, none starts, so a sample reads what is kept.
      while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
      collect(false);
      const ordinary = process.memoryUsage().rss;
      collect(true);
      // V8 returns freed pages to the system shortly after a GC, not during it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
      samples.push({ commands: count, rssMB: mb(rss), ordinaryRssMB: mb(ordinary), heapUsedMB: mb(heapUsed), heapTotalMB: mb(heapTotal), externalMB: mb(external), ...rssParts(), spacesMB: spaces() });
      pausedMs += performance.now() - pausedAt;
    };
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (issued < commands) {
          if (sampling) await sampling;
          if (issued >= commands) break;
          const n = issued++;
          const customerId = `m-${n % customers}`;
          inFlight++;
          await run(
            n % 4 === 3
              ? { type: 'RecordVisit', data: { customerId, visitId: `v-${n}`, outletId: `outlet-${n % 20}`, channel: 'store', purpose: null, occurredAt: at() } }
              : { type: 'RecordPurchase', data: { customerId, purchaseId: `p-${n}`, amount: 1000 + (n % 50_000), currency: 'CNY', exchangeRate: null, outletId: `outlet-${n % 20}`, items: [], occurredAt: at() } },
          ).finally(() => inFlight--);
          done++;
          if (done % sampleEvery === 0) sampling = sample(done).finally(() => (sampling = null));
        }
      }),
    );
    if (sampling) await sampling;
    const seconds = (performance.now() - started - pausedMs) / 1000;
    const growth = (of: (sample: MemoryFigures['samples'][number]) => number) => {
      const first = samples.length > 0 ? of(samples[0]) : 0;
      return first ? Math.round(((of(samples[samples.length - 1]) - first) / first) * 1000) / 10 : 0;
    };
    return { commands, seconds: Math.round(seconds * 10) / 10, commandsPerSecond: Math.round(commands / seconds), samples, rssGrowthPercent: growth((s) => s.rssMB), ordinaryRssGrowthPercent: growth((s) => s.ordinaryRssMB) };
  } finally {
    await app.close();
  }
}
