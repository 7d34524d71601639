/**
 * Batch evaluation: N customers in the due_dates index, `due` of them due at `asOf`; the time of a
 * BatchEvaluation run (the product path: due index → EvaluateCustomer through the command
 * pipeline, 16 in flight) next to a same-run baseline of reading the due index alone (the same
 * `nextDueAt <= asOf` count and _id-ordered pages of 500 through the ReadModelStore). Run at two
 * sizes with the same number due, the evaluation time should follow the number due, not stored.
 *
 * The due customers have real histories (registered and a purchase two years before `asOf`, both
 * through the command pipeline, projected by the engine). The others exist only as due_dates
 * documents: the events of one real customer (registered and a purchase the day before `asOf`,
 * nothing due until after it) folded through the due_dates projection definition under each
 * filler's id, and written straight into the read store with writeBatch.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { PROJECTIONS } from '../projections';
import { dueDates, type DueDate } from '../projections/due-dates.projection';
import type { ProjectionEvent } from '../projections/projection';
import { createApp } from '../src/app';
import { ExecuteCustomerCommand } from '../src/commands/execute-customer-command';
import { loadConfig } from '../src/config/config';
import type { CustomerCommand } from '../src/customer/commands';
import { BatchEvaluation } from '../src/evaluation/batch-evaluation';
import { customerStream } from '../src/event-store/customer-stream';
import type { EventStore } from '../src/event-store/event-store.port';
import { EVENT_STORE } from '../src/event-store/event-store.token';
import { toProjectionEvent } from '../src/projection-engine/projection-event';
import { ReadModels } from '../src/projection-engine/read-models';
import type { ReadModelStore } from '../src/read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../src/read-store/read-model-store.token';
import { median } from './machine';

const DAY_MS = 86_400_000;
const IN_FLIGHT = 64;
const WRITE_BATCH = 5_000;
/** The same page size BatchEvaluation reads the index with. */
const PAGE = 500;

export interface EvaluationFigures {
  stored: number;
  due: number;
  /** How the customers were made (real histories for the due, documents for the rest). */
  source: string;
  buildSeconds: number;
  /** Baseline: count + pages of the due index alone, median of `indexRuns`. */
  indexReadMs: number;
  indexRuns: number;
  indexListed: number;
  evaluateMs: number;
  evaluated: number;
  changed: number;
  failed: number;
  microsPerDueCustomer: number;
}

export async function runEvaluationBench(options: { dir: string; sizes: number[]; due: number; log?: (line: string) => void }): Promise<EvaluationFigures[]> {
  const figures: EvaluationFigures[] = [];
  for (const stored of options.sizes) figures.push(await measureSize(options.dir, stored, Math.min(options.due, stored), options.log ?? (() => undefined)));
  return figures;
}

