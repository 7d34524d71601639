/**
 * GET /v1/events/export on a worker thread (export-thread-worker.ts) of its own. The thread reads
 * the log and writes the NDJSON into a few shared slots; this side writes each slot to the response
 * and frees it when the socket has taken it. So an export costs the HTTP thread one write per
 * 256 KB, its memory is the slots and the thread's small heap whatever the ledger's length, and a
 * slow client stalls the thread rather than filling memory. On the HTTP thread the export's lines
 * had grown V8's young generation by some 40 MB and left finished chunks waiting for a GC.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { AppConfig } from '../config/config';
import { startWorker } from '../shared/start-worker';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { ExportThreadData, FromExportThread, ToExportThread } from './export-thread-worker';
import type { LedgerExportOptions } from './ledger-export';
import { CHUNK_BYTES } from './ndjson-chunks';

/** Chunks in flight at once: one being written there, the rest on their way to the socket. */
const SLOTS = 4;
/** The thread's young generation, MB: its lines die young, a larger one only holds more of them. */
const YOUNG_GENERATION_MB = 8;

/** An export started on its thread; `writeTo` streams it. */
export interface LedgerExportRun {
  /** Writes the export to `out` and ends it; a failure on the way destroys `out`. Closing `out` early stops the thread. */
  writeTo(out: Writable): Promise<void>;
}

export class LedgerExportThreads {
  private readonly threads = new Set<Worker>();
  /** How the exports started here ended: read to the end, stopped because the client went away, or failed. */
  readonly ended: Record<ExportEnd, number> = { done: 0, stopped: 0, failed: 0 };

  constructor(private readonly config: AppConfig) {}

  /** Export threads alive now (started and not yet exited). */
  get running(): number {
    return this.threads.size;
  }

  /** Starts an export; resolves once it has its first chunk (or its end), so a store that cannot be read fails before any byte is sent. */
  async start(options: LedgerExportOptions): Promise<LedgerExportRun> {
    const ring = new SharedArrayBuffer(SLOTS * CHUNK_BYTES);
    const workerData: ExportThreadData = { config: this.config, options, ring };
    const worker = startWorker(join(__dirname, 'export-thread-worker'), { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // An export in flight does not keep the process from stopping.
    worker.unref();
    this.threads.add(worker);
    worker.once('exit', () => this.threads.delete(worker));
    const run = new ExportRun(worker, ring, (end) => (this.ended[end] += 1));
    await run.first;
    return run;
  }
}

type ExportEnd = 'done' | 'stopped' | 'failed';

class ExportRun implements LedgerExportRun {
  /** Messages heard before `writeTo` (the first, at least). */
  private readonly pending: FromExportThread[] = [];
  private out: Writable | null = null;
  private finished = false;
  private settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  /** Resolves at the first message; rejects if the thread failed before any chunk. */
  readonly first: Promise<void>;

  constructor(
    private readonly worker: Worker,
    private readonly ring: SharedArrayBuffer,
    private readonly onEnd: (end: ExportEnd) => void,
  ) {
    this.first = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromExportThread) => {
        if (this.out) return this.handle(message);
        if (message.kind === 'failed') {
          this.finish('failed');
          return reject(message.unavailable ? new StoreUnavailableError(message.error) : new Error(message.error));
        }
        this.pending.push(message);
        resolve();
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.finished) this.fail(new Error(`export thread exited with code ${code} before the end`));
        reject(new Error(`export thread exited with code ${code}`));
      });
    });
  }

  writeTo(out: Writable): Promise<void> {
    this.out = out;
    // The client went away (or the response failed) before the end: the thread stops at its next chunk.
    const stop = () => {
      if (!this.finished) this.tell({ kind: 'stop' });
    };
    if (out.destroyed) stop();
    else out.once('close', stop);
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      for (const message of this.pending.splice(0)) this.handle(message);
    });
  }

  private handle(message: FromExportThread): void {
    const out = this.out as Writable;
    switch (message.kind) {
      case 'slot': {
        const { slot } = message;
        out.write(Buffer.from(this.ring, slot * CHUNK_BYTES, message.length), () => this.tell({ kind: 'free', slot }));
        return;
      }
      case 'bytes':
        out.write(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
        return;
      case 'done':
        this.finish('done');
        out.end(() => this.settle?.resolve());
        return;
      case 'stopped':
        this.finish('stopped');
        this.settle?.resolve();
        return;
      case 'failed':
        this.fail(message.unavailable ? new StoreUnavailableError(message.error) : new Error(message.error));
        return;
    }
  }

  private fail(error: Error): void {
    if (this.finished) return;
    this.finish('failed');
    this.out?.destroy(error);
    this.settle?.reject(error);
  }

  private finish(end: ExportEnd): void {
    this.finished = true;
    this.onEnd(end);
    void this.worker.terminate();
  }

  private tell(message: ToExportThread): void {
    if (!this.finished) this.worker.postMessage(message);
  }
}
