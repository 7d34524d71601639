/**
 * Analyst queries on the embedded read store: N generated profiles written straight into the read
 * store, then p50/p99 of each query kind next to a same-run baseline doing what the store did
 * before query planning (read and JSON.parse the whole collection, filter with mingo, on the event
 * loop). Also the longest event-loop stall during each query, and the plan of the indexed ones.
 */
import Database from 'better-sqlite3';
import { Aggregator, Query } from 'mingo';
import { join } from 'node:path';
import type { CustomerProfile } from '../projections/customer-profiles.projection';
import type { Filter, FindOptions } from '../src/read-store/read-model-store.port';
import { tableOf } from '../src/read-store/sqlite/query-plan';
import { SqliteReadModelStore } from '../src/read-store/sqlite/sqlite-read-model-store';

const COLLECTION = 'customer_profiles_v1';
const BATCH = 10_000;

export interface QueryFigures {
  query: string;
  runs: number;
  p50ms: number;
  p99ms: number;
  /** Longest gap between ticks of a 5 ms interval while the query ran (the event loop stalled that long). */
  maxStallMs: number;
  baselineRuns: number;
  baselineP50ms: number;
  baselineP99ms: number;
  baselineMaxStallMs: number;
  results: number;
}

export interface AnalystFigures {
  documents: number;
  buildSeconds: number;
  queries: QueryFigures[];
  plans: Record<string, string[]>;
}

/** Deterministic pseudo-random numbers (a 32-bit LCG): the same profiles every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const pick = <T>(next: () => number, weighted: [T, number][]): T => {
  let roll = next();
  for (const [value, weight] of weighted) if ((roll -= weight) < 0) return value;
  return weighted[weighted.length - 1][0];
};

export function generatedProfile(i: number, next: () => number): CustomerProfile {
  const day = (offset: number) => new Date(Date.UTC(2022, 0, 1) + offset * 86_400_000).toISOString();
  const purchases = Math.floor(next() * 30);
  const registered = Math.floor(next() * 900);
  return {
    _id: `c-${String(i).padStart(8, '0')}`,
    customerId: `c-${String(i).padStart(8, '0')}`,
    revision: purchases + 1,
    name: `Customer ${i}`,
    email: `customer${i}@example.com`,
    phone: null,
    address: `${i} Main Street`,
    outletId: `outlet-${Math.floor(next() * 50)}`,
    preferences: { channels: ['email'], categories: ['food'] },
    // fixed, so the generator's random sequence (and every bench's data) stays as it was
    birthday: null,
    tags: [],
    accountManager: null,
    consents: {},
    registeredAt: day(registered),
    tier: pick(next, [['standard', 0.7], ['silver', 0.2], ['gold', 0.08], ['platinum', 0.02]]),
    tierSince: day(registered),
    stage: pick(next, [['new', 0.2], ['repeat', 0.35], ['loyal', 0.2], ['at_risk', 0.15], ['churned', 0.1]]),
    stats: {
      visitCount: Math.floor(next() * 40),
      lastVisitAt: day(registered + Math.floor(next() * 100)),
      purchaseCount: purchases,
      totalSpent: purchases * Math.floor(next() * 20_000),
      refundTotal: 0,
      lastPurchaseAt: purchases === 0 ? null : day(registered + Math.floor(next() * 100)),
      complaintCount: 0,
      openComplaints: 0,
    },
    forgotten: null,
    updatedAt: day(registered + 100),
  };
}

/** Writes `documents` profiles through the store's own writeBatch, as projections would. */
async function build(store: SqliteReadModelStore, documents: number): Promise<number> {
  const next = random(42);
  const started = performance.now();
  for (let from = 0; from < documents; from += BATCH) {
    const writes = [];
    for (let i = from; i < Math.min(documents, from + BATCH); i++) {
      const doc = generatedProfile(i, next);
      writes.push({ _id: doc._id, doc });
    }
    await store.writeBatch(COLLECTION, writes, { name: COLLECTION, position: `${from}/${from}` });
  }
  return (performance.now() - started) / 1000;
}

