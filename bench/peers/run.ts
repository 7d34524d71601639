/**
 * `npm run bench:peers`: the append workload of bench/appends.ts (durable, one event per append to a
 * fresh stream, expected "no stream", 1 and 64 concurrent writers) on customer-ledger's embedded
 * store and on Emmett's in-memory and SQLite event stores, in the same process and run.
 *
 * Emmett is loaded from bench/peers/node_modules (installed by the npm script, never by the root
 * `npm ci`) through its CommonJS build, typed here by the little this benchmark uses, so the root
 * type-check passes without it. Emmett SQLite runs as shipped: node-sqlite3, WAL, SQLite's default
 * synchronous=FULL, one transaction per append; the ledger runs with synchronous=FULL and group commit.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureLedgerAppends } from '../appends';
import { machine, median } from '../machine';

interface EmmettStore {
  appendToStream(streamName: string, events: { type: string; data: Record<string, unknown> }[], options: { expectedStreamVersion: unknown }): Promise<unknown>;
  close?(): Promise<void>;
}

const peerRequire = createRequire(join(__dirname, 'package.json'));
const emmett = peerRequire('@event-driven-io/emmett') as { getInMemoryEventStore(): EmmettStore; STREAM_DOES_NOT_EXIST: unknown };
const emmettSqlite = peerRequire('@event-driven-io/emmett-sqlite') as { getSQLiteEventStore(options: { fileName: string; schema?: { autoMigration?: 'None' | 'CreateOrUpdate' } }): EmmettStore };

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 2 : 5;
const RUNS = quick ? 1 : 3;

const purchase = (n: number) => ({ type: 'PurchaseRecorded', data: { customerId: `bench-${n}`, purchaseId: `p-${n}`, amount: 1000 + (n % 50_000), currency: 'CNY', outletId: `outlet-${n % 20}`, items: [{ sku: `sku-${n % 300}`, quantity: 1, amount: 1000 }], occurredAt: '2026-01-01T00:00:00.000Z' } });

/** The same driver as bench/appends.ts: `writers` loops appending until the time is up; failed appends are counted, not timed. */
async function measureEmmett(store: EmmettStore, writers: number, seconds: number): Promise<{ perSecond: number; errors: number; firstError: string | null }> {
  const run = Math.random().toString(36).slice(2, 8);
  let sequence = 0;
  let appended = 0;
  let errors = 0;
  let firstError: string | null = null;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        const n = sequence++;
        try {
          await store.appendToStream(`customer-w-${run}-${n}`, [purchase(n)], { expectedStreamVersion: emmett.STREAM_DOES_NOT_EXIST });
          appended += 1;
        } catch (error) {
          errors += 1;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  return { perSecond: appended / ((performance.now() - started) / 1000), errors, firstError };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-peers-'));
  const rows: Record<string, unknown>[] = [];
  console.log('machine', machine());
  try {
    for (const writers of [1, 64]) {
      const ledger: number[] = [];
      const inMemory: number[] = [];
      const sqlite: number[] = [];
      let sqliteErrors = 0;
      let sqliteFirstError: string | null = null;
      for (let run = 0; run < RUNS; run++) {
        ledger.push((await measureLedgerAppends(join(dir, `ledger-${writers}-${run}.sqlite`), writers, SECONDS)).appendsPerSecond);
        inMemory.push((await measureEmmett(emmett.getInMemoryEventStore(), writers, SECONDS)).perSecond);
        const store = emmettSqlite.getSQLiteEventStore({ fileName: join(dir, `emmett-${writers}-${run}.sqlite`), schema: { autoMigration: 'CreateOrUpdate' } });
        const figures = await measureEmmett(store, writers, SECONDS);
        sqlite.push(figures.perSecond);
        sqliteErrors += figures.errors;
        sqliteFirstError ??= figures.firstError;
        await new Promise((resolve) => setTimeout(resolve, 200));
        await store.close?.().catch(() => undefined);
      }
      const row = { writers, ledger: median(ledger), emmettInMemory: median(inMemory), emmettSqlite: median(sqlite), emmettSqliteFailedAppends: sqliteErrors, emmettSqliteFirstError: sqliteFirstError };
      rows.push({ ...row, ledgerVsEmmettSqlite: row.ledger / row.emmettSqlite, ledgerVsEmmettInMemory: row.ledger / row.emmettInMemory });
      console.log(`${writers} writer(s): ledger ${Math.round(row.ledger)}/s, Emmett in-memory ${Math.round(row.emmettInMemory)}/s, Emmett SQLite ${Math.round(row.emmettSqlite)}/s -> ${(row.ledger / row.emmettSqlite).toFixed(1)}x Emmett SQLite (goal >= 50x), ${(row.ledger / row.emmettInMemory).toFixed(2)}x Emmett in-memory (goal >= 1x)${sqliteErrors ? `; Emmett SQLite refused ${sqliteErrors} appends (${sqliteFirstError})` : ''}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(__dirname, '..', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'peers.json'), `${JSON.stringify({ machine: machine(), seconds: SECONDS, runs: RUNS, rows }, null, 2)}\n`);
  console.log('written: bench/results/peers.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
