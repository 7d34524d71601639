/**
 * The embedded read store's query side beyond the port contract: indexes are used, scans run off
 * the event loop, and a runaway query is stopped without stopping the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTimeoutError } from '../../src/read-store/read-model-store.port';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { expectedFind, profileDocs } from '../contract/read-model-store.contract';

const PROFILES = 'customer_profiles_v1';

/** Ticks of a 5 ms interval while `run` is pending, and the longest gap between two of them. */
async function ticksDuring<T>(run: () => Promise<T>): Promise<{ result: T; ticks: number; maxGapMs: number; ms: number }> {
  let ticks = 0;
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks += 1;
  }, 5);
  const started = performance.now();
  try {
    const result = await run();
    return { result, ticks, maxGapMs: Math.max(maxGapMs, performance.now() - last), ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

describe('SQLite read store queries', () => {
  let dir: string;
  let store: SqliteReadModelStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-rq-'));
    store = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
    for (let from = 0; from < 200_000; from += 10_000) {
      const batch = profileDocs(10_000, from);
      await store.writeBatch(PROFILES, batch.map((d) => ({ _id: d._id, doc: d })), { name: PROFILES, position: '1/1' });
    }
  }, 120_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers indexed filters and sorts from the indexes on key columns (EXPLAIN QUERY PLAN)', () => {
    const equality = store.explainFind(PROFILES, { filter: { tier: 'gold' }, limit: 50 });
    expect(equality).toEqual([expect.stringMatching(/^SEARCH docs_customer_profiles USING INDEX docs_customer_profiles__tier \(collection=\? AND doc\.tier=\?\)$/)]);
    const range = store.explainFind(PROFILES, { filter: { 'stats.totalSpent': { $gte: 300 } }, sort: { 'stats.totalSpent': -1 }, limit: 50 });
    expect(range[0]).toMatch(/^SEARCH docs_customer_profiles USING INDEX docs_customer_profiles__stats_totalSpent \(collection=\? AND doc\.stats\.totalSpent>\? AND doc\.stats\.totalSpent<\?\)$/);
    expect(range.join('\n')).not.toMatch(/SCAN|TEMP B-TREE FOR ORDER BY/);
    const segments = store.explainFind(PROFILES, { filter: { tier: 'silver', stage: 'loyal' } });
    expect(segments[0]).toMatch(/USING (COVERING )?INDEX docs_customer_profiles__tier__stage/);
  });

  it('runs an unindexed scan of 200k documents in a worker while the event loop keeps serving timers', async () => {
    await store.find(PROFILES, { filter: { name: { $regex: '^warm-up' } } }); // starts a worker
    const filter = { 'stats.purchaseCount': 3, name: { $ne: 'nobody' } };
    const { result, ticks, maxGapMs, ms } = await ticksDuring(() => store.count(PROFILES, filter));
    expect(result).toBe(40_000);
    // The old path parsed every document on the event loop: no tick at all until it finished.
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect({ maxGapMs: Math.round(maxGapMs), scanMs: Math.round(ms) }).toEqual({ maxGapMs: expect.any(Number), scanMs: expect.any(Number) });
    expect(maxGapMs).toBeLessThan(Math.max(250, ms / 2));
    const page = await store.find(PROFILES, { filter, sort: { name: -1 }, skip: 10, limit: 20 });
    expect(page.map((d) => d._id)).toEqual(expectedFind(profileDocs(200_000), { filter, sort: { name: -1 }, skip: 10, limit: 20 }));
  });

  it('stops a query at the time limit, replaces the worker and keeps answering', async () => {
    const runaway = 'runaway-customer';
    // A second store on the same file, with a time limit far below what a scan of 200 000 documents takes.
    const limited = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite'), queryTimeoutMs: 50 });
    await store.writeBatch(PROFILES, [{ _id: runaway, doc: { _id: runaway, name: `${'a'.repeat(40)}!`, tier: 'gold' } }], { name: PROFILES, position: '1/1' });
    try {
      // Unindexed: a regular expression (linear time on RE2, but still every document) over the whole collection.
      const { result, ticks } = await ticksDuring(() => limited.find(PROFILES, { filter: { name: { $regex: 'x+y$' } } }).then(() => 'answered', (error: unknown) => error));
      expect(result).toBeInstanceOf(QueryTimeoutError);
      expect(ticks).toBeGreaterThanOrEqual(1);
      // A backtracking pattern on its one candidate answers at once.
      expect((await limited.find(PROFILES, { filter: { _id: runaway, name: { $regex: '^(a|a)*$' } } })).map((d) => d._id)).toEqual([]);
      expect((await limited.find(PROFILES, { filter: { _id: runaway, name: { $regex: '^a+!$' } } })).map((d) => d._id)).toEqual([runaway]);
      expect(await store.count(PROFILES, { tier: 'gold' })).toBe(expectedFind(profileDocs(200_000), { filter: { tier: 'gold' } }).length + 1);
    } finally {
      await limited.close();
      await store.writeBatch(PROFILES, [{ _id: runaway, doc: null }], { name: PROFILES, position: '1/1' });
    }
  });

  it('counts and segments from the indexes', async () => {
    expect(await store.count(PROFILES)).toBe(200_000);
    expect(await store.count(PROFILES, { tier: 'silver', stage: 'loyal' })).toBe(expectedFind(profileDocs(200_000), { filter: { tier: 'silver', stage: 'loyal' } }).length);
    const groups = await store.countBy(PROFILES, ['tier', 'stage']);
    expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(200_000);
    expect(groups).toHaveLength(3 * 6);
  });
});
