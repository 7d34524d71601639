/**
 * Runs planned queries on one SQLite connection: the store's own (bounded queries, on the event
 * loop) or a worker's read-only one (everything else, off the event loop, under a time limit).
 * Both run this same code, so where a query runs never changes what it answers.
 */
import type Database from 'better-sqlite3';
import { compare, resolve } from 'mingo/util';
import { runPipeline, type PipelineStage } from '../mingo-aggregate';
import { compileFilter } from '../mingo-query';
import type { Filter, FindOptions, ReadModelDocument, Sort } from '../read-model-store.port';
import { fieldExpression, planQuery, tableOf, type SqlPlan } from './query-plan';

export type QueryRequest =
  | { op: 'find'; collection: string; options: FindOptions }
  | { op: 'count'; collection: string; filter?: Filter }
  | { op: 'countBy'; collection: string; fields: string[] }
  | { op: 'aggregate'; collection: string; pipeline: PipelineStage[] };

export type CountGroup = { key: Record<string, unknown>; count: number };

/** Candidates above this many are a scan: the store sends them to a worker. */
export const SMALL_CANDIDATES = 2000;
/** OFFSETs above this are walked in a worker, not on the event loop. */
export const MAX_MAIN_THREAD_SKIP = 10_000;

export class QueryExecutor {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly plans = new Map<string, string>();

  constructor(private readonly db: Database.Database) {}

  run(request: QueryRequest): ReadModelDocument[] | number | CountGroup[] | Record<string, unknown>[] {
    switch (request.op) {
      case 'find':
        return this.find(request.collection, request.options);
      case 'count':
        return this.count(request.collection, request.filter);
      case 'countBy':
        return this.countBy(request.collection, request.fields);
      case 'aggregate':
        return this.aggregate(request.collection, request.pipeline);
    }
  }

  /**
   * Whether `request` is bounded work that may run on the event loop: an exact index query with a
   * limit and a plan that needs no sort of its own, or at most SMALL_CANDIDATES candidates and no
   * regular expression (a runaway pattern must only ever run where it can be stopped).
   */
  isSmall(request: QueryRequest): boolean {
    // An aggregation reads the whole collection (less a leading $match): always in a worker, under the time limit.
    if (request.op === 'aggregate') return false;
    if (request.op === 'countBy') return this.candidates({ table: tableOf(request.collection), where: 'collection = ?', params: [request.collection] }) <= SMALL_CANDIDATES;
    const plan = planQuery(request.collection, request.op === 'find' ? request.options.filter : request.filter, request.op === 'find' ? request.options.sort : undefined);
    if (plan.hasRegex) return false;
    if (request.op === 'find') {
      const { limit, skip = 0 } = request.options;
      if (plan.exact && plan.sortPushed && limit !== undefined && limit <= 1000 && skip <= MAX_MAIN_THREAD_SKIP && this.streamsInOrder(plan)) return true;
    }
    return this.candidates(plan) <= SMALL_CANDIDATES;
  }

  find(collection: string, options: FindOptions): ReadModelDocument[] {
    const { filter, sort, skip = 0, limit } = options;
    const plan = planQuery(collection, filter, sort);
    const select = `SELECT doc FROM ${plan.table} WHERE ${plan.where} ORDER BY ${plan.orderBy}`;
    const query = filter && Object.keys(filter).length > 0 ? compileFilter(filter) : null;
    if (plan.exact && plan.sortPushed) {
      const page = this.statement(`${select} LIMIT ? OFFSET ?`)
        .all(...plan.params, limit ?? -1, skip)
        .map((text) => parse(text as string));
      // The declared types make the SQL exact; a document breaking them is caught here and the
      // query answered by the filter itself.
      if (!query || page.every((doc) => query.test(doc))) return page;
    }
    const rows = this.statement(select).iterate(...plan.params) as IterableIterator<string>;
    if (plan.sortPushed) {
      const page: ReadModelDocument[] = [];
      let skipped = 0;
      for (const text of rows) {
        if (limit !== undefined && page.length >= limit) break;
        const doc = parse(text);
        if (query && !query.test(doc)) continue;
        if (skipped < skip) skipped += 1;
        else page.push(doc);
      }
      return page;
    }
    const matches: ReadModelDocument[] = [];
    for (const text of rows) {
      const doc = parse(text);
      if (!query || query.test(doc)) matches.push(doc);
    }
    matches.sort(comparator(sort as Sort));
    return matches.slice(skip, limit === undefined ? undefined : skip + limit);
  }

  /**
   * An aggregation: a leading $match is pushed down as a find (indexes apply), the rest runs in
   * mingo's Aggregator with the allow-listed operators only (mingo-aggregate.ts). Where no worker
   * runs it (an in-memory store), at most MAX_MAIN_THREAD_AGGREGATE_INPUT documents are read.
   */
  aggregate(collection: string, pipeline: PipelineStage[], maxInput?: number): Record<string, unknown>[] {
    const first = pipeline[0];
    const leading = first && '$match' in first ? (first.$match as Filter) : undefined;
    const docs = this.find(collection, { filter: leading, sort: { _id: 1 }, ...(maxInput === undefined ? {} : { limit: maxInput + 1 }) });
    if (maxInput !== undefined && docs.length > maxInput) throw new AggregateInputTooLargeError(maxInput);
    try {
      return runPipeline(docs, leading === undefined ? pipeline : pipeline.slice(1));
    } catch (error) {
      // What the pipeline itself fails on ($divide by zero, $toDate of a name, …): the analyst's to fix.
      throw new Error(`${AGGREGATION_FAILED}${(error as Error).message}`, { cause: error });
    }
  }

