/**
 * Runs the projections: one track reads the global log for all of them; a rebuild runs its own
 * track into a new collection version and, once caught up, takes the old one's place.
 *
 * Several processes may run engines on one read store (an API replica and the projector). What they
 * share lives in the store's settings (collections.ts): the active version of each projection, the
 * rebuild in progress or failed, and retired versions. Every engine re-reads the active versions
 * every `followMs`, and before serving a collection it has not confirmed for that long, so a switch
 * made elsewhere is followed within that bound; a retired version refuses writes and is dropped only
 * after `graceMs` (longer than `followMs`), when no process still reads it. A rebuild interrupted
 * by a crash is resumed from its checkpoint when an engine starts; versions that are neither
 * active, being built nor in their grace period are dropped then.
 */
import type { ProjectionDefinition, ProjectionDocument } from '../../projections/projection';
import { type EventStore } from '../event-store/event-store.port';
import { StoreUnavailableError } from '../shared/store-unavailable';
import { retiredSettingKey, type ReadModelStore } from '../read-store/read-model-store.port';
import {
  activeCollection,
  activeSettingKey,
  collectionVersion,
  isVersionOf,
  projectionOf,
  rebuildRecord,
  rebuildSettingKey,
  versionedCollection,
  type RebuildRecord,
} from './collections';
import type { ProcessManagerDefinition } from './process-manager';
import { ProcessManagerTrack, type CommandPipeline, type ProcessManagerStatus } from './process-manager-track';
import { ProjectionRunner, type ProjectionStatus } from './projection-runner';
import { DEFAULT_TRACK_OPTIONS, ProjectionTrack, type TrackOptions } from './projection-track';
import { PositionWaiters } from './position-waiters';
import type { Projections } from './projections';

/** How an engine follows what other processes change in the store. */
export interface FollowOptions {
  /** Longest time a process serves or writes a collection version without confirming it is still the active one. */
  followMs: number;
  /** How long a replaced version stays (read-only) before it is dropped: longer than followMs. */
  graceMs: number;
}

export const DEFAULT_FOLLOW_OPTIONS: FollowOptions = { followMs: 1000, graceMs: 5000 };

export type EngineOptions = TrackOptions & Partial<FollowOptions>;

/** How far a rebuild is: events of the log it has applied (by its checkpoint). */
export interface RebuildProgress {
  applied: number;
  total: number;
  percent: number;
}

export interface ProjectionState {
  name: string;
  kind: 'projection';
  collection: string;
  position: string | null;
  /** Events between the projection and the head of the log (null when the store cannot tell). */
  lag: number | null;
  status: ProjectionStatus;
  error?: string;
  /** Rebuilds (status rebuilding or failed) only. */
  progress?: RebuildProgress;
}

/** Where a process manager stands (GET /v1/projections lists them after the projections). */
export interface ProcessManagerState {
  name: string;
  kind: 'process-manager';
  /** Its checkpoint's name in the read store. */
  checkpoint: string;
  position: string | null;
  lag: number | null;
  status: ProcessManagerStatus;
  /** Reactions accepted by the command pipeline / refused by the domain, since this process started. */
  handled: number;
  refused: number;
  /** The last refusal or the failure, or null. */
  lastError: string | null;
  /** A store fault it is retrying after. */
  error?: string;
}

/** The process managers an engine runs, and the one command pipeline they send through. */
export interface ProcessManagers {
  definitions: readonly ProcessManagerDefinition[];
  pipeline: CommandPipeline;
}

interface Rebuild {
  track: ProjectionTrack;
  runner: ProjectionRunner;
}

