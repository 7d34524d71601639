import { ANY, NO_STREAM } from '@eventstore/db-client';
import {
  compareEsdbPositions,
  esdbPosition,
  toEsdbExpectedRevision,
  toEventData,
  toRecordedEvent,
} from '../../../src/event-store/eventstoredb/esdb-mapping';
import { comparePositions, decodePosition } from '../../../src/event-store/position';
import { metadata, newEvent, resolvedEvent } from './fixtures';

describe('toEsdbExpectedRevision', () => {
  it('passes a revision through as a bigint', () => {
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
  });

  it('keeps revisions above 2^53 exact', () => {
    const big = 2n ** 53n + 1n;
    expect(toEsdbExpectedRevision(big)).toBe(9007199254740993n);
  });

  it('maps no_stream to the client NO_STREAM', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
  });

  it('maps any to the client ANY only when the caller asked for any', () => {
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0n)).not.toBe(ANY);
    expect(toEsdbExpectedRevision('no_stream')).not.toBe(ANY);
  });

  it('rejects a negative revision', () => {
    expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
  });
});

describe('toEventData', () => {
  it('uses metadata.eventId as the EventStoreDB event id', () => {
    const event = newEvent(2);
    expect(toEventData(event).id).toBe(event.metadata.eventId);
  });

  it('gives the same id for the same event every time (a retried append is the same write)', () => {
    const first = toEventData(newEvent(0));
    const again = toEventData(newEvent(0));
    expect(again.id).toBe(first.id);
    expect(toEventData(newEvent(1)).id).not.toBe(first.id);
  });

  it('sends JSON data and all metadata fields', () => {
    const event = newEvent(0);
    const data = toEventData(event);
    expect(data.contentType).toBe('application/json');
    expect(data.type).toBe('CustomerVisited');
    expect(data.data).toEqual(event.data);
    expect(data.metadata).toEqual(event.metadata);
    expect(JSON.parse(JSON.stringify(data.metadata))).toEqual(event.metadata);
    expect(Object.keys(data.metadata as object).sort()).toEqual(Object.keys(metadata()).sort());
  });

  it('does not share the metadata object with the caller', () => {
    const event = newEvent(0);
    expect(toEventData(event).metadata).not.toBe(event.metadata);
  });

  it('rejects an event id that is not a UUID', () => {
    expect(() => toEventData(newEvent(0, { eventId: 'not-a-uuid' }))).toThrow(RangeError);
  });
});

describe('esdbPosition', () => {
  it('encodes commit/prepare', () => {
    expect(esdbPosition({ commit: 1234n, prepare: 1200n })).toBe('1234/1200');
  });

  it('stays exact above 2^53 and round-trips', () => {
    const position = { commit: 2n ** 53n + 1n, prepare: 2n ** 53n + 3n };
    const text = esdbPosition(position);
    expect(text).toBe('9007199254740993/9007199254740995');
    expect(decodePosition(text)).toEqual(position);
  });

  it('encodes the largest 64-bit position', () => {
    const max = 2n ** 64n - 1n;
    const text = esdbPosition({ commit: max, prepare: max });
    expect(text).toBe('18446744073709551615/18446744073709551615');
    expect(decodePosition(text).commit).toBe(max);
  });

  it('orders like the client positions, by commit then prepare', () => {
    const a = { commit: 2n ** 60n, prepare: 5n };
    const b = { commit: 2n ** 60n, prepare: 6n };
    const c = { commit: 2n ** 60n + 1n, prepare: 0n };
    expect(compareEsdbPositions(a, b)).toBeLessThan(0);
    expect(compareEsdbPositions(c, b)).toBeGreaterThan(0);
    expect(compareEsdbPositions(a, { ...a })).toBe(0);
    expect(Math.sign(comparePositions(esdbPosition(a), esdbPosition(b)))).toBe(-1);
    expect(Math.sign(comparePositions(esdbPosition(c), esdbPosition(b)))).toBe(1);
  });
});

describe('toRecordedEvent', () => {
  it('maps stream, revision, position, type, data and metadata', () => {
    const meta = { ...metadata() };
    const recorded = toRecordedEvent(
      resolvedEvent({ streamId: 'customer-c9', revision: 7n, position: { commit: 2n ** 54n + 1n, prepare: 2n ** 54n }, data: { a: 1 }, metadata: meta }),
    );
    expect(recorded).toEqual({
      streamId: 'customer-c9',
      revision: 7n,
      position: '18014398509481985/18014398509481984',
      type: 'CustomerVisited',
      data: { a: 1 },
      metadata: meta,
      recordedAt: meta.recordedAt,
      schemaVersion: meta.schemaVersion,
    });
    expect(typeof recorded.revision).toBe('bigint');
  });

  it('round-trips a new event through the wire format', () => {
    const event = newEvent(3);
    const sent = toEventData(event);
    // What the client sends (JSON.stringify) and parses back on read.
    const data = JSON.parse(JSON.stringify(sent.data)) as Record<string, unknown>;
    const meta = JSON.parse(JSON.stringify(sent.metadata)) as Record<string, unknown>;
    const recorded = toRecordedEvent(resolvedEvent({ revision: 3n, data, metadata: meta }));
    expect({ type: recorded.type, data: recorded.data, metadata: recorded.metadata }).toEqual(event);
  });

  it('parses metadata handed over as bytes', () => {
    const meta = metadata();
    const recorded = toRecordedEvent(resolvedEvent({ metadata: new Uint8Array(Buffer.from(JSON.stringify(meta), 'utf8')) }));
    expect(recorded.metadata).toEqual(meta);
  });

  it('rejects an event without JSON object metadata', () => {
    expect(() => toRecordedEvent(resolvedEvent({ metadata: new Uint8Array(Buffer.from('not json')) }))).toThrow(/metadata is not JSON/);
    const noMetadata = resolvedEvent();
    if (noMetadata.event) noMetadata.event.metadata = undefined;
    expect(() => toRecordedEvent(noMetadata)).toThrow(/metadata is not a JSON object/);
  });

  it('rejects an event without a log position (server older than 22.6)', () => {
    const resolved = resolvedEvent();
    const { event } = resolved;
    if (!event) throw new Error('fixture has an event');
    expect(() => toRecordedEvent({ event: { ...event, position: undefined } })).toThrow(/no log position/);
  });

  it('rejects a resolved event without any record', () => {
    expect(() => toRecordedEvent({})).toThrow(/without a record/);
  });
});