async function measureSize(dir: string, stored: number, due: number, log: (line: string) => void): Promise<EvaluationFigures> {
  const dataDir = mkdtempSync(join(dir, 'evaluation-'));
  const config = loadConfig({ DATA_DIR: dataDir, API_KEYS: 'bench-admin:admin:bench-admin-secret-0001', EVALUATION_INTERVAL_MINUTES: '0' });
  const { app } = await createApp(config, false);
  try {
    const commandBus = app.get(CommandBus);
    const events = app.get<EventStore>(EVENT_STORE);
    const store = app.get<ReadModelStore>(READ_MODEL_STORE);
    const readModels = app.get(ReadModels);
    const batch = app.get(BatchEvaluation);
    const run = (command: CustomerCommand) =>
      commandBus.execute(
        new ExecuteCustomerCommand(command, { requestId: randomUUID(), correlationId: randomUUID(), actor: { name: 'bench', role: 'admin' }, idempotencyKey: null, commandHash: '', expectedRevision: null, now: new Date() }),
      );
    const asOfMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const asOf = new Date(asOfMs).toISOString();
    const at = (ms: number) => new Date(ms).toISOString();
    const history = async (customerId: string, since: number) => {
      await run({ type: 'RegisterCustomer', data: { customerId, name: 'Li Wei', email: 'li.wei@example.com', phone: null, address: null, outletId: 'outlet-1', preferences: { channels: ['email'], categories: ['food'] }, occurredAt: at(since) } } as CustomerCommand);
      await run({ type: 'RecordPurchase', data: { customerId, purchaseId: 'p1', amount: 12_345, currency: 'CNY', exchangeRate: null, outletId: 'outlet-1', items: [], occurredAt: at(since + 3_600_000) } } as CustomerCommand);
    };
    const caughtUp = async () => {
      const head = await events.headPosition();
      if (head) for (const { name } of PROJECTIONS) if (!(await readModels.waitFor(name, head, 600_000)).reached) throw new Error(`${name} did not catch up`);
    };

    const started = performance.now();
    // Due: real histories through the command pipeline.
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < due) await history(`due-${String(next++).padStart(8, '0')}`, asOfMs - 730 * DAY_MS);
      }),
    );
    // The template of the others: a real customer with nothing due before asOf.
    await history('template', asOfMs - DAY_MS);
    await caughtUp();
    const collection = await readModels.collectionOf('due_dates');
    const template = (await store.get(collection, 'template')) as DueDate | null;
    if (!template || template.nextDueAt === null || template.nextDueAt <= asOf) throw new Error(`the template customer is due at ${template?.nextDueAt ?? 'never'}, not after ${asOf}`);
    const recorded: ProjectionEvent[] = [];
    for await (const event of events.readStream(customerStream('template'))) {
      const projected = toProjectionEvent(event);
      if (projected) recorded.push(projected);
    }
    const fillers = stored - due;
    for (let from = 0; from < fillers; from += WRITE_BATCH) {
      const writes = [];
      for (let i = from; i < Math.min(fillers, from + WRITE_BATCH); i++) {
        const customerId = `other-${String(i).padStart(8, '0')}`;
        let doc: DueDate | undefined;
        for (const event of recorded) doc = dueDates.apply(doc, { ...event, streamId: customerStream(customerId), data: { ...event.data, customerId } } as ProjectionEvent);
        writes.push({ _id: customerId, doc: doc! });
      }
      await store.writeBatch(collection, writes, null);
      if ((from / WRITE_BATCH) % 40 === 39) log(`    ${stored}: ${from + WRITE_BATCH} of ${fillers} documents written`);
    }
    await caughtUp();
    const buildSeconds = (performance.now() - started) / 1000;
    const total = await store.count(collection, {});
    if (total !== stored + 1) throw new Error(`due_dates holds ${total} documents, not ${stored + 1}`);

    // Baseline: the due index alone, read the way BatchEvaluation reads it.
    const indexRuns = 5;
    const reads: number[] = [];
    let listed = 0;
    for (let i = 0; i < indexRuns; i++) {
      const t0 = performance.now();
      listed = await readDueIndex(store, collection, asOf);
      reads.push(performance.now() - t0);
    }
    if (listed !== due) throw new Error(`the index lists ${listed} customers due, not ${due}`);

    const t0 = performance.now();
    const { evaluationId } = await batch.start(asOf);
    await batch.settled();
    const evaluateMs = performance.now() - t0;
    const result = await batch.get(evaluationId);
    if (!result || result.status !== 'completed') throw new Error(`evaluation ended ${result?.status ?? 'missing'}: ${result?.error ?? ''}`);
    return {
      stored,
      due,
      source: `${due} real histories through the command pipeline, ${fillers} due_dates documents folded by the projection definition and written directly`,
      buildSeconds,
      indexReadMs: median(reads),
      indexRuns,
      indexListed: listed,
      evaluateMs,
      evaluated: result.evaluated,
      changed: result.changed,
      failed: result.failed,
      microsPerDueCustomer: (evaluateMs * 1000) / Math.max(1, result.evaluated),
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** count + _id-ordered pages of `nextDueAt <= asOf`, as BatchEvaluation does; returns the ids listed. */
async function readDueIndex(store: ReadModelStore, collection: string, asOf: string): Promise<number> {
  const due = { nextDueAt: { $lte: asOf } };
  await store.count(collection, due);
  let after: string | null = null;
  let listed = 0;
  for (;;) {
    const filter: Record<string, unknown> = after === null ? due : { ...due, _id: { $gt: after } };
    const page = await store.find(collection, { filter, sort: { _id: 1 }, limit: PAGE });
    if (page.length === 0) break;
    after = page[page.length - 1]._id;
    listed += page.length;
  }
  return listed;
}
