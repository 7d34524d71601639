/**
 * Batch evaluation: every customer with something due by `asOf`, found from the due-date index
 * (not a scan of all streams), evaluated through the one command pipeline. One run at a time;
 * progress is kept in the read store so any process can answer for it. Re-running after a crash
 * duplicates nothing: evaluation appends only what is still due, with event ids from `asOf`.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ExecuteCustomerCommand } from '../commands/execute-customer-command';
import { EVENT_STORE } from '../event-store/event-store.token';
import type { EventStore } from '../event-store/event-store.port';
import { ReadModels } from '../projection-engine/read-models';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../read-store/read-model-store.token';

export interface EvaluationRun {
  evaluationId: string;
  status: 'running' | 'completed' | 'failed';
  asOf: string;
  /** Customers the index listed as due. */
  due: number;
  evaluated: number;
  /** Customers whose evaluation appended something. */
  changed: number;
  failed: number;
  startedAt: string;
  finishedAt: string | null;
  error?: string;
}

export class EvaluationRunningError extends Error {
  override readonly name = 'EvaluationRunningError';
}

const INDEX = 'due_dates';
const PAGE = 500;
/** Evaluations in flight at once: enough for the event store to commit them in groups. */
const CONCURRENCY = 16;
/** How long a run waits for the index to catch up with the log before it starts. */
const INDEX_WAIT_MS = 30_000;
const settingKey = (id: string) => `evaluation:${id}`;
const SYSTEM_ACTOR = { name: 'evaluation', role: 'admin' as const };

@Injectable()
export class BatchEvaluation implements OnApplicationShutdown {
  private readonly logger = new Logger('BatchEvaluation');
  private current: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly readModels: ReadModels,
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  /** Starts a run; refuses while one is running in this process. */
  async start(asOf: string): Promise<EvaluationRun> {
    if (this.current) throw new EvaluationRunningError('a batch evaluation is running; wait for it to finish');
    const run: EvaluationRun = { evaluationId: randomUUID(), status: 'running', asOf, due: 0, evaluated: 0, changed: 0, failed: 0, startedAt: new Date().toISOString(), finishedAt: null };
    // Claimed before the first await, so two starts at the same moment cannot both run.
    let saved!: Promise<void>;
    this.current = (saved = this.save(run)).then(() => this.execute(run)).finally(() => (this.current = null));
    await saved;
    return run;
  }

  async get(evaluationId: string): Promise<EvaluationRun | null> {
    const text = await this.store.getSetting(settingKey(evaluationId));
    return text === null ? null : (JSON.parse(text) as EvaluationRun);
  }

  /** Resolves when the current run (if any) is over. */
  async settled(): Promise<void> {
    await this.current;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.current;
  }

  private async execute(run: EvaluationRun): Promise<void> {
    try {
      const head = await this.events.headPosition();
      if (head !== null) await this.readModels.waitFor(INDEX, head, INDEX_WAIT_MS);
      const collection = await this.readModels.collectionOf(INDEX);
      const due = { nextDueAt: { $lte: run.asOf } };
      run.due = await this.store.count(collection, due);
      await this.save(run);
      // Pages in (nextDueAt, _id) order over the index range, so each page reads only due documents;
      // `seen` holds the ids already evaluated at the page boundary's due instant.
      let from = '';
      let seen = new Set<string>();
      while (!this.stopping) {
        const page = await this.store.find(collection, { filter: { nextDueAt: { $gte: from, $lte: run.asOf } }, sort: { nextDueAt: 1, _id: 1 }, limit: PAGE + seen.size });
        const fresh = page.filter((doc) => !(doc.nextDueAt === from && seen.has(doc._id)));
        if (fresh.length === 0) break;
        await this.evaluateAll(run, fresh.map((doc) => doc._id));
        const last = fresh[fresh.length - 1].nextDueAt as string;
        if (last !== from) seen = new Set();
        for (const doc of fresh) if (doc.nextDueAt === last) seen.add(doc._id);
        from = last;
        await this.save(run);
      }
      run.status = this.stopping ? 'failed' : 'completed';
      if (this.stopping) run.error = 'the service stopped during the run; start it again to finish (nothing is appended twice)';
    } catch (error) {
      run.status = 'failed';
      run.error = (error as Error).message;
      this.logger.error(`batch evaluation ${run.evaluationId} failed: ${run.error}`);
    }
    run.finishedAt = new Date().toISOString();
    await this.save(run).catch(() => undefined);
  }

  private async evaluateAll(run: EvaluationRun, customerIds: string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < customerIds.length && !this.stopping) {
        const customerId = customerIds[next++];
        try {
          const result = await this.commandBus.execute(
            new ExecuteCustomerCommand(
              { type: 'EvaluateCustomer', data: { customerId, occurredAt: run.asOf } },
              {
                // Event ids follow from the command id: a re-run for the same asOf appends the same ids.
                requestId: `evaluation:${run.asOf}`,
                correlationId: run.evaluationId,
                actor: SYSTEM_ACTOR,
                idempotencyKey: null,
                commandHash: '',
                expectedRevision: null,
                now: new Date(),
              },
            ),
          );
          run.evaluated++;
          if (result.changed) run.changed++;
        } catch (error) {
          run.failed++;
          this.logger.warn(`evaluating ${customerId} failed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  private save(run: EvaluationRun): Promise<void> {
    return this.store.setSetting(settingKey(run.evaluationId), JSON.stringify(run));
  }
}
