/**
 * Durable Idempotency-Key claims/s with 50 concurrent writers: the embedded claim store (group
 * commit) next to one IMMEDIATE transaction per claim, as the store made them before, same run,
 * same disk, same pragmas (synchronous=FULL). The figure behind every command that sends a key.
 */
import { join } from 'node:path';
import type { IdempotencyClaim } from '../src/idempotency/idempotency-claim-store.port';
import { CLAIM_SCHEMA, SqliteIdempotencyClaimStore } from '../src/idempotency/sqlite-idempotency-claim-store';
import { openSqlite, SMALL_SQLITE_CACHE_MB } from '../src/shared/sqlite';
import { median } from './machine';

const WRITERS = 50;

const claim = (n: number): IdempotencyClaim => ({ apiKeyName: 'bench-writer', idempotencyKey: `key-${n}`, streamId: `customer-bench-${n}`, route: `purchase:bench-${n}`, commandHash: 'f'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z' });

/** Claims/s and event-loop CPU per claim (µs) of `claimOne` driven by WRITERS loops for `seconds`. */
async function drive(seconds: number, claimOne: (n: number) => Promise<unknown>): Promise<{ perSecond: number; cpuMicrosPerClaim: number }> {
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    while (performance.now() < deadline) await claimOne(n++);
  }));
  const used = process.cpuUsage(cpu);
  return { perSecond: n / ((performance.now() - started) / 1000), cpuMicrosPerClaim: (used.user + used.system) / n };
}

async function measureLedgerClaims(filename: string, seconds: number) {
  const store = new SqliteIdempotencyClaimStore({ filename });
  const figures = await drive(seconds, (n) => store.putIfAbsent(claim(n)));
  const commits = store.commits;
  await store.close();
  return { ...figures, commits };
}

async function measurePerClaimTransactions(filename: string, seconds: number) {
  const db = openSqlite(filename, 'FULL', SMALL_SQLITE_CACHE_MB);
  db.exec(CLAIM_SCHEMA);
  const insert = db.prepare('INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const get = db.prepare('SELECT * FROM idempotency_keys WHERE api_key_name = ? AND idempotency_key = ?');
  const put = db.transaction((c: IdempotencyClaim) => {
    insert.run(c.apiKeyName, c.idempotencyKey, c.streamId, c.route, c.commandHash, c.createdAt);
    return get.get(c.apiKeyName, c.idempotencyKey);
  });
  const figures = await drive(seconds, async (n) => put.immediate(claim(n)));
  db.close();
  return figures;
}

/** Median of `runs` alternating runs of each. */
export async function runClaimBench({ dir, seconds, runs }: { dir: string; seconds: number; runs: number }) {
  const ledger = [];
  const perClaim = [];
  for (let run = 0; run < runs; run++) {
    perClaim.push(await measurePerClaimTransactions(join(dir, `claims-naive-${run}.sqlite`), seconds));
    ledger.push(await measureLedgerClaims(join(dir, `claims-ledger-${run}.sqlite`), seconds));
  }
  return {
    writers: WRITERS,
    ledgerPerSecond: median(ledger.map((f) => f.perSecond)),
    ledgerCpuMicrosPerClaim: median(ledger.map((f) => f.cpuMicrosPerClaim)),
    perClaimPerSecond: median(perClaim.map((f) => f.perSecond)),
    perClaimCpuMicrosPerClaim: median(perClaim.map((f) => f.cpuMicrosPerClaim)),
    claimsPerCommit: median(ledger.map((f) => (f.perSecond * seconds) / Math.max(1, f.commits))),
  };
}
