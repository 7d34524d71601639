/**
 * The projections and process managers of the server on a worker thread of their own
 * (projection-thread-worker.ts runs a ProjectionEngine there on its own connections), so that the
 * HTTP thread only answers and both cores work. This side serves what readers ask without a round
 * trip: each projection's position and collection, pushed by the worker whenever they move, and
 * waiting for a position; states, rebuilds and stopping are messages to the worker.
 *
 * Appends made on this thread are announced to the worker once per commit (`onAppended`), so the
 * projections follow them as they would on this thread. The worker's process managers send through
 * a command pipeline of their own, as a second process would: two pipelines on one stream are kept
 * apart by the expected revision and the reactions' idempotency keys (docs/architecture.md).
 */
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ProjectionDefinition, ProjectionDocument } from '../../projections/projection';
import type { AppConfig } from '../config/config';
import type { EventStore } from '../event-store/event-store.port';
import { startWorker } from '../shared/start-worker';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { ProcessManagerDefinition } from './process-manager';
import type { TrackOptions } from './projection-track';
import { processManagerCheckpoint } from './process-manager-track';
import type { ProcessManagerState, ProjectionState } from './projection-engine';
import { PositionWaiters } from './position-waiters';
import { Projections } from './projections';
import type { FromWorker, ThreadCall, ToWorker } from './projection-thread-worker';

export interface ProjectionThreadOptions {
  /** Run the process managers on the worker too (default true). */
  processManagers?: boolean;
  /** How its projections read the log (default DEFAULT_TRACK_OPTIONS). */
  track?: TrackOptions;
  /** The worker's young generation, MB (default DEFAULT_PROJECTION_YOUNG_GENERATION_MB). */
  youngGenerationMb?: number;
}

/**
 * The projection thread's young generation, MB: projecting allocates short-lived objects at a high
 * rate, and with node's default GC took a seventh of the thread's time (a rebuild of 1M events: 53k
 * against 69k events/s). Given per thread (a worker's resourceLimits) rather than by
 * --max-semi-space-size, which would give every thread of the process, the HTTP thread and the
 * export's included, the same 192 MB (the flag overrides resourceLimits): npm start passes none.
 */
export const DEFAULT_PROJECTION_YOUNG_GENERATION_MB = 192;

/** What the worker is started with. */
export interface ProjectionThreadData {
  config: AppConfig;
  processManagers: boolean;
  track?: TrackOptions;
}

export class ProjectionThread extends Projections {
  private worker: Worker | null = null;
  private readonly positions = new Map<string, string | null>();
  private readonly collections = new Map<string, string>();
  private readonly waiters = new PositionWaiters();
  private readonly calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextCall = 1;
  /** Why the worker is gone, once it is (reported by states()). */
  private failure: string | null = null;
  private stopping = false;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly events: EventStore,
    private readonly definitions: readonly ProjectionDefinition<ProjectionDocument>[],
    private readonly managers: readonly ProcessManagerDefinition[],
    private readonly options: ProjectionThreadOptions = {},
  ) {
    super();
  }

  async start(): Promise<void> {
    const workerData: ProjectionThreadData = { config: this.config, processManagers: this.options.processManagers ?? true, track: this.options.track };
    const young = this.options.youngGenerationMb ?? DEFAULT_PROJECTION_YOUNG_GENERATION_MB;
    const worker = startWorker(join(__dirname, 'projection-thread-worker'), { workerData, resourceLimits: { maxYoungGenerationSizeMb: young } });
    this.worker = worker;
    const started = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.kind === 'started') resolve();
        else if (message.kind === 'start-failed') reject(new Error(`the projection thread could not start: ${message.error}`));
        else this.receive(message);
      });
      worker.on('error', (error) => {
        reject(error);
        this.gone(`the projection thread failed: ${error.message}`);
      });
      worker.on('exit', (code) => {
        reject(new Error(`the projection thread stopped (exit code ${code})`));
        if (!this.stopping) this.gone(`the projection thread stopped (exit code ${code})`);
      });
    });
    this.unsubscribe = this.events.onAppended(() => this.post({ kind: 'appended' }));
    try {
      await started;
    } catch (error) {
      // Nothing is left running when the start fails (the worker would keep the process alive).
      this.stopping = true;
      this.unsubscribe();
      await worker.terminate();
      this.gone(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.unsubscribe();
    const worker = this.worker;
    if (!worker) return;
    // The worker flushes documents and checkpoints and closes its stores before it is ended.
    if (this.failure === null) await this.call('stop').catch(() => undefined);
    await worker.terminate();
    this.gone('the projection thread is stopped');
  }

  definition(name: string): ProjectionDefinition<ProjectionDocument> | undefined {
    return this.definitions.find((definition) => definition.name === name);
  }

  async rebuild(name: string): Promise<{ collection: string }> {
    return (await this.call('rebuild', name)) as { collection: string };
  }

  async states(): Promise<ProjectionState[]> {
    if (this.failure !== null)
      return this.definitions.map(({ name }) => ({ name, kind: 'projection', collection: this.collections.get(name) ?? name, position: this.positionOf(name), lag: null, status: 'failed', error: this.failure! }));
    return (await this.call('states')) as ProjectionState[];
  }

  async processManagerStates(): Promise<ProcessManagerState[]> {
    if (this.failure !== null)
      return this.managers.map(({ name }) => ({ name, kind: 'process-manager', checkpoint: processManagerCheckpoint(name), position: null, lag: null, status: 'failed', handled: 0, refused: 0, lastError: null, error: this.failure! }));
    return (await this.call('processManagerStates')) as ProcessManagerState[];
  }

  async collectionOf(name: string): Promise<string | undefined> {
    if (!this.definition(name)) return undefined;
    return this.collections.get(name) ?? ((await this.call('collectionOf', name)) as string | undefined);
  }

  positionOf(name: string): string | null {
    return this.positions.get(name) ?? null;
  }

  waitFor(name: string, position: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(() => this.positionOf(name), position, timeoutMs);
  }

  private receive(message: FromWorker): void {
    if (message.kind === 'moved') {
      for (const [name, position] of Object.entries(message.positions)) this.positions.set(name, position);
      for (const [name, collection] of Object.entries(message.collections)) this.collections.set(name, collection);
      this.waiters.notify();
    } else if (message.kind === 'reply') {
      const call = this.calls.get(message.id);
      this.calls.delete(message.id);
      if (!call) return;
      if (message.ok) call.resolve(message.value);
      // A store fault stays one (503 STORE_UNAVAILABLE), as on this thread.
      else call.reject(message.storeUnavailable ? new StoreUnavailableError(message.error) : new Error(message.error));
    }
  }

  private call(method: ThreadCall, ...args: string[]): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(new StoreUnavailableError(this.failure));
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.post({ kind: 'call', id, method, args });
    });
  }

  private post(message: ToWorker): void {
    if (this.failure === null) this.worker?.postMessage(message);
  }

  /** The worker is gone: calls in flight fail, and states() says why from now on. */
  private gone(why: string): void {
    this.failure ??= why;
    for (const call of this.calls.values()) call.reject(new StoreUnavailableError(why));
    this.calls.clear();
    this.waiters.notify();
  }
}
