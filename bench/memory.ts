/**
 * `npm run bench -- --only=memory`: the service as `npm start` builds it (createApp: command
 * pipeline, projections in process), in this process, driven through the CommandBus (no HTTP:
 * the point is what the service keeps, and HTTP would make 1M commands take half an hour here):
 * purchases and visits round robin over the customers (100k, ten commands each: `--quick` 10k), 64
 * in flight, RSS and heap sampled every 100k commands after a GC. Goal: RSS after 1M within 10 % of
 * RSS after 100k (`--quick`: 200k, compared at 20k). Round robin over more customers than the state
 * cache holds makes every command a cache miss: with 10k customers and 1M commands each command
 * refolds a stream of up to 175 events and the run takes most of an hour (a CPU cost of long
 * histories, not memory: docs/performance.md).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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
  /** After `commands` commands: RSS and heap used, MB, after a full GC. */
  samples: { commands: number; rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; anonMB: number; fileMB: number }[];
  /** RSS at the end against RSS at the first sample. */
  rssGrowthPercent: number;
}

/** A full GC, so heap figures are what is kept, not what is waiting to be collected. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
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
  const config = loadConfig({ DATA_DIR: dataDir, API_KEYS: 'bench:writer:bench-memory-secret-0001', EVALUATION_INTERVAL_MINUTES: '0' });
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
    let done = 0;
    let issued = 0;
    let sampling: Promise<void> | null = null;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (issued < commands) {
          const n = issued++;
          const customerId = `m-${n % customers}`;
          await run(
            n % 4 === 3
              ? { type: 'RecordVisit', data: { customerId, visitId: `v-${n}`, outletId: `outlet-${n % 20}`, channel: 'store', purpose: null, occurredAt: at() } }
              : { type: 'RecordPurchase', data: { customerId, purchaseId: `p-${n}`, amount: 1000 + (n % 50_000), currency: 'CNY', exchangeRate: null, outletId: `outlet-${n % 20}`, items: [], occurredAt: at() } },
          );
          done++;
          if (done % sampleEvery === 0 && sampling === null) {
            const count = done;
            sampling = (async () => {
              collect();
              const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
              const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
              samples.push({ commands: count, rssMB: mb(rss), heapUsedMB: mb(heapUsed), heapTotalMB: mb(heapTotal), externalMB: mb(external), ...rssParts() });
            })().finally(() => (sampling = null));
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const first = samples[0]?.rssMB ?? 0;
    const last = samples[samples.length - 1]?.rssMB ?? 0;
    return { commands, seconds: Math.round(seconds * 10) / 10, commandsPerSecond: Math.round(commands / seconds), samples, rssGrowthPercent: first ? Math.round(((last - first) / first) * 1000) / 10 : 0 };
  } finally {
    await app.close();
  }
}
