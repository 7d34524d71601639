/** Applies batches of events to one projection's collection, exactly once per document. */
import type { CustomerDocument, ProjectionDefinition, ProjectionEvent } from '../../projections/projection';
import { comparePositions } from '../event-store/position';
import type { DocumentWrite, ReadModelStore } from '../read-store/read-model-store.port';

export type ProjectionStatus = 'running' | 'rebuilding' | 'stopped' | 'failed';

/** A projection definition bound to the collection it writes, with where it stands. */
export class ProjectionRunner {
  status: ProjectionStatus = 'running';
  error: string | null = null;
  private readonly handles: Set<string>;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    readonly definition: ProjectionDefinition,
    readonly collection: string,
    /** Last position fully applied (its checkpoint), or null before the first batch. */
    public position: string | null,
  ) {
    this.handles = new Set(definition.handles);
  }

  /** Checkpoint name: one per collection version, so a rebuild starts from nothing. */
  get checkpointName(): string {
    return this.collection;
  }

  /**
   * Applies the batch's events after this runner's position and writes the documents and the
   * checkpoint. A document skips events at or below the revision it has applied, so a batch
   * replayed after a crash between the document writes and the checkpoint changes nothing.
   * Throws (leaving nothing written) when the definition throws: the caller marks it failed.
   */
  applyBatch(store: ReadModelStore, events: readonly ProjectionEvent[], batchEnd: string): Promise<void> {
    const run = this.apply(store, events, batchEnd);
    this.inflight = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no batch is being written. */
  settled(): Promise<void> {
    return this.inflight;
  }

  private async apply(store: ReadModelStore, events: readonly ProjectionEvent[], batchEnd: string): Promise<void> {
    if (this.position !== null && comparePositions(batchEnd, this.position) <= 0) return;
    const relevant = events.filter((event) => this.handles.has(event.type) && (this.position === null || comparePositions(event.position, this.position) > 0));
    const ids = [...new Set(relevant.map((event) => this.definition.documentId(event)))];
    const docs = ids.length > 0 ? ((await store.getMany(this.collection, ids)) as Map<string, CustomerDocument>) : new Map<string, CustomerDocument>();
    const touched = new Map<string, CustomerDocument | null>();
    for (const event of relevant) {
      const id = this.definition.documentId(event);
      const doc = touched.has(id) ? (touched.get(id) ?? undefined) : docs.get(id);
      if (doc && doc.revision >= event.revision) continue;
      let next: CustomerDocument | undefined;
      try {
        next = this.definition.apply(doc, event);
      } catch (error) {
        throw new ProjectionFailure(this.definition.name, event, error);
      }
      if (next !== doc) touched.set(id, next ?? null);
    }
    const writes: DocumentWrite[] = [...touched].map(([_id, doc]) => ({ _id, doc }));
    await store.writeBatch(this.collection, writes, { name: this.checkpointName, position: batchEnd });
    this.position = batchEnd;
  }
}

/** A definition threw on an event: the projection stops there instead of skipping it. */
export class ProjectionFailure extends Error {
  constructor(projection: string, event: ProjectionEvent, cause: unknown) {
    super(`${projection} failed on ${event.type} at ${event.streamId}@${event.revision} (position ${event.position}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProjectionFailure';
  }
}