/** The store's query path before planning: every document read, parsed and tested on the event loop. */
export class FullScanBaseline {
  private readonly scan;
  constructor(db: Database.Database, private readonly collection = COLLECTION) {
    this.scan = db.prepare(`SELECT doc FROM ${tableOf(collection)} WHERE collection = ? ORDER BY id`).pluck();
  }
  private *matching(filter?: Filter): Generator<Record<string, unknown>> {
    const query = filter && Object.keys(filter).length > 0 ? new Query(filter) : null;
    for (const text of this.scan.iterate(this.collection) as IterableIterator<string>) {
      const doc = JSON.parse(text) as Record<string, unknown>;
      if (!query || query.test(doc)) yield doc;
    }
  }
  find({ filter, sort, skip = 0, limit = Number.POSITIVE_INFINITY }: FindOptions): unknown[] {
    if (!sort) {
      const page: unknown[] = [];
      let skipped = 0;
      for (const doc of this.matching(filter)) {
        if (page.length >= limit) break;
        if (skipped < skip) skipped += 1;
        else page.push(doc);
      }
      return page;
    }
    const pipeline: Record<string, unknown>[] = [{ $sort: sort }, { $skip: skip }];
    if (Number.isFinite(limit)) pipeline.push({ $limit: limit });
    return new Aggregator(pipeline).run([...this.matching(filter)]);
  }
  count(filter?: Filter): number {
    let n = 0;
    for (const _ of this.matching(filter)) n += 1;
    return n;
  }
  countBy(fields: string[]): unknown[] {
    const groups = new Map<string, number>();
    for (const doc of this.matching()) {
      const key = JSON.stringify(fields.map((field) => field.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), doc) ?? null));
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    return [...groups.entries()];
  }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Runs `run` `runs` times (after one warm-up), timing each and the longest event-loop stall. */
export async function measure(runs: number, run: () => unknown): Promise<{ p50: number; p99: number; maxStall: number; results: number }> {
  let results = 0;
  const first = await run();
  results = Array.isArray(first) ? first.length : typeof first === 'number' ? first : 0;
  const times: number[] = [];
  let maxStall = 0;
  for (let i = 0; i < runs; i++) {
    let last = performance.now();
    let stall = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      stall = Math.max(stall, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    await run();
    const ended = performance.now();
    clearInterval(timer);
    stall = Math.max(stall, ended - last);
    times.push(ended - started);
    maxStall = Math.max(maxStall, stall);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), maxStall, results };
}

export async function runAnalystBench(options: { dir: string; documents: number; runs: number; baselineRuns: number }): Promise<AnalystFigures> {
  const filename = join(options.dir, 'analyst.sqlite');
  const store = new SqliteReadModelStore({ filename, queryTimeoutMs: 120_000 });
  const buildSeconds = await build(store, options.documents);
  const db = new Database(filename, { readonly: true });
  const baseline = new FullScanBaseline(db);
  const indexedEquality: FindOptions = { filter: { outletId: 'outlet-7' }, limit: 50 };
  const indexedRange: FindOptions = { filter: { 'stats.totalSpent': { $gte: 100_000 } }, sort: { 'stats.totalSpent': -1 }, limit: 50 };
  const countFilter: Filter = { tier: 'gold', stage: 'loyal' };
  const unindexed: FindOptions = { filter: { 'stats.visitCount': 39, email: { $regex: '999@' } }, limit: 50 };
  const cases: [string, () => Promise<unknown>, () => unknown][] = [
    ['indexed equality {outletId} limit 50', () => store.find(COLLECTION, indexedEquality), () => baseline.find(indexedEquality)],
    ['indexed range + sort {stats.totalSpent >= 100000} desc limit 50', () => store.find(COLLECTION, indexedRange), () => baseline.find(indexedRange)],
    ['count {tier, stage}', () => store.count(COLLECTION, countFilter), () => baseline.count(countFilter)],
    ['segments countBy tier x stage', () => store.countBy(COLLECTION, ['tier', 'stage']), () => baseline.countBy(['tier', 'stage'])],
    ['unindexed {stats.visitCount, email $regex} limit 50 (reads every document)', () => store.find(COLLECTION, unindexed), () => baseline.find(unindexed)],
  ];
  const queries: QueryFigures[] = [];
  for (const [query, planned, scan] of cases) {
    const ours = await measure(options.runs, planned);
    const base = await measure(options.baselineRuns, scan);
    if (ours.results !== base.results) throw new Error(`${query}: ${ours.results} results, baseline ${base.results}`);
    queries.push({ query, runs: options.runs, p50ms: ours.p50, p99ms: ours.p99, maxStallMs: ours.maxStall, baselineRuns: options.baselineRuns, baselineP50ms: base.p50, baselineP99ms: base.p99, baselineMaxStallMs: base.maxStall, results: ours.results });
  }
  const plans = { 'indexed equality': store.explainFind(COLLECTION, indexedEquality), 'indexed range + sort': store.explainFind(COLLECTION, indexedRange) };
  db.close();
  await store.close();
  return { documents: options.documents, buildSeconds, queries, plans };
}
