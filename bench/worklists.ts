/**
 * The care team's worklists on the embedded read store: N generated complaints and N follow-ups
 * written straight into the projections' active collections (shaped as complaints.projection.ts
 * and follow-ups.projection.ts make them), then p50/p99 of each worklist query next to a same-run
 * baseline that reads, parses and mingo-filters every document (as bench/analyst.ts does).
 *
 * The queries are the routes' own: each case calls ReadModelsController.complaints / followUps with
 * the query string's values, records the collection and FindOptions (filter, sort { dueAt, _id },
 * limit, skip) the handler passes to store.find, and times store.find with exactly those. The
 * EXPLAIN QUERY PLAN of each, and whether the store runs it on the event loop or in a worker, are
 * reported beside the figures; the results are checked to be the baseline's, document by document.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ComplaintDocument } from '../projections/complaints.projection';
import type { FollowUpDocument } from '../projections/follow-ups.projection';
import { COMPLAINT_SEVERITIES, FOLLOW_UP_REASONS, VISIT_CHANNELS } from '../src/customer/events';
import { COMPLAINT_SLA_HOURS } from '../src/customer/policies/care';
import { activeCollection } from '../src/projection-engine/collections';
import { ReadModels } from '../src/projection-engine/read-models';
import type { ComplaintWorklistQueryDto, FollowUpWorklistQueryDto } from '../src/queries/care-query.dto';
import { ReadModelsController } from '../src/queries/read-models.controller';
import type { FindOptions, ReadModelStore } from '../src/read-store/read-model-store.port';
import { QueryExecutor } from '../src/read-store/sqlite/query-executor';
import { SqliteReadModelStore } from '../src/read-store/sqlite/sqlite-read-model-store';
import { FullScanBaseline, measure, pick, random } from './analyst';

const BATCH = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Customers who file or get called at most a few times, and a smaller set who come back again and again. */
const CUSTOMERS = 40_000;
const FREQUENT = 2_000;
const AGENTS = 60;

export interface WorklistQueryFigures {
  route: string;
  /** What the handler passed to store.find. */
  collection: string;
  options: FindOptions;
  /** Where the store runs it: on the event loop (bounded index query) or in a query worker. */
  runsOn: 'event loop' | 'worker';
  plan: string[];
  runs: number;
  p50ms: number;
  p99ms: number;
  maxStallMs: number;
  baselineRuns: number;
  baselineP50ms: number;
  baselineP99ms: number;
  baselineMaxStallMs: number;
  results: number;
}

export interface WorklistFigures {
  complaints: number;
  followUps: number;
  buildSeconds: number;
  /** The instant the generated dates are relative to (overdue / dueBefore compare with the clock). */
  generatedAt: string;
  spread: Record<string, Record<string, number>>;
  queries: WorklistQueryFigures[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const customerId = (i: number) => `c-${String(i).padStart(8, '0')}`;
const agent = (i: number) => `agent-${String(i).padStart(3, '0')}`;

/** 30% of complaints and follow-ups belong to the FREQUENT customers, the rest spread over all. */
const customerOf = (next: () => number): string => (next() < 0.3 ? customerId(Math.floor(next() * FREQUENT)) : customerId(Math.floor(next() * CUSTOMERS)));

/** Agents carry uneven loads: agent-000 the most, agent-059 the least (weights 1/(1+i/10)). */
const AGENT_WEIGHTS: [string, number][] = (() => {
  const raw = Array.from({ length: AGENTS }, (_, i) => 1 / (1 + i / 10));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w, i) => [agent(i), w / total]);
})();

export function generatedComplaint(n: number, now: number, next: () => number): ComplaintDocument {
  const status = pick(next, [['resolved', 0.6], ['open', 0.12], ['assigned', 0.18], ['escalated', 0.05], ['reopened', 0.05]] as [ComplaintDocument['status'], number][]);
  let severity = pick(next, [['low', 0.2], ['normal', 0.5], ['high', 0.22], ['urgent', 0.08]] as [(typeof COMPLAINT_SEVERITIES)[number], number][]);
  const resolved = status === 'resolved';
  // Resolved complaints over two years; the open backlog mostly recent (last 14 days, skewed to now).
  const filed = resolved ? now - 7 * DAY - Math.floor(next() * 723 * DAY) : now - Math.floor(next() ** 2 * 14 * DAY);
  let due = filed + COMPLAINT_SLA_HOURS[severity] * HOUR;
  if (status === 'escalated') {
    severity = next() < 0.6 ? 'high' : 'urgent';
    const at = filed + Math.floor(next() * Math.max(HOUR, now - filed));
    due = at + COMPLAINT_SLA_HOURS[severity] * HOUR;
  }
  const resolvedMs = resolved ? filed + Math.floor(next() * 2 * COMPLAINT_SLA_HOURS[severity] * HOUR) : null;
  let reopenCount = 0;
  if (status === 'reopened') {
    reopenCount = 1 + Math.floor(next() * 2);
    const at = filed + Math.floor(next() * Math.max(HOUR, now - filed));
    due = at + COMPLAINT_SLA_HOURS[severity] * HOUR;
  }
  const assignee = status === 'open' ? null : resolved && next() < 0.1 ? null : pick(next, AGENT_WEIGHTS);
  const breached = resolvedMs !== null ? resolvedMs > due : due < now;
  const who = customerOf(next);
  const complaintId = `k${n}`;
  return {
    _id: `${who}:${complaintId}`,
    customerId: who,
    complaintId,
    status,
    severity,
    category: pick(next, [['service', 0.35], ['product', 0.25], ['billing', 0.15], ['delivery', 0.15], ['staff', 0.1]]),
    channel: VISIT_CHANNELS[Math.floor(next() * VISIT_CHANNELS.length)],
    outletId: next() < 0.1 ? null : `outlet-${Math.floor(next() * 50)}`,
    filedAt: iso(filed),
    dueAt: iso(due),
    assignee,
    resolvedAt: resolvedMs === null ? null : iso(resolvedMs),
    hoursToResolve: resolvedMs === null ? null : Math.round(((resolvedMs - filed) / HOUR) * 100) / 100,
    slaBreached: breached,
    breachCount: breached ? 1 : 0,
    satisfaction: resolved && next() < 0.7 ? 1 + Math.floor(next() * 5) : null,
    reopenCount,
    revision: 2 + Math.floor(next() * 60),
  };
}

