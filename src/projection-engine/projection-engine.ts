/**
 * Runs the projections: one track reads the global log for all of them; a rebuild runs its own
 * track into a new collection version and, once caught up, takes the old one's place.
 */
import type { ProjectionDefinition, ProjectionDocument } from '../../projections/projection';
import { StoreUnavailableError, type EventStore } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/position';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { activateCollection, activeCollection, collectionVersion, versionedCollection } from './collections';
import { ProjectionRunner, type ProjectionStatus } from './projection-runner';
import { DEFAULT_TRACK_OPTIONS, ProjectionTrack, type TrackOptions } from './projection-track';

export interface ProjectionState {
  name: string;
  collection: string;
  position: string | null;
  /** Events between the projection and the head of the log (null when the store cannot tell). */
  lag: number | null;
  status: ProjectionStatus;
  error?: string;
}

export class ProjectionEngine {
  private main: ProjectionTrack | null = null;
  private readonly rebuilds = new Map<string, ProjectionTrack>();
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly waiters = new Set<() => void>();
  /** Why the engine has not started yet (a store it could not reach), or null. */
  private startError: string | null = null;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly definitions: readonly ProjectionDefinition<ProjectionDocument>[],
    private readonly options: TrackOptions = DEFAULT_TRACK_OPTIONS,
  ) {}

  /**
   * Starts the projections from their checkpoints. A store that cannot be reached does not stop the
   * service: the engine reports it and tries again every `retryMs` until the store is back.
   */
  async start(): Promise<void> {
    try {
      await this.open();
      this.startError = null;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.startError = `waiting for the store: ${error.message}`;
      this.retry = setTimeout(() => void this.start(), this.options.retryMs);
    }
  }

  private async open(): Promise<void> {
    const runners: ProjectionRunner[] = [];
    for (const definition of this.definitions) {
      const collection = await activeCollection(this.readModels, definition.name);
      runners.push(new ProjectionRunner(definition, collection, await this.readModels.getCheckpoint(collection)));
    }
    for (const runner of runners) this.runners.set(runner.definition.name, runner);
    this.main = new ProjectionTrack(this.events, this.readModels, [...this.runners.values()], this.options, { progress: () => this.notify() });
    this.main.start();
  }

  async stop(): Promise<void> {
    clearTimeout(this.retry);
    await Promise.all([this.main?.stop(), ...[...this.rebuilds.values()].map((track) => track.stop())]);
    this.notify();
  }

  definition(name: string): ProjectionDefinition<ProjectionDocument> | undefined {
    return this.definitions.find((definition) => definition.name === name);
  }

  /** Rebuilds a projection from position 0 into a new collection version; readers switch when it has caught up. */
  async rebuild(name: string): Promise<{ collection: string }> {
    const current = this.runners.get(name);
    const definition = this.definition(name);
    if (!current || !definition) throw new Error(`unknown projection ${name}`);
    const existing = this.rebuilds.get(name);
    if (existing) return { collection: existing.runners[0].collection };
    const collection = versionedCollection(name, collectionVersion(current.collection) + 1);
    await this.readModels.dropCollection(collection);
    await this.readModels.deleteCheckpoint(collection);
    const runner = new ProjectionRunner(definition, collection, null);
    runner.status = 'rebuilding';
    const track = new ProjectionTrack(this.events, this.readModels, [runner], this.options, {
      caughtUp: (caughtUpTrack) => void this.switchTo(name, caughtUpTrack),
    });
    this.rebuilds.set(name, track);
    track.start();
    return { collection };
  }

  private async switchTo(name: string, track: ProjectionTrack): Promise<void> {
    if (this.rebuilds.get(name) !== track || !this.main) return;
    this.rebuilds.delete(name);
    await track.stop();
    const rebuilt = track.runners[0];
    const old = this.runners.get(name)!;
    rebuilt.status = rebuilt.status === 'rebuilding' ? 'running' : rebuilt.status;
    await activateCollection(this.readModels, name, rebuilt.collection);
    this.runners.set(name, rebuilt);
    // The main track reads from its least advanced runner, so the swap needs no pause.
    const index = this.main.runners.indexOf(old);
    this.main.runners.splice(index, 1, rebuilt);
    old.status = 'stopped';
    await old.settled();
    await this.readModels.dropCollection(old.collection);
    await this.readModels.deleteCheckpoint(old.collection);
    this.notify();
  }

  /** The collection readers of a projection use now. */
  collectionOf(name: string): string | undefined {
    return this.runners.get(name)?.collection;
  }

  async states(): Promise<ProjectionState[]> {
    if (this.startError !== null && this.runners.size === 0)
      return this.definitions.map(({ name }) => ({ name, collection: name, position: null, lag: null, status: 'stopped', error: this.startError! }));
    const head = await this.events.headPosition();
    const all = [...this.runners.values(), ...[...this.rebuilds.values()].map((track) => track.runners[0])];
    return Promise.all(
      all.map(async (runner) => ({
        name: runner.definition.name,
        collection: runner.collection,
        position: runner.position,
        lag: head === null ? 0 : await this.events.countEventsAfter(runner.position),
        status: runner.status,
        ...(runner.error ? { error: runner.error } : this.storeErrorOf(runner) ? { error: this.storeErrorOf(runner)! } : {}),
      })),
    );
  }

  private storeErrorOf(runner: ProjectionRunner): string | null {
    const track = this.main?.runners.includes(runner) ? this.main : [...this.rebuilds.values()].find((t) => t.runners.includes(runner));
    return track?.storeError ?? null;
  }

  /** Where a projection stands (its checkpoint). */
  positionOf(name: string): string | null {
    return this.runners.get(name)?.position ?? null;
  }

  /** Resolves true once the projection has applied `position`, false after `timeoutMs`. */
  async waitFor(name: string, position: string, timeoutMs: number): Promise<boolean> {
    const reached = () => {
      const at = this.positionOf(name);
      return at !== null && comparePositions(at, position) >= 0;
    };
    if (reached()) return true;
    return new Promise((resolve) => {
      const check = () => {
        if (!reached()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(reached()), timeoutMs);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