export class ProjectionEngine implements Projections {
  private main: ProjectionTrack | null = null;
  private managers: ProcessManagerTrack[] = [];
  private readonly rebuilds = new Map<string, Rebuild>();
  /** Rebuilds that stopped on an error (here or, read at start, in another process), until the next rebuild. */
  private readonly failedRebuilds = new Map<string, { collection: string; position: string | null; error: string }>();
  private readonly runners = new Map<string, ProjectionRunner>();
  /** When each projection's active collection was last read from the store. */
  private readonly confirmedAt = new Map<string, number>();
  private readonly waiters = new PositionWaiters();
  private readonly changeListeners = new Set<() => void>();
  private readonly drops = new Set<NodeJS.Timeout>();
  /** Changes of runners and settings run one at a time. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Why the engine has not started yet (a store it could not reach), or null. */
  private startError: string | null = null;
  private retry: NodeJS.Timeout | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly follow: FollowOptions;

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly definitions: readonly ProjectionDefinition<ProjectionDocument>[],
    private readonly options: EngineOptions = DEFAULT_TRACK_OPTIONS,
    /** Run beside the projections, each on its own track and checkpoint (process-manager-track.ts). */
    private readonly processManagers: ProcessManagers | null = null,
  ) {
    const followMs = options.followMs ?? DEFAULT_FOLLOW_OPTIONS.followMs;
    this.follow = { followMs, graceMs: Math.max(options.graceMs ?? DEFAULT_FOLLOW_OPTIONS.graceMs, 2 * followMs) };
  }

  /**
   * Starts the projections from their checkpoints. A store that cannot be reached does not stop the
   * service: the engine reports it and tries again every `retryMs` until the store is back.
   */
  async start(): Promise<void> {
    try {
      await this.serial(() => this.open());
      this.startError = null;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.startError = `waiting for the store: ${error.message}`;
      this.retry = setTimeout(() => void this.start(), this.options.retryMs);
    }
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    // Listed before the settings are read: a version created after this (a rebuild starting
    // elsewhere) is not in the list, and one created before it is named by the settings read next.
    const stored = await this.readModels.listCollections();
    const runners: ProjectionRunner[] = [];
    const resumed: ProjectionRunner[] = [];
    for (const definition of this.definitions) {
      const { name } = definition;
      const collection = await activeCollection(this.readModels, name);
      runners.push(new ProjectionRunner(definition, collection, await this.readModels.getCheckpoint(collection)));
      this.confirmedAt.set(name, Date.now());
      let building: string | null = null;
      const record = await rebuildRecord(this.readModels, name);
      if (record && collectionVersion(record.collection) <= collectionVersion(collection)) {
        await this.readModels.setSettings({ [rebuildSettingKey(name)]: null }); // switched already
      } else if (record?.status === 'failed') {
        building = record.collection;
        this.failedRebuilds.set(name, { collection: record.collection, position: await this.readModels.getCheckpoint(record.collection), error: record.error ?? 'rebuild failed' });
      } else if (record) {
        building = record.collection;
        resumed.push(new ProjectionRunner(definition, record.collection, await this.readModels.getCheckpoint(record.collection)));
      }
      await this.cleanOrphans(name, stored, [collection, building]);
    }
    for (const runner of runners) this.runners.set(runner.definition.name, runner);
    this.main = new ProjectionTrack(this.events, this.readModels, [...this.runners.values()], this.options, {
      progress: () => this.notify(),
      retired: (runner) => void this.serial(() => this.followActive(runner.definition.name)).catch(() => undefined),
    });
    this.main.start();
    this.managers = (this.processManagers?.definitions ?? []).map(
      (definition) => new ProcessManagerTrack(this.events, this.readModels, definition, this.processManagers!.pipeline, this.options),
    );
    for (const manager of this.managers) manager.start();
    if (resumed.length > 0) this.startRebuild(resumed);
    this.followTimer = setInterval(() => void this.followAll(), this.follow.followMs);
    this.followTimer.unref();
  }

  /** Drops the versions of a projection nobody uses: not in `keep`, and retired longer ago than the grace period (or never activated). */
  private async cleanOrphans(name: string, stored: readonly string[], keep: readonly (string | null)[]): Promise<void> {
    for (const collection of stored) {
      if (!isVersionOf(name, collection) || keep.includes(collection)) continue;
      const retiredAt = await this.readModels.getSetting(retiredSettingKey(collection));
      const left = retiredAt === null ? 0 : Date.parse(retiredAt) + this.follow.graceMs - Date.now();
      if (left > 0) this.scheduleDrop(collection, left);
      else await this.drop(collection);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.followTimer);
    for (const timer of this.drops) clearTimeout(timer);
    this.drops.clear();
    await Promise.all([this.main?.stop({ flush: true }), ...this.managers.map((manager) => manager.stop()), ...[...new Set([...this.rebuilds.values()].map(({ track }) => track))].map((track) => track.stop({ flush: true }))]);
    await this.chain;
    this.notify();
  }

  definition(name: string): ProjectionDefinition<ProjectionDocument> | undefined {
    return this.definitions.find((definition) => definition.name === name);
  }

  /**
   * Rebuilds a projection from position 0 into a new collection version; readers switch when it
   * has caught up. A rebuild the store says is under way (started by another process, or by one
   * that stopped) is carried on from its checkpoint instead of started again.
   */
  async rebuild(name: string): Promise<{ collection: string }> {
    const [{ collection }] = await this.rebuildAll([name]);
    return { collection };
  }

  /**
   * Rebuilds several projections as `rebuild` does each, on one track: the log is read (and its
   * personal data opened) once for all of them, not once per projection.
   */
  async rebuildAll(names: readonly string[]): Promise<{ name: string; collection: string }[]> {
    for (const name of names) if (!this.definition(name) || !this.runners.has(name)) throw new Error(`unknown projection ${name}`);
    return this.serial(async () => {
      const started: { name: string; collection: string }[] = [];
      const runners: ProjectionRunner[] = [];
      // A name asked twice gets one runner (the rebuilds map is filled only when the track starts).
      for (const name of new Set(names)) {
        const runner = await this.rebuildRunner(name);
        if (runner) runners.push(runner);
        started.push({ name, collection: runner?.collection ?? this.rebuilds.get(name)!.runner.collection });
      }
      if (runners.length > 0) this.startRebuild(runners);
      return started;
    });
  }

  /** The runner that rebuilds `name` (resumed or from nothing), or null when it is being rebuilt here already. */
  private async rebuildRunner(name: string): Promise<ProjectionRunner | null> {
    if (this.rebuilds.has(name)) return null;
    const definition = this.definition(name)!;
    await this.followActive(name);
    const current = this.runners.get(name)!;
    const record = await rebuildRecord(this.readModels, name);
    if (record?.status === 'rebuilding' && collectionVersion(record.collection) > collectionVersion(current.collection))
      return new ProjectionRunner(definition, record.collection, await this.readModels.getCheckpoint(record.collection));
    const collection = versionedCollection(name, collectionVersion(current.collection) + 1);
    const started: RebuildRecord = { collection, status: 'rebuilding', requestedAt: new Date().toISOString() };
    // Recorded before anything is written to it, so an engine starting meanwhile never takes it for an orphan.
    await this.readModels.setSettings({ [rebuildSettingKey(name)]: JSON.stringify(started), [retiredSettingKey(collection)]: null });
    await this.readModels.dropCollection(collection);
    await this.readModels.deleteCheckpoint(collection);
    return new ProjectionRunner(definition, collection, null);
  }

  /** One track for these rebuilding runners; each switches, fails or is retired on its own. */
  private startRebuild(runners: ProjectionRunner[]): void {
    if (this.stopped) return;
    const nameOf = (runner: ProjectionRunner) => runner.definition.name;
    const track = new ProjectionTrack(this.events, this.readModels, runners, this.options, {
      progress: () => this.notify(),
      caughtUp: (caughtUpTrack) => void this.serial(() => this.switchAll(caughtUpTrack)).catch(() => undefined),
      failed: (failed) => void this.serial(() => this.rebuildFailed(nameOf(failed), failed)).catch(() => undefined),
      // The version being built was retired (dropped as an orphan by another process): it cannot finish.
      retired: (retired) => {
        retired.error = `${retired.collection} was retired while being rebuilt`;
        void this.serial(() => this.rebuildFailed(nameOf(retired), retired)).catch(() => undefined);
      },
    });
    for (const runner of runners) {
      runner.status = 'rebuilding';
      this.failedRebuilds.delete(nameOf(runner));
      this.rebuilds.set(nameOf(runner), { track, runner });
    }
    track.start();
  }

  /**
   * Every rebuild on a track that caught up switches. Caught up and written: the track stops first,
   * so only the main track ever applies to the runners.
   */
  private async switchAll(track: ProjectionTrack): Promise<void> {
    const names = [...this.rebuilds].filter(([, rebuild]) => rebuild.track === track).map(([name]) => name);
    if (names.length === 0 || !this.main || this.stopped) return;
    await track.stop();
    // One switch failing (it starts again on a track of its own) does not hold back the others.
    for (const name of names) await this.switchTo(name, track).catch(() => undefined);
  }

  /** Forgets the rebuild of `name` here; its track stops once no other rebuild reads with it. */
  private async dropRebuild(name: string): Promise<void> {
    const rebuild = this.rebuilds.get(name);
    if (!rebuild) return;
    this.rebuilds.delete(name);
    if ([...this.rebuilds.values()].some((other) => other.track === rebuild.track)) {
      if (rebuild.runner.status === 'rebuilding') rebuild.runner.status = 'stopped';
      return;
    }
    await rebuild.track.stop();
  }

  /** The rebuilt version becomes the active one (in the store first), the old one is retired and dropped after the grace period. */
  private async switchTo(name: string, track: ProjectionTrack): Promise<void> {
    const rebuild = this.rebuilds.get(name);
    if (!rebuild || rebuild.track !== track || !this.main || this.stopped) return;
    const rebuilt = rebuild.runner;
    // Another process may have switched to this version (or a later one) first: follow it instead.
    if (collectionVersion(await activeCollection(this.readModels, name)) >= collectionVersion(rebuilt.collection)) return this.followActive(name);
    const old = this.runners.get(name)!;
    const retire = old.collection !== rebuilt.collection;
    try {
      await this.readModels.setSettings({
        [activeSettingKey(name)]: rebuilt.collection,
        ...(retire ? { [retiredSettingKey(old.collection)]: new Date().toISOString() } : {}),
        [rebuildSettingKey(name)]: null,
      });
    } catch (error) {
      this.startRebuild([rebuilt]); // tries again when caught up again
      throw error;
    }
    // No await from here to the swap: states() always finds the projection in one of the two places.
    this.rebuilds.delete(name);
    rebuilt.status = 'running';
    this.replaceRunner(name, rebuilt);
    this.confirmedAt.set(name, Date.now());
    await old.settled();
    if (retire) this.scheduleDrop(old.collection, this.follow.graceMs);
    this.notify();
  }

  private async rebuildFailed(name: string, runner: ProjectionRunner): Promise<void> {
    const rebuild = this.rebuilds.get(name);
    if (!rebuild || rebuild.runner !== runner) return;
    const error = runner.error ?? 'rebuild failed';
    this.failedRebuilds.set(name, { collection: runner.collection, position: runner.position, error });
    await this.dropRebuild(name);
    const record = (await rebuildRecord(this.readModels, name)) ?? { collection: runner.collection, status: 'failed', requestedAt: new Date().toISOString() };
    if (record.collection === runner.collection) await this.readModels.setSetting(rebuildSettingKey(name), JSON.stringify({ ...record, status: 'failed', error }));
    this.notify();
  }

  private followAll(): Promise<void> {
    return this.serial(async () => {
      for (const { name } of this.definitions) await this.followActive(name);
    }).catch(() => undefined);
  }

  /**
   * Reads which version of a projection is active; when another process switched it, the runner
   * moves there from that version's checkpoint (and a rebuild here of that version or an older one stops).
   */
  private async followActive(name: string): Promise<void> {
    const runner = this.runners.get(name);
    if (!runner || !this.main || this.stopped) return;
    const active = await activeCollection(this.readModels, name);
    this.confirmedAt.set(name, Date.now());
    if (active === runner.collection) return;
    const local = this.rebuilds.get(name);
    if (local && collectionVersion(local.runner.collection) <= collectionVersion(active)) await this.dropRebuild(name);
    const failed = this.failedRebuilds.get(name);
    if (failed && collectionVersion(failed.collection) <= collectionVersion(active)) this.failedRebuilds.delete(name);
    const next = new ProjectionRunner(runner.definition, active, await this.readModels.getCheckpoint(active));
    this.replaceRunner(name, next);
    this.notify();
  }

  /** The main track's runner of a projection is `next` from now on (the track reads from its least advanced runner, so no pause is needed). */
  private replaceRunner(name: string, next: ProjectionRunner): void {
    const old = this.runners.get(name);
    this.runners.set(name, next);
    if (!this.main) return;
    const index = old ? this.main.runners.indexOf(old) : -1;
    if (index >= 0) this.main.runners.splice(index, 1, next);
    else this.main.runners.push(next);
    if (old && old !== next && old.status !== 'failed') old.status = 'stopped';
  }

  private scheduleDrop(collection: string, afterMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.drops.delete(timer);
      void this.serial(() => this.drop(collection)).catch(() => undefined);
    }, afterMs);
    timer.unref();
    this.drops.add(timer);
  }

  /** Drops a version that is neither active nor being built; it stays retired, so no late writer brings it back. */
  private async drop(collection: string): Promise<void> {
    const name = projectionOf(collection);
    if ((await activeCollection(this.readModels, name)) === collection) return;
    const record = await rebuildRecord(this.readModels, name);
    if (record?.collection === collection) return;
    if ((await this.readModels.getSetting(retiredSettingKey(collection))) === null) await this.readModels.setSetting(retiredSettingKey(collection), new Date().toISOString());
    await this.readModels.dropCollection(collection);
    await this.readModels.deleteCheckpoint(collection);
  }

  /** The collection readers of a projection use now: confirmed with the store when that is older than `followMs`. */
  async collectionOf(name: string): Promise<string | undefined> {
    if (!this.runners.has(name)) return undefined;
    if (Date.now() - (this.confirmedAt.get(name) ?? 0) >= this.follow.followMs) await this.serial(() => this.followActive(name)).catch(() => undefined);
    return this.runners.get(name)?.collection;
  }

  async states(): Promise<ProjectionState[]> {
    if (this.startError !== null && this.runners.size === 0)
      return this.definitions.map(({ name }) => ({ name, kind: 'projection', collection: name, position: null, lag: null, status: 'stopped', error: this.startError! }));
    // One snapshot of where each runner is, taken before any await: a switch meanwhile moves a runner from one list to the other.
    const runners = [...this.runners.values()];
    const rebuilds = [...this.rebuilds.values()];
    const failedRebuilds = [...this.failedRebuilds.entries()];
    const head = await this.events.headPosition();
    const lagOf = async (position: string | null) => (head === null ? 0 : await this.events.countEventsAfter(position));
    const total = await lagOf(null);
    const progress = (lag: number | null): RebuildProgress | undefined => {
      if (lag === null || total === null) return undefined;
      const applied = Math.max(0, total - lag);
      return { applied, total, percent: total === 0 ? 100 : Math.floor((applied / total) * 1000) / 10 };
    };
    const serving = await Promise.all(
      runners.map(async (runner): Promise<ProjectionState> => {
        const error = runner.error ?? this.storeErrorOf(runner);
        return { name: runner.definition.name, kind: 'projection', collection: runner.collection, position: runner.position, lag: await lagOf(runner.position), status: runner.status, ...(error ? { error } : {}) };
      }),
    );
    const rebuilding = await Promise.all(
      rebuilds.map(async ({ runner, track }): Promise<ProjectionState> => {
        const lag = await lagOf(runner.position);
        const error = runner.error ?? track.storeError;
        return { name: runner.definition.name, kind: 'projection', collection: runner.collection, position: runner.position, lag, status: runner.status, ...(error ? { error } : {}), ...withProgress(progress(lag)) };
      }),
    );
    const failed = await Promise.all(
      failedRebuilds.map(async ([name, { collection, position, error }]): Promise<ProjectionState> => {
        const lag = await lagOf(position);
        return { name, kind: 'projection', collection, position, lag, status: 'failed', error, ...withProgress(progress(lag)) };
      }),
    );
    return [...serving, ...rebuilding, ...failed];
  }

  async processManagerStates(): Promise<ProcessManagerState[]> {
    const definitions = this.processManagers?.definitions ?? [];
    if (this.startError !== null && this.managers.length === 0)
      return definitions.map(({ name }) => ({ name, kind: 'process-manager', checkpoint: `pm:${name}`, position: null, lag: null, status: 'stopped', handled: 0, refused: 0, lastError: null, error: this.startError! }));
    const head = await this.events.headPosition();
    return Promise.all(
      this.managers.map(async (manager): Promise<ProcessManagerState> => ({
        name: manager.definition.name,
        kind: 'process-manager',
        checkpoint: manager.checkpointName,
        position: manager.position,
        lag: head === null ? 0 : await this.events.countEventsAfter(manager.position),
        status: manager.status,
        handled: manager.handled,
        refused: manager.refused,
        lastError: manager.lastError,
        ...(manager.storeError ? { error: manager.storeError } : {}),
      })),
    );
  }

  private storeErrorOf(runner: ProjectionRunner): string | null {
    const track = this.main?.runners.includes(runner) ? this.main : [...this.rebuilds.values()].find((rebuild) => rebuild.runner === runner)?.track;
    return track?.storeError ?? null;
  }

  /** Where a projection stands (its checkpoint). */
  positionOf(name: string): string | null {
    return this.runners.get(name)?.position ?? null;
  }

  /** Resolves true once the projection has applied `position`, false after `timeoutMs`. */
  waitFor(name: string, position: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.waitFor(() => this.positionOf(name), position, timeoutMs);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private notify(): void {
    this.waiters.notify();
    for (const listener of this.changeListeners) listener();
  }

  /** Calls `listener` whenever a projection moved (a batch applied) or changed collection; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** The collection the engine serves a projection from now, without asking the store (collectionOf does when it is stale). */
  servingCollection(name: string): string | undefined {
    return this.runners.get(name)?.collection;
  }
}

const withProgress = (progress: RebuildProgress | undefined) => (progress ? { progress } : {});
