/** Folded customer states kept between commands; each load reads only the events appended since. */
import { emptyStream, foldEvent, foldStream, type FoldedStream } from '../event-store/customer-stream';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';

/** How much the cache may hold: states, and events folded into them (a state's size grows with its history). */
export interface StreamCacheLimits {
  maxStreams: number;
  /** Sum over cached states of the events folded into each; a state of more than a tenth of it is not kept. */
  maxEvents: number;
}

export const DEFAULT_STREAM_CACHE_LIMITS: StreamCacheLimits = { maxStreams: 10_000, maxEvents: 100_000 };

/**
 * Least recently used states, bounded by count and by size (events folded, which is what a state's
 * purchases, lots and fingerprints grow with), so memory stays flat however long the histories get.
 * Callers must serialise loads and advances per stream (the command handler holds a per-stream
 * lock), because a cached state is advanced in place.
 */
export class CustomerStreamCache {
  private readonly entries = new Map<string, FoldedStream>();
  /** Events folded into each cached state when it was remembered. */
  private readonly weights = new Map<string, number>();
  private totalWeight = 0;

  constructor(
    private readonly store: EventStore,
    private readonly limits: StreamCacheLimits = DEFAULT_STREAM_CACHE_LIMITS,
  ) {}

  /** Streams and events held now. */
  get size(): { streams: number; events: number } {
    return { streams: this.entries.size, events: this.totalWeight };
  }

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
    this.totalWeight -= this.weights.get(streamId) ?? 0;
    this.weights.delete(streamId);
  }

  /** The stream as it stood after `revision` (an idempotent replay answers as then). */
  async asOfRevision(streamId: string, revision: bigint): Promise<FoldedStream> {
    return foldStream(this.store.readStream(streamId, { fromRevision: 0n, maxCount: Number(revision) + 1 }), { revision });
  }

  private remember(streamId: string, entry: FoldedStream): void {
    this.forget(streamId);
    const weight = entry.revision === null ? 1 : Number(entry.revision) + 1;
    if (weight > this.limits.maxEvents / 10) return; // a giant history is folded again when needed, not kept
    this.entries.set(streamId, entry);
    this.weights.set(streamId, weight);
    this.totalWeight += weight;
    while (this.entries.size > this.limits.maxStreams || this.totalWeight > this.limits.maxEvents) this.forget(this.entries.keys().next().value as string);
  }
}
