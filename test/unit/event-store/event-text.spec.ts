import { fromEventText, toEventText } from '../../../src/event-store/event-text';
import type { NewEvent } from '../../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';

const event = (n: number): NewEvent => ({
  type: 'CustomerVisited',
  data: { customerId: 'c-1', outletId: 'o-1', note: `第${n}次 "visit"\n`, occurredAt: '2026-01-01T00:00:00.000Z' },
  metadata: {
    eventId: `00000000-0000-4000-8000-00000000000${n}`,
    correlationId: 'corr',
    causationId: 'cmd',
    actor: { name: 'w', role: 'writer' },
    idempotencyKey: n === 1 ? 'key-1' : null,
    commandHash: null,
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:01.000Z',
    schemaVersion: 1,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  },
});

describe('event text (new events sent between threads as JSON)', () => {
  it('survives a structured clone and decodes to the event it was made from', () => {
    const sent = structuredClone(toEventText(event(1)));
    const received = fromEventText(sent);
    expect(received.type).toBe('CustomerVisited');
    expect(received.data).toEqual(event(1).data);
    expect(received.metadata).toEqual(event(1).metadata);
    expect(received.encoded).toEqual({ data: JSON.stringify(event(1).data), metadata: JSON.stringify(event(1).metadata) });
  });

  it('reuses the text an event already carries', () => {
    const text = toEventText(event(2));
    expect(toEventText(fromEventText(text))).toEqual(text);
  });

  it('the SQLite store writes the text as it came: a read gives the same event and the same text', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const sent = [event(1), event(2)].map((e) => fromEventText(structuredClone(toEventText(e))));
      await store.append('customer-c-1', sent, 'no_stream');
      const read = [];
      for await (const recorded of store.readStream('customer-c-1')) read.push(recorded);
      expect(read.map((r) => [r.type, r.data, r.metadata])).toEqual([event(1), event(2)].map((e) => [e.type, e.data, e.metadata]));
      expect(read.map((r) => r.encoded)).toEqual(sent.map((e) => e.encoded));
      expect(await store.readByIdempotencyKey('customer-c-1', 'key-1')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