  count(collection: string, filter?: Filter): number {
    const plan = planQuery(collection, filter, undefined);
    if (plan.exact) return this.statement(`SELECT count(*) FROM ${plan.table} WHERE ${plan.where}`).get(...plan.params) as number;
    const query = compileFilter(filter as Filter);
    let count = 0;
    for (const text of this.statement(`SELECT doc FROM ${plan.table} WHERE ${plan.where}`).iterate(...plan.params) as IterableIterator<string>) if (query.test(parse(text))) count += 1;
    return count;
  }

  /** GROUP BY over the indexed expressions when every field is declared; a parse of each document otherwise. */
  countBy(collection: string, fields: string[]): CountGroup[] {
    const plan = planQuery(collection, undefined, undefined);
    if (plan.indexed && fields.length > 0 && fields.every((field) => plan.scalar.has(field))) {
      const columns = fields.map((field, i) => `${fieldExpression(field)} AS k${i}`).join(', ');
      const groupBy = fields.map((_, i) => `k${i}`).join(', ');
      const rows = this.statement(`SELECT ${columns}, count(*) AS n FROM ${plan.table} WHERE collection = ? GROUP BY ${groupBy}`, false).all(collection) as Record<string, unknown>[];
      return rows.map((row) => ({ key: Object.fromEntries(fields.map((field, i) => [field, row[`k${i}`] ?? null])), count: row.n as number }));
    }
    const groups = new Map<string, CountGroup>();
    for (const text of this.statement(`SELECT doc FROM ${plan.table} WHERE collection = ?`).iterate(collection) as IterableIterator<string>) {
      const doc = parse(text);
      const key = Object.fromEntries(fields.map((field) => [field, valueAt(doc, field) ?? null]));
      const groupKey = JSON.stringify(key);
      const group = groups.get(groupKey);
      if (group) group.count += 1;
      else groups.set(groupKey, { key, count: 1 });
    }
    return [...groups.values()];
  }

  /** EXPLAIN QUERY PLAN of a find, one line per step (for tests and the bench). */
  explainFind(collection: string, options: FindOptions): string[] {
    const plan = planQuery(collection, options.filter, options.sort);
    return this.explain(`SELECT doc FROM ${plan.table} WHERE ${plan.where} ORDER BY ${plan.orderBy} LIMIT 1`, plan.params);
  }

  private explain(sql: string, params: unknown[]): string[] {
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
  }

  /**
   * The plan reads rows in the requested order from an index narrowed by the filter: no sort of
   * every candidate first (sorting ties by id as they come is fine) and no walk of the whole
   * collection checking each row.
   */
  private streamsInOrder(plan: SqlPlan): boolean {
    const sql = `SELECT doc FROM ${plan.table} WHERE ${plan.where} ORDER BY ${plan.orderBy} LIMIT 1`;
    let verdict = this.plans.get(sql);
    if (verdict === undefined) {
      const steps = this.explain(sql, plan.params);
      const scans = steps.some((step) => /^SCAN /.test(step) || /USE TEMP B-TREE FOR ORDER BY/.test(step) || (plan.pushed && /\(collection=\?\)$/.test(step)));
      verdict = scans ? 'scan' : 'stream';
      if (this.plans.size > 500) this.plans.clear();
      this.plans.set(sql, verdict);
    }
    return verdict === 'stream';
  }

  /** How many rows the SQL part selects, counted up to SMALL_CANDIDATES + 1 over the index. */
  private candidates(plan: { table: string; where: string; params: unknown[] }): number {
    return this.statement(`SELECT count(*) FROM (SELECT 1 FROM ${plan.table} WHERE ${plan.where} LIMIT ${SMALL_CANDIDATES + 1})`).get(...plan.params) as number;
  }

  /** Prepared once per SQL text; single-column results come back as plain values. */
  private statement(sql: string, pluck = true): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (pluck) statement.pluck();
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

const parse = (text: string): ReadModelDocument => JSON.parse(text) as ReadModelDocument;

/**
 * MongoDB's sort order: values compared by type then value, null and missing equal, ties broken by
 * _id ascending (what the SQL ORDER BY and the MongoDB adapter do too).
 */
function comparator(sort: Sort): (a: ReadModelDocument, b: ReadModelDocument) => number {
  const keys = Object.entries(sort);
  if (!keys.some(([path]) => path === '_id')) keys.push(['_id', 1]);
  return (a, b) => {
    for (const [path, direction] of keys) {
      const order = compare(resolve(a, path) ?? null, resolve(b, path) ?? null);
      if (order !== 0) return direction === -1 ? -order : order;
    }
    return 0;
  };
}

/** The value at a dotted path, as MongoDB's `$group` would see it. */
function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Documents an aggregation may read on the event loop (an in-memory store, no query workers). */
export const MAX_MAIN_THREAD_AGGREGATE_INPUT = 50_000;

export class AggregateInputTooLargeError extends Error {
  override name = 'AggregateInputTooLargeError';
  constructor(readonly maxInput: number) {
    super(`the aggregation reads more than ${maxInput} documents; narrow it with a leading $match`);
  }
}

/** The message prefix of an aggregation the pipeline's own expressions failed (it crosses the worker boundary as text). */
export const AGGREGATION_FAILED = 'the aggregation failed: ';
