/** Folded customer states kept between commands; each load reads only the events appended since. */
import { emptyStream, foldEvent, foldStream, type FoldedStream } from '../event-store/customer-stream';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';

/**
 * Callers must serialise loads and advances per stream (the command handler holds a per-stream
 * lock), because a cached state is advanced in place.
 */
export class CustomerStreamCache {
  private readonly entries = new Map<string, FoldedStream>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 10_000,
  ) {}

  /** The cached state, unverified: another process may have appended since (an append at its revision finds out). */
  peek(streamId: string): FoldedStream | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** The stream's current state: the cached one brought up to date with the store. */
  async load(streamId: string): Promise<FoldedStream> {
    const entry = this.entries.get(streamId) ?? emptyStream();
    this.entries.delete(streamId); // re-inserted below as most recently used
    const fromRevision = entry.revision === null ? 0n : entry.revision + 1n;
    for await (const event of this.store.readStream(streamId, { fromRevision })) foldEvent(entry, event);
    this.remember(streamId, entry);
    return entry;
  }

  /** Applies events just appended by this process (after a load of the same stream). */
  advance(streamId: string, loaded: FoldedStream, events: RecordedEvent[]): void {
    for (const event of events) foldEvent(loaded, event);
    this.remember(streamId, loaded);
  }

  /** Forgets a stream, e.g. when an append's outcome is unknown. */
  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  /** The stream as it stood after `revision` (an idempotent replay answers as then). */
  async asOfRevision(streamId: string, revision: bigint): Promise<FoldedStream> {
    return foldStream(this.store.readStream(streamId, { fromRevision: 0n, maxCount: Number(revision) + 1 }), { revision });
  }

  private remember(streamId: string, entry: FoldedStream): void {
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
