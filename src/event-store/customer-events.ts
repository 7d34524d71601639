/** Between the domain's events and the store's: typing what is read, stamping what is written. */
import { CUSTOMER_EVENT_TYPES, SCHEMA_VERSION, type CustomerEvent } from '../customer/events';
import { commandEventId } from './event-id';
import type { EventMetadata, NewEvent, RecordedEvent } from './event-store.port';
import { chainHash } from './hash-chain';

const KNOWN_TYPES = new Set<string>(CUSTOMER_EVENT_TYPES);

/** The domain event a stored event holds, or null for a type this version does not know. */
export function toCustomerEvent(recorded: Pick<RecordedEvent, 'type' | 'data'>): CustomerEvent | null {
  return KNOWN_TYPES.has(recorded.type) ? ({ type: recorded.type, data: recorded.data } as CustomerEvent) : null;
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

/** The events of one command, ready to append after `prevHash`: ids from the command, hashes chained. */
export function stampEvents(streamId: string, events: CustomerEvent[], prevHash: string, context: WriteContext): NewEvent[] {
  let previous = prevHash;
  return events.map((event, index) => {
    const occurredAt = event.data.occurredAt;
    const hash = chainHash(previous, { type: event.type, data: event.data, occurredAt, recordedAt: context.recordedAt });
    const metadata: EventMetadata = {
      eventId: commandEventId(streamId, context.commandId, index),
      correlationId: context.correlationId,
      causationId: context.commandId,
      actor: context.actor,
      idempotencyKey: context.idempotencyKey,
      commandHash: context.commandHash,
      occurredAt,
      recordedAt: context.recordedAt,
      schemaVersion: SCHEMA_VERSION,
      prevHash: previous,
      hash,
    };
    previous = hash;
    return { type: event.type, data: event.data as unknown as Record<string, unknown>, metadata };
  });
}
