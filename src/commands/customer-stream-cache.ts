/** Folded customer states kept between commands; each load reads only the events appended since. */
import { evolve } from '../customer/evolve';
import { initialState, type CustomerState } from '../customer/state';
import { toCustomerEvent } from '../event-store/customer-events';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { GENESIS_HASH } from '../event-store/hash-chain';

/** A customer stream as of its last event. */
export interface LoadedStream {
  state: CustomerState;
  /** Revision of the last event, or null when the stream does not exist. */
  revision: bigint | null;
  headHash: string;
  headPosition: string | null;
}

const fresh = (): LoadedStream => ({ state: initialState(), revision: null, headHash: GENESIS_HASH, headPosition: null });

/**
 * Callers must serialise loads and advances per stream (the command handler holds a per-stream
 * lock), because a cached state is advanced in place.
 */
export class CustomerStreamCache {
  private readonly entries = new Map<string, LoadedStream>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 10_000,
  ) {}

  /** The cached state, unverified: another process may have appended since (an append at its revision finds out). */
  peek(streamId: string): LoadedStream | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** The stream's current state: the cached one brought up to date with the store. */
  async load(streamId: string): Promise<LoadedStream> {
    const entry = this.entries.get(streamId) ?? fresh();
    this.entries.delete(streamId); // re-inserted below as most recently used
    const fromRevision = entry.revision === null ? 0n : entry.revision + 1n;
    for await (const event of this.store.readStream(streamId, { fromRevision })) advance(entry, event);
    this.remember(streamId, entry);
    return entry;
  }

  /** Applies events just appended by this process (after a load of the same stream). */
  advance(streamId: string, loaded: LoadedStream, events: RecordedEvent[]): void {
    for (const event of events) advance(loaded, event);
    this.remember(streamId, loaded);
  }

  /** Forgets a stream, e.g. when an append's outcome is unknown. */
  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  private remember(streamId: string, entry: LoadedStream): void {
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function advance(entry: LoadedStream, event: RecordedEvent): void {
  const domainEvent = toCustomerEvent(event);
  if (domainEvent) evolve(entry.state, domainEvent);
  entry.revision = event.revision;
  entry.headHash = event.metadata.hash;
  entry.headPosition = event.position;
}

/** Folds a stream from scratch up to (and including) `untilRevision`. */
export async function foldStream(store: EventStore, streamId: string, untilRevision?: bigint): Promise<LoadedStream> {
  const entry = fresh();
  const maxCount = untilRevision === undefined ? undefined : Number(untilRevision) + 1;
  for await (const event of store.readStream(streamId, { fromRevision: 0n, maxCount })) advance(entry, event);
  return entry;
}
