/**
 * What every EventStore adapter must do (event-store.port.ts). Each adapter's spec calls
 * `eventStoreContract` with a factory; streams get unique names so a shared server works too.
 */
import { randomUUID } from 'node:crypto';
import { toCustomerEvent } from '../../src/event-store/customer-stream';
import { WrongExpectedRevisionError, type EventStore } from '../../src/event-store/event-store.port';
import { comparePositions } from '../../src/event-store/position';
import { collect, newEvent, newEvents } from '../support/new-events';

export interface ContractSubject {
  store: EventStore;
  /** Called after each test. */
  dispose(): Promise<void>;
}

export function eventStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    const stream = () => `contract-${randomUUID()}`;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(() => subject.dispose());

    describe('expected revision', () => {
      it('creates a stream only when it does not exist (no_stream)', async () => {
        const id = stream();
        const result = await store.append(id, newEvents(2), 'no_stream');
        expect(result.nextRevision).toBe(1n);
        await expect(store.append(id, newEvents(1), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('appends at the stream\'s current revision and rejects a stale one, appending nothing', async () => {
        const id = stream();
        await store.append(id, newEvents(1), 'no_stream');
        expect((await store.append(id, newEvents(1, 'Tested', 1), 0n)).nextRevision).toBe(1n);
        const stale = store.append(id, newEvents(3), 0n);
        await expect(stale).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', streamId: id, expected: 0n, actual: 1n });
        expect(await collect(store.readStream(id))).toHaveLength(2);
      });

      it('rejects a revision on a stream that does not exist', async () => {
        const id = stream();
        await expect(store.append(id, newEvents(1), 0n)).rejects.toMatchObject({ actual: 'no_stream' });
        expect(await collect(store.readStream(id))).toEqual([]);
      });

      it('lets exactly one of two concurrent appends at the same revision win', async () => {
        const id = stream();
        await store.append(id, newEvents(1), 'no_stream');
        const results = await Promise.allSettled([store.append(id, newEvents(1), 0n), store.append(id, newEvents(1), 0n)]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected?.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await collect(store.readStream(id))).toHaveLength(2);
      });
    });

    describe('atomic multi-event append', () => {
      it('stores all events of an append at consecutive revisions, with the position of the last', async () => {
        const id = stream();
        const result = await store.append(id, newEvents(5), 'no_stream');
        const events = await collect(store.readStream(id));
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(events.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4]);
        expect(events[4].position).toBe(result.position);
      });

      it('stores none of an append that conflicts, even when it carries many events', async () => {
        const id = stream();
        await store.append(id, newEvents(1), 'no_stream');
        await expect(store.append(id, newEvents(50), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await collect(store.readStream(id))).toHaveLength(1);
      });

      it('round-trips type, data and metadata exactly', async () => {
        const id = stream();
        const event = newEvent('Rich', { text: 'zoë ✓ "quoted"', nested: { list: [1, null, true] }, amount: 10099 }, { idempotencyKey: 'key-1', commandHash: 'abc' });
        await store.append(id, [event], 'no_stream');
        const [read] = await collect(store.readStream(id));
        expect(read).toMatchObject({ streamId: id, revision: 0n, type: 'Rich', data: event.data, metadata: event.metadata });
      });
    });

    describe('reading a stream', () => {
      it('reads an unknown stream as empty', async () => {
        expect(await collect(store.readStream(stream()))).toEqual([]);
      });

      it('pages forward from a revision, with a maximum count', async () => {
        const id = stream();
        await store.append(id, newEvents(1200), 'no_stream');
        const page = await collect(store.readStream(id, { fromRevision: 600n, maxCount: 550 }));
        expect(page).toHaveLength(550);
        expect(page[0].revision).toBe(600n);
        expect(page[549].revision).toBe(1149n);
        expect(await collect(store.readStream(id))).toHaveLength(1200);
      });

      it('finds the events a command appended by its idempotency key', async () => {
        const id = stream();
        await store.append(id, [newEvent('A', {}, { idempotencyKey: 'first' }), newEvent('B', {}, { idempotencyKey: 'first' })], 'no_stream');
        await store.append(id, [newEvent('C', {}, { idempotencyKey: 'second' })], 1n);
        expect((await store.readByIdempotencyKey(id, 'first')).map((e) => e.type)).toEqual(['A', 'B']);
        expect(await store.readByIdempotencyKey(id, 'unknown')).toEqual([]);
      });
    });

    describe('global order', () => {
      it('pages the log in append order across streams, strictly after a position', async () => {
        const start = await store.headPosition();
        const [a, b] = [stream(), stream()];
        await store.append(a, newEvents(2, 'Tested', 0), 'no_stream');
        await store.append(b, newEvents(2, 'Tested', 2), 'no_stream');
        await store.append(a, newEvents(2, 'Tested', 4), 1n);
        const mine = (await readAllAfter(store, start)).filter((e) => e.streamId === a || e.streamId === b);
        expect(mine.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4, 5]);
        for (let i = 1; i < mine.length; i++) expect(comparePositions(mine[i - 1].position, mine[i].position)).toBeLessThan(0);
        const afterThird = await store.readAll({ after: mine[2].position, maxCount: 1 });
        expect(afterThird[0].metadata.eventId).toBe(mine[3].metadata.eventId);
      });

      it('reads the same page with its metadata up front when asked (withMetadata: the export)', async () => {
        const start = await store.headPosition();
        const id = stream();
        await store.append(id, newEvents(3, 'Tested', 0), 'no_stream');
        const plain = (await store.readAll({ after: start, maxCount: 3 })).filter((e) => e.streamId === id);
        const withMetadata = (await store.readAll({ after: start, maxCount: 3, withMetadata: true })).filter((e) => e.streamId === id);
        expect(withMetadata.map((e) => [e.position, e.type, e.data, e.metadata])).toEqual(plain.map((e) => [e.position, e.type, e.data, e.metadata]));
        expect(withMetadata.map((e) => e.metadata.eventId)).toHaveLength(3);
        if (withMetadata[0].encoded) expect(withMetadata.map((e) => JSON.parse(e.encoded!.metadata))).toEqual(plain.map((e) => e.metadata));
      });

      it('reports the head position and counts what lies after a position where it can', async () => {
        const id = stream();
        const { position } = await store.append(id, newEvents(3), 'no_stream');
        expect(await store.headPosition()).toBe(position);
        const events = await collect(store.readStream(id));
        const count = await store.countEventsAfter(events[0].position);
        if (count !== null) expect(count).toBe(2);
        expect(await store.countEventsAfter(position)).toBe(count === null ? null : 0);
      });

      it('never stores a retried append twice: same event ids, same expected revision', async () => {
        const id = stream();
        const events = newEvents(2);
        const first = await store.append(id, events, 'no_stream');
        // EventStoreDB acknowledges the retry as idempotent; the embedded store refuses it (the stream moved on).
        const retried = await store.append(id, events, 'no_stream').then((result) => result, (error: unknown) => error);
        if (retried instanceof Error) expect(retried).toBeInstanceOf(WrongExpectedRevisionError);
        else expect(retried).toEqual(first);
        const stored = await collect(store.readStream(id));
        expect(stored.map((e) => e.metadata.eventId)).toEqual(events.map((e) => e.metadata.eventId));
      });
    });

    describe('subscribers', () => {
      it('wakes subscribers after an append, and no longer after they unsubscribe', async () => {
        let calls = 0;
        let woken!: () => void;
        const wake = new Promise<void>((resolve) => (woken = resolve));
        const unsubscribe = store.onAppended(() => {
          calls += 1;
          woken();
        });
        await store.append(stream(), newEvents(1), 'no_stream');
        await wake;
        unsubscribe();
        const before = calls;
        await store.append(stream(), newEvents(1), 'no_stream');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(calls).toBe(before);
      });
    });

    describe('upcasting on read', () => {
      it('keeps each event\'s schema version, so the one read path upcasts old payloads and leaves current ones', async () => {
        const id = `customer-${randomUUID()}`;
        const v1 = { customerId: 'c', purchaseId: 'p1', amount: 1234, currency: 'CNY', outletId: null, items: [], occurredAt: '2026-01-01T00:00:00.000Z' };
        const v2 = { ...v1, purchaseId: 'p2', currency: 'JPY', amount: 1000, exchangeRate: '0.05', baseAmount: 5000 };
        await store.append(id, [newEvent('PurchaseRecorded', v1, { schemaVersion: 1 }), newEvent('PurchaseRecorded', v2, { schemaVersion: 2 })], 'no_stream');
        const read = await collect(store.readStream(id));
        expect(read.map((event) => event.schemaVersion)).toEqual([1, 2]);
        // What is stored is never rewritten: the hash chain covers it.
        expect(read[0].data).toEqual(v1);
        expect(read.map((event) => toCustomerEvent(event)?.data)).toEqual([{ ...v1, exchangeRate: '1', baseAmount: 1234 }, v2]);
        const logged = (await readAllAfter(store, null)).filter((event) => event.streamId === id);
        expect(logged.map((event) => [event.schemaVersion, toCustomerEvent(event)?.data])).toEqual([[1, { ...v1, exchangeRate: '1', baseAmount: 1234 }], [2, v2]]);
      });
    });

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

async function readAllAfter(store: EventStore, after: string | null) {
  const events = [];
  let from = after;
  for (;;) {
    const page = await store.readAll({ after: from, maxCount: 500 });
    events.push(...page);
    if (page.length < 500) return events;
    from = page[page.length - 1].position;
  }
}
