/** Applies batches of events to one projection's collection, exactly once per document. */
import type { ProjectionDefinition, ProjectionDocument, ProjectionEvent } from '../../projections/projection';
import { comparePositions } from '../event-store/position';
import type { DocumentGuard, DocumentWrite, ReadModelStore } from '../read-store/read-model-store.port';
import { yieldToEventLoop } from '../shared/yield';

export type ProjectionStatus = 'running' | 'rebuilding' | 'stopped' | 'failed';

/**
 * Bounds of the write-behind cache: how many changed documents wait for a flush, how many stay
 * cached after one (the most recently changed; a document written and not touched since is read
 * again if an event needs it, so memory does not grow with the number of documents).
 */
export interface RunnerLimits {
  maxDirty: number;
  maxCached: number;
  /**
   * Documents per write transaction at a flush. A flush is written in chunks with the event loop let
   * run between them, the checkpoint with the last chunk: a crash in between leaves documents ahead
   * of the checkpoint, which the guard skips on replay.
   */
  flushChunk: number;
}

export const DEFAULT_RUNNER_LIMITS: RunnerLimits = { maxDirty: 100_000, maxCached: 20_000, flushChunk: 2000 };

/**
 * A projection definition bound to the collection it writes, with where it stands. Documents are
 * cached between batches and written back at flushes (with the checkpoint, in one batch), so a
 * catch-up writes each document once per flush instead of once per event.
 */
export class ProjectionRunner {
  status: ProjectionStatus = 'running';
  error: string | null = null;
  private readonly handles: Set<string>;
  private inflight: Promise<void> = Promise.resolve();
  /** Documents as this runner last saw or made them; null = known not to exist. */
  private readonly cache = new Map<string, ProjectionDocument | null>();
  private readonly dirty = new Set<string>();
  /** Last position applied to the cache: ahead of `position` until the next flush. */
  private applied: string | null;

  constructor(
    readonly definition: ProjectionDefinition<ProjectionDocument>,
    readonly collection: string,
    /** Last position written with its documents (the checkpoint), or null before the first flush. */
    public position: string | null,
    private readonly limits: RunnerLimits = DEFAULT_RUNNER_LIMITS,
  ) {
    this.handles = new Set(definition.handles);
    this.applied = position;
    this.guard = definition.guard ?? 'revision';
  }

  private readonly guard: DocumentGuard;

  /** Checkpoint name: one per collection version, so a rebuild starts from nothing. */
  get checkpointName(): string {
    return this.collection;
  }

  /** Where reading continues: after what the cache holds. */
  get readFrom(): string | null {
    return this.applied;
  }

  /**
   * Applies the batch's events after this runner's position to the cached documents, then writes
   * them with the checkpoint when `flush` is asked or too many wait. A document skips events at or
   * below the revision it has applied, so a batch replayed after a crash between the document
   * writes and the checkpoint changes nothing. Throws when the definition throws: the caller marks
   * the runner failed (nothing after its last checkpoint is written).
   */
  applyBatch(store: ReadModelStore, events: readonly ProjectionEvent[], batchEnd: string, flush: boolean): Promise<void> {
    const run = this.apply(store, events, batchEnd, flush);
    this.inflight = run.catch(() => undefined);
    return run;
  }

  /** Writes the changed documents and the checkpoint, if anything was applied since the last flush. */
  flush(store: ReadModelStore): Promise<void> {
    const run = this.write(store);
    this.inflight = run.catch(() => undefined);
    return run;
  }

  /** Forgets everything not yet written: after a store fault the track reads again from the checkpoint. */
  reset(): void {
    this.cache.clear();
    this.dirty.clear();
    this.applied = this.position;
  }

  /** Resolves when no batch is being written. */
  settled(): Promise<void> {
    return this.inflight;
  }

  private async apply(store: ReadModelStore, events: readonly ProjectionEvent[], batchEnd: string, flush: boolean): Promise<void> {
    const from = this.applied;
    if (from !== null && comparePositions(batchEnd, from) <= 0) return;
    // Batches are in log order: only a batch that straddles `from` needs each position compared.
    const fresh = from === null || events.length === 0 || comparePositions(events[0].position, from) > 0 ? events : events.filter((event) => comparePositions(event.position, from) > 0);
    const relevant = fresh.filter((event) => this.handles.has(event.type));
    await this.load(store, relevant);
    for (const event of relevant) {
      const fanOut = this.definition.fanOut?.(event) ?? null;
      if (fanOut === null) this.applyTo(this.definition.documentId(event), event);
      // An event for many documents changes those that exist, never creates one.
      else for (const id of fanOut) if (this.cache.get(id)) this.applyTo(id, event);
    }
    this.applied = batchEnd;
    if (flush || this.dirty.size >= this.limits.maxDirty) await this.write(store);
  }