export function generatedFollowUp(n: number, now: number, next: () => number): FollowUpDocument {
  const status = pick(next, [['completed', 0.6], ['scheduled', 0.3], ['cancelled', 0.1]] as [FollowUpDocument['status'], number][]);
  const reason = pick(next, [['complaint', 0.35], ['win_back', 0.2], ['onboarding', 0.2], ['birthday', 0.15], ['manual', 0.1]] as [(typeof FOLLOW_UP_REASONS)[number], number][]);
  // Scheduled ones within the last 30 days, due 1-14 days later (part of them overdue); closed ones over two years.
  const scheduled = status === 'scheduled' ? now - Math.floor(next() * 30 * DAY) : now - 14 * DAY - Math.floor(next() * 716 * DAY);
  const due = scheduled + DAY + Math.floor(next() * 13 * DAY);
  const closedAt = status === 'scheduled' ? null : iso(scheduled + Math.floor(next() * (due - scheduled + 3 * DAY)));
  const who = customerOf(next);
  const followUpId = `f${n}`;
  return {
    _id: `${who}:${followUpId}`,
    customerId: who,
    followUpId,
    reason,
    status,
    dueAt: iso(due),
    assignee: next() < 0.25 ? null : pick(next, AGENT_WEIGHTS),
    complaintId: reason === 'complaint' ? `k${Math.floor(next() * 100_000)}` : null,
    scheduledAt: iso(scheduled),
    outcome: status === 'completed' ? pick(next, [['reached', 0.6], ['no_answer', 0.25], ['declined', 0.1], ['wrong_contact', 0.05]]) : null,
    notes: status === 'completed' && next() < 0.4 ? 'called back, customer satisfied with the answer' : null,
    satisfaction: status === 'completed' && next() < 0.5 ? 1 + Math.floor(next() * 5) : null,
    completedAt: status === 'completed' ? closedAt : null,
    cancelledAt: status === 'cancelled' ? closedAt : null,
    cancelReason: status === 'cancelled' ? 'customer asked not to be called' : null,
    revision: 2 + Math.floor(next() * 60),
  };
}

/** Writes `documents` generated documents through the store's own writeBatch, as the projections would. */
async function build<D extends { _id: string }>(store: SqliteReadModelStore, collection: string, documents: number, make: (n: number, next: () => number) => D, seed: number, spread: Record<string, Record<string, number>>, fields: string[]): Promise<void> {
  const next = random(seed);
  for (let from = 0; from < documents; from += BATCH) {
    const writes = [];
    for (let i = from; i < Math.min(documents, from + BATCH); i++) {
      const doc = make(i, next);
      for (const field of fields) {
        const key = `${collection}.${field}`;
        const value = String((doc as unknown as Record<string, unknown>)[field] ?? null);
        spread[key] ??= {};
        spread[key][value] = (spread[key][value] ?? 0) + 1;
      }
      writes.push({ _id: doc._id, doc: doc as unknown as { _id: string; revision: number } });
    }
    await store.writeBatch(collection, writes, { name: collection, position: `${from}/${from}` });
  }
}

/** The store as the controller sees it, recording what the handler asks store.find for. */
function recording(store: ReadModelStore): { store: ReadModelStore; last: () => { collection: string; options: FindOptions } } {
  let last: { collection: string; options: FindOptions } | null = null;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'find')
        return (collection: string, options: FindOptions) => {
          last = { collection, options: structuredClone(options) };
          return target.find(collection, options);
        };
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    store: proxy,
    last: () => {
      if (!last) throw new Error('the handler did not call store.find');
      return last;
    },
  };
}

const reply = { header: () => reply } as never;

