/** Reads the global log once for a set of projection runners: catch up in batches, then follow live appends. */
import type { EventStore } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/position';
import { CollectionRetiredError, type ReadModelStore } from '../read-store/read-model-store.port';
import { ProjectionFailure, type ProjectionRunner } from './projection-runner';
import { toProjectionEvent } from './projection-event';
import { yieldToEventLoop } from '../shared/yield';

export interface TrackOptions {
  batchSize: number;
  /** Longest wait for an append notice before looking again (appends by other processes). */
  idleMs: number;
  /** Wait after a store fault before retrying from the checkpoint. */
  retryMs: number;
  /** Longest time documents stay unwritten while catching up (they are written as soon as the track is caught up). */
  flushMs: number;
  /** Pause after a live batch, so appends arriving meanwhile share the next one (read-your-writes waits up to this much longer). */
  liveBatchMs: number;
}

export const DEFAULT_TRACK_OPTIONS: TrackOptions = { batchSize: 2000, idleMs: 1000, retryMs: 1000, flushMs: 30_000, liveBatchMs: 5 };

export interface TrackListener {
  progress?: () => void;
  caughtUp?: (track: ProjectionTrack) => void;
  failed?: (runner: ProjectionRunner) => void;
  retired?: (runner: ProjectionRunner) => void;
}

export class ProjectionTrack {
  private stopped = false;
  private wake: (() => void) | null = null;
  /** An append happened since the last read (so an idle wait must not start). */
  private signalled = false;
  private readonly unsubscribe: () => void;
  private loop: Promise<void> | null = null;
  /** Set while the track retries after a store fault. */
  storeError: string | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    readonly runners: ProjectionRunner[],
    private readonly options: TrackOptions,
    /**
     * Called after every batch (progress), when the track has nothing more to read (caughtUp), when a
     * runner's definition threw (failed) and when a runner's collection was retired by a rebuild (retired).
     */
    private readonly listener: TrackListener = {},
  ) {
    this.unsubscribe = events.onAppended(() => {
      this.signalled = true;
      this.wake?.();
    });
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stops after the batch in hand. With `flush`, then writes what the runners applied since their last
   * flush, with their checkpoints, so a restart resumes from there (a store fault here loses
   * nothing: the next start replays from the previous checkpoint).
   */
  async stop(options: { flush?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
    await this.loop;
    if (!options.flush) return;
    const active = this.runners.filter((runner) => runner.status === 'running' || runner.status === 'rebuilding');
    await this.flush(active).catch(() => undefined);
  }

  /** Position the track reads from: the least advanced of its running runners. */
  private from(active: ProjectionRunner[]): string | null {
    let least: string | null | undefined;
    for (const runner of active) {
      const at = runner.readFrom;
      if (at === null) return null;
      if (least === undefined || comparePositions(at, least as string) < 0) least = at;
    }
    return least ?? null;
  }

  private async run(): Promise<void> {
    let lastFlush = Date.now();
    while (!this.stopped) {
      const active = this.runners.filter((runner) => runner.status === 'running' || runner.status === 'rebuilding');
      this.signalled = false;
      if (active.length === 0) {
        // Every runner failed or was retired: the engine may hand this track a replacement.
        await this.idle(this.options.idleMs);
        continue;
      }
      try {
        const page = await this.events.readAll({ after: this.from(active), maxCount: this.options.batchSize });
        this.storeError = null;
        if (page.length === 0) {
          await this.flush(active);
          lastFlush = Date.now();
          this.listener.caughtUp?.(this);
          await this.idle(this.options.idleMs);
          continue;
        }
        const batch = page.map(toProjectionEvent).filter((event) => event !== null);
        const end = page[page.length - 1].position;
        // Caught up (a short page) or written too long ago: documents go to the store with this batch.
        const flush = page.length < this.options.batchSize || Date.now() - lastFlush >= this.options.flushMs;
        if (flush) lastFlush = Date.now();
        for (const runner of active) await this.guarded(runner, () => runner.applyBatch(this.readModels, batch, end, flush));
        this.listener.progress?.();
        if (page.length < this.options.batchSize && this.options.liveBatchMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.liveBatchMs));
        // One page is one slice: requests and timers run before the next.
        else await yieldToEventLoop();
      } catch (error) {
        // A store fault: nothing past the last checkpoint counts; pause, then resume from it.
        this.storeError = error instanceof Error ? error.message : String(error);
        for (const runner of active) runner.reset();
        // Runners that flushed before the fault did move: their readers hear of it (the projection
        // thread pushes positions on progress only).
        this.listener.progress?.();
        await this.idle(this.options.retryMs);
      }
    }
  }

  private async flush(active: ProjectionRunner[]): Promise<void> {
    for (const runner of active) await this.guarded(runner, () => runner.flush(this.readModels));
    this.listener.progress?.();
  }

  /** Runs a runner's step; a definition that throws fails that runner, a retired collection stops it; store faults go up. */
  private async guarded(runner: ProjectionRunner, step: () => Promise<void>): Promise<void> {
    if (runner.status !== 'running' && runner.status !== 'rebuilding') return;
    try {
      await step();
    } catch (error) {
      if (error instanceof ProjectionFailure) {
        runner.status = 'failed';
        runner.error = error.message;
        this.listener.failed?.(runner);
      } else if (error instanceof CollectionRetiredError) {
        runner.status = 'stopped';
        runner.reset();
        this.listener.retired?.(runner);
      } else throw error;
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.signalled || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