  private applyTo(id: string, event: ProjectionEvent): void {
    const doc = this.cache.get(id) ?? undefined;
    if (doc && this.alreadyApplied(doc, event)) return;
    let next: ProjectionDocument | undefined;
    try {
      next = this.definition.apply(doc, event);
    } catch (error) {
      this.reset();
      throw new ProjectionFailure(this.definition.name, event, error);
    }
    if (next === doc) return;
    if (next && this.guard === 'position') next = { ...next, position: event.position };
    this.cache.delete(id); // re-inserted last: the cache's order is least recently changed first
    this.cache.set(id, next ?? null);
    this.dirty.add(id);
  }

  /** The document has this event's effect already: it was written after it, before a crash. */
  private alreadyApplied(doc: ProjectionDocument, event: ProjectionEvent): boolean {
    if (this.guard === 'position') return doc.position !== undefined && comparePositions(doc.position, event.position) >= 0;
    return doc.revision !== undefined && doc.revision >= event.revision;
  }

  /** Reads the documents of these events that the cache does not know yet. */
  private async load(store: ReadModelStore, events: readonly ProjectionEvent[]): Promise<void> {
    const missing = [...new Set(events.flatMap((event) => this.definition.fanOut?.(event) ?? [this.definition.documentId(event)]))].filter((id) => !this.cache.has(id));
    if (missing.length === 0) return;
    const found = (await store.getMany(this.collection, missing)) as Map<string, ProjectionDocument>;
    for (const id of missing) this.cache.set(id, found.get(id) ?? null);
  }

  private async write(store: ReadModelStore): Promise<void> {
    const applied = this.applied;
    if (applied === null || (this.position !== null && comparePositions(applied, this.position) <= 0)) return;
    const ids = [...this.dirty];
    this.settle(ids);
    const chunk = Math.max(1, this.limits.flushChunk);
    for (let start = 0; ; start += chunk) {
      const last = start + chunk >= ids.length;
      const writes: DocumentWrite[] = ids.slice(start, start + chunk).map((_id) => ({ _id, doc: this.cache.get(_id) ?? null }));
      await store.writeBatch(this.collection, writes, last ? { name: this.checkpointName, position: applied } : null, { guard: this.guard });
      if (last) break;
      await yieldToEventLoop();
    }
    this.dirty.clear();
    this.position = applied;
    this.trimCache();
  }

  /** Sets each document's derived fields before it is written (the definition's `settle`); a throw fails the projection, as in apply. */
  private settle(ids: readonly string[]): void {
    const settle = this.definition.settle;
    if (!settle) return;
    for (const id of ids) {
      const doc = this.cache.get(id);
      if (!doc) continue;
      try {
        settle.call(this.definition, doc);
      } catch (error) {
        this.reset();
        throw new ProjectionFailure(this.definition.name, id, error);
      }
    }
  }

  /** Keeps the most recently changed documents, up to `maxCached` in the definition's weight (one per document by default). */
  private trimCache(): void {
    const weight = this.definition.cacheWeight;
    let total = 0;
    if (weight) for (const doc of this.cache.values()) total += doc ? weight(doc) : 1;
    else total = this.cache.size;
    for (const [id, doc] of this.cache) {
      if (total <= this.limits.maxCached) break;
      total -= weight && doc ? weight(doc) : 1;
      this.cache.delete(id);
    }
  }
}

/** A definition threw on an event: the projection stops there instead of skipping it. */
export class ProjectionFailure extends Error {
  /** `at`: the event it failed on, or the id of the document it failed to settle. */
  constructor(projection: string, at: ProjectionEvent | string, cause: unknown) {
    const where = typeof at === 'string' ? `settling document ${at}` : `${at.type} at ${at.streamId}@${at.revision} (position ${at.position})`;
    super(`${projection} failed on ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProjectionFailure';
  }
}