export async function runWorklistBench(options: { dir: string; documents: number; runs: number; baselineRuns: number }): Promise<WorklistFigures> {
  const filename = join(options.dir, 'worklists.sqlite');
  const store = new SqliteReadModelStore({ filename, queryTimeoutMs: 120_000 });
  const complaintsCollection = await activeCollection(store, 'complaints');
  const followUpsCollection = await activeCollection(store, 'follow_ups');
  // Whole hours, so a run's generated dates do not depend on the millisecond it started.
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const spread: Record<string, Record<string, number>> = {};
  const started = performance.now();
  await build(store, complaintsCollection, options.documents, (n, next) => generatedComplaint(n, now, next), 7, spread, ['status', 'severity']);
  await build(store, followUpsCollection, options.documents, (n, next) => generatedFollowUp(n, now, next), 11, spread, ['status', 'reason']);
  const buildSeconds = (performance.now() - started) / 1000;

  const recorder = recording(store);
  const controller = new ReadModelsController(recorder.store, new ReadModels(recorder.store, null), { waitForPositionMs: 5000 });
  // A mid-load agent and one of the frequent customers (present in both collections).
  const someAgent = agent(7);
  const someCustomer = customerId(17);
  const complaintRoutes: [string, Partial<ComplaintWorklistQueryDto>][] = [
    ['GET /v1/complaints?status=open&limit=50', { status: 'open', limit: 50 }],
    ['GET /v1/complaints?status=open&severity=urgent&limit=50', { status: 'open', severity: 'urgent', limit: 50 }],
    [`GET /v1/complaints?assignee=${someAgent}&limit=50`, { assignee: someAgent, limit: 50 }],
    [`GET /v1/complaints?customerId=${someCustomer}&limit=50`, { customerId: someCustomer, limit: 50 }],
    ['GET /v1/complaints?overdue=true&limit=50', { overdue: 'true', limit: 50 }],
    [`GET /v1/complaints?assignee=${someAgent}&overdue=true&limit=50`, { assignee: someAgent, overdue: 'true', limit: 50 }],
    ['GET /v1/complaints?limit=50', { limit: 50 }],
  ];
  const followUpRoutes: [string, Partial<FollowUpWorklistQueryDto>][] = [
    ['GET /v1/follow-ups?status=scheduled&limit=50', { status: 'scheduled', limit: 50 }],
    [`GET /v1/follow-ups?assignee=${someAgent}&limit=50`, { assignee: someAgent, limit: 50 }],
    [`GET /v1/follow-ups?customerId=${someCustomer}&limit=50`, { customerId: someCustomer, limit: 50 }],
    [`GET /v1/follow-ups?status=scheduled&dueBefore=<now>&limit=50`, { status: 'scheduled', dueBefore: new Date().toISOString(), limit: 50 }],
  ];
  const cases: { route: string; collection: string; options: FindOptions }[] = [];
  for (const [route, query] of complaintRoutes) {
    await controller.complaints(query as ComplaintWorklistQueryDto, reply);
    cases.push({ route, ...recorder.last() });
  }
  for (const [route, query] of followUpRoutes) {
    await controller.followUps(query as FollowUpWorklistQueryDto, reply);
    cases.push({ route, ...recorder.last() });
  }

  const db = new Database(filename, { readonly: true });
  const executor = new QueryExecutor(db);
  const baselines = new Map([complaintsCollection, followUpsCollection].map((c) => [c, new FullScanBaseline(db, c)]));
  const queries: WorklistQueryFigures[] = [];
  for (const { route, collection, options: find } of cases) {
    const baseline = baselines.get(collection) as FullScanBaseline;
    // A query that turns out to be a scan gets fewer runs (at least 10), so a run stays within minutes.
    const once = performance.now();
    await store.find(collection, find);
    const runs = Math.max(10, Math.min(options.runs, Math.floor(3000 / (performance.now() - once))));
    const ours = await measure(runs, () => store.find(collection, find));
    const base = await measure(options.baselineRuns, () => baseline.find(find));
    console.log(`  measured ${route}: p50 ${ours.p50.toFixed(2)} ms (${runs} runs), full scan p50 ${base.p50.toFixed(0)} ms`);
    const ids = ((await store.find(collection, find)) as { _id: string }[]).map((doc) => doc._id);
    const baseIds = (baseline.find(find) as { _id: string }[]).map((doc) => doc._id);
    if (ids.join('\n') !== baseIds.join('\n')) throw new Error(`${route}: results differ from the full scan's (${ids.length} vs ${baseIds.length})`);
    queries.push({
      route,
      collection,
      options: find,
      runsOn: executor.isSmall({ op: 'find', collection, options: find }) ? 'event loop' : 'worker',
      plan: store.explainFind(collection, find),
      runs,
      p50ms: ours.p50,
      p99ms: ours.p99,
      maxStallMs: ours.maxStall,
      baselineRuns: options.baselineRuns,
      baselineP50ms: base.p50,
      baselineP99ms: base.p99,
      baselineMaxStallMs: base.maxStall,
      results: ids.length,
    });
  }
  db.close();
  await store.close();
  return { complaints: options.documents, followUps: options.documents, buildSeconds, generatedAt: iso(now), spread, queries };
}
