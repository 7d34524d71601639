/** Between the port's events and EventStoreDB's: expected revisions, event data, recorded events, positions. */
import {
  ANY,
  NO_STREAM,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type EventData,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port';
import { encodePosition } from '../position';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The client's expected revision for the port's: a revision, `no_stream`, or `any` only when the caller asked for it. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected < 0n) throw new RangeError(`expected revision must not be negative (got ${expected})`);
  return expected;
}

/**
 * The event to send: JSON data and metadata, and `metadata.eventId` as the event id, so a retried
 * append carries the same ids and EventStoreDB recognises it as the same write.
 */
export function toEventData(event: NewEvent): EventData {
  const id = event.metadata.eventId;
  if (!UUID.test(id)) throw new RangeError(`event id must be a UUID (got "${id}")`);
  const metadata: Record<string, unknown> = { ...event.metadata };
  return jsonEvent({ id, type: event.type, data: event.data, metadata });
}

/** The `commit/prepare` string of an EventStoreDB position (bigint all the way: exact above 2^53). */
export const esdbPosition = (position: Position): string => encodePosition(position);

/** Negative if a is before b, 0 if equal, positive if after. */
export function compareEsdbPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;
type EsdbRecordedEvent = NonNullable<AnyResolvedEvent['event']>;

/** The record a resolved event stands for: the event itself (links are not resolved, so a link is its own record). */
export const recordOf = (resolved: AnyResolvedEvent): EsdbRecordedEvent | undefined => resolved.event ?? resolved.link;

/** The port's recorded event for one read from EventStoreDB; throws on an event this store did not write. */
export function toRecordedEvent(resolved: AnyResolvedEvent): RecordedEvent {
  const record = recordOf(resolved);
  if (!record) throw new Error('EventStoreDB returned a resolved event without a record');
  const where = `event ${record.id} (${record.streamId}@${record.revision})`;
  if (!record.position) throw new Error(`${where} has no log position (EventStoreDB older than 22.6?)`);
  const metadata = asObject(record.metadata, `${where} metadata`) as unknown as EventMetadata;
  return {
    streamId: record.streamId,
    revision: record.revision,
    position: esdbPosition(record.position),
    type: record.type,
    data: asObject(record.data, `${where} data`),
    metadata,
    recordedAt: metadata.recordedAt,
    schemaVersion: typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1,
  };
}

/** A JSON object, parsing bytes when the client handed them over undecoded. */
function asObject(value: unknown, what: string): Record<string, unknown> {
  let parsed = value;
  if (value instanceof Uint8Array) {
    try {
      parsed = JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      throw new Error(`${what} is not JSON`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
