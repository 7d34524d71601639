/**
 * The one customer-stream module: the stream name, reading stored events as domain events
 * (type-checked and upcast), stamping a command's events, and the one fold of a stream that
 * commands, audit and state queries share.
 */
import type { CustomerEvent } from '../customer/events';
import { SCHEMA_VERSIONS } from '../customer/events';
import { CUSTOMER_EVENT_TYPES, evolve } from '../customer/evolve';
import { initialState, type CustomerState } from '../customer/state';
import { upcast } from '../customer/upcasters';
import { commandEventId } from './event-id';
import type { EventMetadata, NewEvent, RecordedEvent } from './event-store.port';
import { chainHash, GENESIS_HASH } from './hash-chain';
import type { Sealer } from '../privacy/personal-data-vault';

const PREFIX = 'customer-';

/** Stream name of a customer. */
export const customerStream = (customerId: string): string => `${PREFIX}${customerId}`;
export const isCustomerStream = (streamId: string): boolean => streamId.startsWith(PREFIX);

const KNOWN_TYPES = new Set<string>(CUSTOMER_EVENT_TYPES);

/** The domain event a stored event holds, in the current schema of its type; null for a type this version does not know. */
export function toCustomerEvent(recorded: Pick<RecordedEvent, 'type' | 'data' | 'schemaVersion'>): CustomerEvent | null {
  if (!KNOWN_TYPES.has(recorded.type)) return null;
  return { type: recorded.type, data: upcast(recorded.type, recorded.schemaVersion, recorded.data) } as CustomerEvent;
}

/** Who, when and why a command's events were written. */
export interface WriteContext {
  commandId: string;
  correlationId: string;
  actor: EventMetadata['actor'];
  idempotencyKey: string | null;
  commandHash: string | null;
  recordedAt: string;
}

/**
 * The events of one command, ready to append after `prevHash`: ids from the command, personal
 * fields sealed by `seal` (when an event holds any; src/privacy/), hashes chained over the data as stored.
 */
export function stampEvents(streamId: string, events: readonly CustomerEvent[], prevHash: string, context: WriteContext, seal: Sealer | null = null): NewEvent[] {
  let previous = prevHash;
  return events.map((event, index) => {
    const occurredAt = event.data.occurredAt;
    const data = seal ? seal(event.type, event.data as unknown as Record<string, unknown>) : (event.data as unknown as Record<string, unknown>);
    const hash = chainHash(previous, { type: event.type, data, occurredAt, recordedAt: context.recordedAt });
    const metadata: EventMetadata = {
      eventId: commandEventId(streamId, context.commandId, index),
      correlationId: context.correlationId,
      causationId: context.commandId,
      actor: context.actor,
      idempotencyKey: context.idempotencyKey,
      commandHash: context.commandHash,
      occurredAt,
      recordedAt: context.recordedAt,
      schemaVersion: SCHEMA_VERSIONS[event.type],
      prevHash: previous,
      hash,
    };
    previous = hash;
    return { type: event.type, data, metadata };
  });
}

/** A customer stream folded up to some event. */
export interface FoldedStream {
  state: CustomerState;
  /** Revision of the last event folded, or null when none was. */
  revision: bigint | null;
  headHash: string;
  headPosition: string | null;
}

export const emptyStream = (): FoldedStream => ({ state: initialState(), revision: null, headHash: GENESIS_HASH, headPosition: null });

/** Folds one stored event into `folded` (in place). */
export function foldEvent(folded: FoldedStream, recorded: RecordedEvent): FoldedStream {
  const event = toCustomerEvent(recorded);
  if (event) evolve(folded.state, event);
  folded.revision = recorded.revision;
  folded.headHash = recorded.metadata.hash;
  folded.headPosition = recorded.position;
  return folded;
}

/** Which prefix of a stream to fold: bitemporal (business time `asOf`, ledger time `knownAt`) or up to a revision. */
export interface FoldLimit {
  /** Events whose business time is at or before this instant. */
  asOf?: string;
  /** Events recorded at or before this instant. */
  knownAt?: string;
  /** Events up to this revision (inclusive). */
  revision?: bigint;
}

/**
 * Folds stored events in stream order, keeping those inside `limit`: `asOf` filters by business
 * time (what was true then, as known now), `knownAt` by ledger time (what the ledger said then).
 */
export async function foldStream(events: AsyncIterable<RecordedEvent>, limit: FoldLimit = {}): Promise<FoldedStream> {
  const folded = emptyStream();
  for await (const recorded of events) {
    if (limit.revision !== undefined && recorded.revision > limit.revision) break;
    if (limit.knownAt !== undefined && recorded.recordedAt > limit.knownAt) continue;
    if (limit.asOf !== undefined && recorded.metadata.occurredAt > limit.asOf) continue;
    foldEvent(folded, recorded);
  }
  return folded;
}
