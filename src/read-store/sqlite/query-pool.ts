/**
 * A pool of query worker threads (query-worker.ts) with a time limit per query: past it the worker
 * is terminated and replaced, and the query fails with QueryTimeoutError. The limit counts from
 * when a worker takes the query (a worker's start-up is not the query's time).
 */
import type { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { startWorker } from '../../shared/start-worker';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import { QueryTimeoutError } from '../read-model-store.port';
import type { QueryRequest } from './query-executor';
import type { WorkerReply } from './query-worker';

export interface QueryPoolOptions {
  filename: string;
  /** Each worker's page cache, MB. */
  cacheMB: number;
  size: number;
  timeoutMs: number;
}

interface Job {
  request: QueryRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** The worker opened its connection; the time limit of a query starts when a ready worker takes it. */
  ready: boolean;
  job: (Job & { id: number; timer: NodeJS.Timeout }) | null;
}

/** Under ts-node / ts-jest the worker is loaded through ts-node (about a second to start). */
const spawn = (workerData: { filename: string; cacheMB: number }): Worker => startWorker(join(__dirname, 'query-worker'), { workerData });

export class QueryPool {
  private readonly slots: (Slot | null)[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: QueryPoolOptions) {
    // Workers start on first use: the first scan waits for one (about 200 ms compiled, a second
    // under ts-node), and a service that no analyst queries holds none (each is some 15 MB of RSS:
    // an isolate and its SQLite connection; an idle service 118 MB against 134 with one started).
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => null);
  }

  run<T>(request: QueryRequest): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('read-model store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new StoreUnavailableError('read-model store is closed'));
    await Promise.all(
      this.slots.map(async (slot, i) => {
        this.slots[i] = null;
        if (!slot) return;
        if (slot.job) {
          clearTimeout(slot.job.timer);
          slot.job.reject(new StoreUnavailableError('read-model store is closed'));
        }
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const index = this.slots.findIndex((slot) => slot !== null && slot.ready && slot.job === null);
      if (index < 0) {
        // Every worker is busy: start one more (one at a time, up to the pool size).
        const free = this.slots.indexOf(null);
        if (!this.closed && free >= 0 && !this.slots.some((slot) => slot !== null && !slot.ready)) this.start(free);
        return;
      }
      const slot = this.slots[index] as Slot;
      const job = this.queue.shift() as Job;
      const id = this.nextId++;
      const timer = setTimeout(() => this.timedOut(index, slot), this.options.timeoutMs);
      slot.job = { ...job, id, timer };
      slot.worker.postMessage({ id, request: job.request });
    }
  }

  private start(index: number): Slot {
    const worker = spawn({ filename: this.options.filename, cacheMB: this.options.cacheMB });
    const slot: Slot = { worker, ready: false, job: null };
    worker.unref();
    worker.on('message', (reply: WorkerReply | 'ready') => {
      if (reply === 'ready') {
        slot.ready = true;
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      clearTimeout(job.timer);
      slot.job = null;
      if (reply.error) job.reject(reply.error.sqlite ? new StoreUnavailableError(`read-model store failed: ${reply.error.message}`) : new Error(reply.error.message));
      else job.resolve(reply.result);
      this.dispatch();
    });
    const fail = (error: Error) => {
      if (this.slots[index] !== slot) return;
      this.slots[index] = null;
      if (slot.job) {
        clearTimeout(slot.job.timer);
        slot.job.reject(new StoreUnavailableError(`query worker failed: ${error.message}`, { cause: error }));
        slot.job = null;
      } else if (!slot.ready) {
        // A worker that cannot even start (file gone, …) fails what waits for it rather than retrying forever.
        for (const job of this.queue.splice(0)) job.reject(new StoreUnavailableError(`query worker failed to start: ${error.message}`, { cause: error }));
        return;
      }
      if (this.queue.length > 0) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.slots[index] = slot;
    return slot;
  }

  /** Past the limit: the worker is stopped (terminate() interrupts JavaScript, e.g. a regex) and a new one started. */
  private timedOut(index: number, slot: Slot): void {
    if (this.slots[index] !== slot || !slot.job) return;
    const job = slot.job;
    slot.job = null;
    this.slots[index] = null;
    job.reject(new QueryTimeoutError(this.options.timeoutMs));
    void slot.worker.terminate();
    if (!this.closed) this.start(index);
    this.dispatch();
  }
}
