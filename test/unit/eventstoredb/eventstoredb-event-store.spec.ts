/** The adapter against a fake client: what it sends, and how it reads what comes back. No server needed. */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import {
  ANY,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type EventData,
  type EventStoreDBClient,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError, type RecordedEvent } from '../../../src/event-store/event-store.port';
import { StoreUnavailableError } from '../../../src/shared/store-unavailable';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb/eventstoredb-event-store';
import { metadata, newEvent, resolvedEvent } from './fixtures';

type Resolved = ResolvedEvent & AllStreamResolvedEvent;

function streamingRead<T>(source: T[] | Error) {
  const readable = Array.isArray(source)
    ? Readable.from(source)
    : new Readable({
        objectMode: true,
        read() {
          this.destroy(source);
        },
      });
  return Object.assign(readable, { cancel: jest.fn(async () => void readable.destroy()) });
}

const pos = (n: bigint): Position => ({ commit: n, prepare: n });
const before = (a: Position, b: Position) => a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);

class FakeClient {
  appends: Array<{ streamName: string; events: EventData[]; expectedRevision: unknown }> = [];
  appendOutcomes: Array<() => Promise<AppendResult>> = [];
  streams = new Map<string, Resolved[]>();
  all: Resolved[] = [];
  reads: Array<ReturnType<typeof streamingRead>> = [];
  subscriptions: Array<EventEmitter & { options: SubscribeToAllOptions; unsubscribe: jest.Mock }> = [];
  dispose = jest.fn(async () => undefined);

  async appendToStream(streamName: string, events: EventData[], options: { expectedRevision?: unknown }): Promise<AppendResult> {
    this.appends.push({ streamName, events, expectedRevision: options.expectedRevision });
    const next = this.appendOutcomes.shift();
    if (!next) throw new Error('no append outcome queued');
    return next();
  }

  readStream(streamName: string, options: ReadStreamOptions = {}) {
    const events = this.streams.get(streamName);
    const from = typeof options.fromRevision === 'bigint' ? options.fromRevision : 0n;
    const selected = events?.filter((e) => (e.event?.revision ?? 0n) >= from).slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    const read = streamingRead(selected ?? new StreamNotFoundError(undefined, streamName));
    this.reads.push(read);
    return read;
  }

  readAll(options: ReadAllOptions = {}) {
    const backwards = options.direction === 'backwards';
    let events = [...this.all];
    const from = options.fromPosition ?? 'start';
    if (typeof from === 'object') events = events.filter((e) => !before(e.event?.position ?? pos(0n), from));
    if (backwards) events.reverse();
    const read = streamingRead(events.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)));
    this.reads.push(read);
    return read;
  }

  /** Set to make catch-up subscriptions fail right after they start. */
  catchUpFailure: Error | null = null;

  /** Live subscriptions (from the end) stay silent until a test emits; catch-up ones replay `all` from their position (inclusive, as a server may), then report caught up. */
  subscribeToAll(options: SubscribeToAllOptions = {}) {
    const subscription = Object.assign(new EventEmitter(), { options, unsubscribe: jest.fn(async () => undefined), destroy: jest.fn() });
    this.subscriptions.push(subscription);
    const from = options.fromPosition ?? 'start';
    if (from !== 'end') {
      setImmediate(() => {
        if (this.catchUpFailure) return subscription.emit('error', this.catchUpFailure);
        for (const event of this.all) if (from === 'start' || !before(event.event?.position ?? pos(0n), from)) subscription.emit('data', event);
        subscription.emit('caughtUp');
      });
    }
    return subscription;
  }
}

function setup(options: { appendRetry?: { baseDelayMs: number } } = {}) {
  const client = new FakeClient();
  const store = new EventStoreDbEventStore({
    url: 'esdb://localhost:2113?tls=false',
    client: client as unknown as EventStoreDBClient,
    appendRetry: { baseDelayMs: 1, ...options.appendRetry },
    resubscribeDelayMs: 5,
  });
  return { client, store };
}

const ok = (revision: bigint, position?: Position) => async (): Promise<AppendResult> => ({ success: true, nextExpectedRevision: revision, position });

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('EventStoreDbEventStore.append', () => {
  it('sends the expected revision and the metadata event ids, and returns revision and position', async () => {
    const { client, store } = setup();
    client.appendOutcomes.push(ok(6n, { commit: 2n ** 53n + 10n, prepare: 2n ** 53n + 9n }));
    const events = [newEvent(0), newEvent(1)];
    const result = await store.append('customer-c1', events, 4n);
    expect(result).toEqual({ nextRevision: 6n, position: '9007199254741002/9007199254741001' });
    expect(client.appends).toHaveLength(1);
    expect(client.appends[0].expectedRevision).toBe(4n);
    expect(client.appends[0].events.map((e) => e.id)).toEqual(events.map((e) => e.metadata.eventId));
  });

  it('sends no_stream as NO_STREAM and any as ANY', async () => {
    const { client, store } = setup();
    client.appendOutcomes.push(ok(0n, pos(1n)), ok(1n, pos(2n)));
    await store.append('customer-c1', [newEvent(0)], 'no_stream');
    await store.append('customer-c1', [newEvent(1)], 'any');
    expect(client.appends.map((a) => a.expectedRevision)).toEqual([NO_STREAM, ANY]);
  });

  it('retries a transport error with the same expected revision and the same event ids', async () => {
    const { client, store } = setup();
    client.appendOutcomes.push(
      async () => {
        throw new UnavailableError();
      },
      async () => {
        throw Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 });
      },
      ok(2n, pos(30n)),
    );
    await expect(store.append('customer-c1', [newEvent(0)], 1n)).resolves.toEqual({ nextRevision: 2n, position: '30/30' });
    expect(client.appends).toHaveLength(3);
    expect(new Set(client.appends.map((a) => a.expectedRevision))).toEqual(new Set([1n]));
    expect(new Set(client.appends.map((a) => a.events[0].id))).toEqual(new Set([newEvent(0).metadata.eventId]));
  });

  it('gives up after 3 attempts with StoreUnavailableError', async () => {
    const { client, store } = setup();
    const down = async (): Promise<AppendResult> => {
      throw new UnavailableError(undefined, 'down');
    };
    client.appendOutcomes.push(down, down, down, down);
    await expect(store.append('customer-c1', [newEvent(0)], 1n)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(client.appends).toHaveLength(3);
  });

  it('maps a wrong expected version without retrying', async () => {
    const { client, store } = setup();
    client.appendOutcomes.push(async () => {
      throw new WrongExpectedVersionError(undefined, { streamName: 'customer-c1', expected: 1n, current: 3n });
    });
    const error = await store.append('customer-c1', [newEvent(0)], 1n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'customer-c1', expected: 1n, actual: 3n });
    expect(client.appends).toHaveLength(1);
  });

  it('reads the position of the last event when the server returns none', async () => {
    const { client, store } = setup();
    client.appendOutcomes.push(ok(1n));
    client.streams.set('customer-c1', [resolvedEvent({ revision: 0n, position: pos(10n) }), resolvedEvent({ revision: 1n, position: { commit: 12n, prepare: 11n } })]);
    await expect(store.append('customer-c1', [newEvent(0)], 0n)).resolves.toEqual({ nextRevision: 1n, position: '12/11' });
  });

  it('rejects an empty append without calling the server', async () => {
    const { client, store } = setup();
    await expect(store.append('customer-c1', [], 0n)).rejects.toThrow(RangeError);
    expect(client.appends).toHaveLength(0);
  });

  it('wakes onAppended listeners after its own appends', async () => {
    const { client, store } = setup();
    client.appendOutcomes.push(ok(0n, pos(1n)));
    const listener = jest.fn();
    store.onAppended(listener);
    await store.append('customer-c1', [newEvent(0)], 'no_stream');
    await new Promise((resolve) => setImmediate(resolve));
    expect(listener).toHaveBeenCalledTimes(1);
    await store.close();
  });
});

describe('EventStoreDbEventStore reads', () => {
  it('reads a stream as recorded events with bigint revisions and string positions', async () => {
    const { client, store } = setup();
    client.streams.set('customer-c1', [0n, 1n, 2n].map((r) => resolvedEvent({ revision: r, position: pos(100n + r) })));
    const events = await collect(store.readStream('customer-c1', { fromRevision: 1n }));
    expect(events.map((e) => [e.revision, e.position])).toEqual([
      [1n, '101/101'],
      [2n, '102/102'],
    ]);
    expect(events[0].metadata).toEqual(metadata());
  });

  it('reads an unknown stream as empty', async () => {
    const { store } = setup();
    await expect(collect(store.readStream('customer-none'))).resolves.toEqual([]);
  });

  it('cancels the server read when the consumer stops early', async () => {
    const { client, store } = setup();
    client.streams.set('customer-c1', [0n, 1n, 2n].map((r) => resolvedEvent({ revision: r })));
    for await (const event of store.readStream('customer-c1')) {
      expect(event.revision).toBe(0n);
      break;
    }
    expect(client.reads[0].cancel).toHaveBeenCalled();
  });

  it('maps an unavailable server during a stream read to StoreUnavailableError', async () => {
    const { client, store } = setup();
    client.readStream = () => streamingRead<Resolved>(new UnavailableError());
    await expect(collect(store.readStream('customer-c1'))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('finds the events of an idempotency key', async () => {
    const { client, store } = setup();
    client.streams.set('customer-c1', [
      resolvedEvent({ revision: 0n, metadata: metadata({ idempotencyKey: 'k1' }) }),
      resolvedEvent({ revision: 1n, metadata: metadata({ idempotencyKey: 'k2' }) }),
      resolvedEvent({ revision: 2n, metadata: metadata({ idempotencyKey: 'k2' }) }),
    ]);
    expect((await store.readByIdempotencyKey('customer-c1', 'k2')).map((e) => e.revision)).toEqual([1n, 2n]);
    expect(await store.readByIdempotencyKey('customer-c1', 'k3')).toEqual([]);
    expect(await store.readByIdempotencyKey('customer-none', 'k1')).toEqual([]);
  });

  it('cannot count cheaply', async () => {
    const { store } = setup();
    await expect(store.countEventsAfter('1/1')).resolves.toBeNull();
  });
});

describe('EventStoreDbEventStore.readAll and headPosition', () => {
  function withLog() {
    const { client, store } = setup();
    client.all = [
      resolvedEvent({ streamId: '$users', type: '$UserCreated', position: pos(1n) }),
      resolvedEvent({ streamId: 'customer-a', revision: 0n, position: pos(5n) }),
      resolvedEvent({ streamId: '$$customer-a', type: '$metadata', position: pos(6n) }),
      resolvedEvent({ streamId: 'customer-b', revision: 0n, position: { commit: 9n, prepare: 8n } }),
      resolvedEvent({ streamId: 'customer-b', revision: 1n, position: { commit: 9n, prepare: 9n } }),
      resolvedEvent({ streamId: 'customer-a', revision: 1n, position: pos(2n ** 60n) }),
      resolvedEvent({ streamId: '$stats-node', type: '$statsCollected', position: pos(2n ** 61n) }),
    ];
    return { client, store };
  }

  it('pages the ledger events from the start, leaving out system events', async () => {
    const { store } = withLog();
    const page = await store.readAll({ maxCount: 10 });
    expect(page.map((e) => e.position)).toEqual(['5/5', '9/8', '9/9', '1152921504606846976/1152921504606846976']);
  });

  it('starts strictly after the given position and stops at maxCount', async () => {
    const { client, store } = withLog();
    const page = await store.readAll({ after: '9/8', maxCount: 1 });
    expect(page.map((e) => [e.streamId, e.revision, e.position])).toEqual([['customer-b', 1n, '9/9']]);
    expect(client.subscriptions[0].options).toMatchObject({ fromPosition: { commit: 9n, prepare: 8n }, filter: { filterOn: 'eventType' } });
    expect(client.subscriptions[0].unsubscribe).toHaveBeenCalled();
    const rest = await store.readAll({ after: page[0].position, maxCount: 10 });
    expect(rest.map((e) => e.position)).toEqual(['1152921504606846976/1152921504606846976']);
    await expect(store.readAll({ after: rest[0].position, maxCount: 10 })).resolves.toEqual([]);
  });

  it('returns nothing for maxCount 0', async () => {
    const { client, store } = withLog();
    await expect(store.readAll({ maxCount: 0 })).resolves.toEqual([]);
    expect(client.subscriptions).toHaveLength(0);
  });

  it('gives the position of the newest ledger event, skipping system events at the end', async () => {
    const { store } = withLog();
    await expect(store.headPosition()).resolves.toBe('1152921504606846976/1152921504606846976');
  });

  it('gives null for a store without ledger events', async () => {
    const { client, store } = setup();
    client.all = [resolvedEvent({ streamId: '$users', type: '$UserCreated', position: pos(1n) })];
    await expect(store.headPosition()).resolves.toBeNull();
  });

  it('maps an unavailable server during readAll to StoreUnavailableError', async () => {
    const { client, store } = setup();
    client.readAll = () => streamingRead<Resolved>(new UnavailableError());
    client.catchUpFailure = new UnavailableError();
    await expect(store.readAll({ maxCount: 5 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('EventStoreDbEventStore.onAppended, ping and close', () => {
  it('shares one live subscription from the end of $all, filtered, and wakes listeners on events', async () => {
    const { client, store } = setup();
    const a = jest.fn();
    const b = jest.fn();
    const offA = store.onAppended(a);
    const offB = store.onAppended(b);
    expect(client.subscriptions).toHaveLength(1);
    expect(client.subscriptions[0].options).toMatchObject({ fromPosition: 'end', filter: { filterOn: 'eventType', regex: '^[^$].*' } });
    client.subscriptions[0].emit('data', resolvedEvent());
    client.subscriptions[0].emit('data', resolvedEvent());
    await new Promise((resolve) => setImmediate(resolve));
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    offB();
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.subscriptions[0].unsubscribe).toHaveBeenCalled();
  });

  it('resubscribes after the subscription fails', async () => {
    const { client, store } = setup();
    store.onAppended(() => undefined);
    client.subscriptions[0].emit('error', new UnavailableError());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(client.subscriptions).toHaveLength(2);
    await store.close();
    expect(client.subscriptions[1].unsubscribe).toHaveBeenCalled();
  });

  it('pings by reading the newest record of $all', async () => {
    const { client, store } = setup();
    await expect(store.ping()).resolves.toBeUndefined();
    expect(client.reads).toHaveLength(1);
  });

  it('maps any ping failure to StoreUnavailableError', async () => {
    const { client, store } = setup();
    client.readAll = () => streamingRead<Resolved>(new Error('access denied'));
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('times out a ping that gets no answer', async () => {
    const client = new FakeClient();
    client.readAll = () => Object.assign(new Readable({ objectMode: true, read() {} }), { cancel: jest.fn(async () => undefined) });
    const store = new EventStoreDbEventStore({ url: 'esdb://x:2113?tls=false', client: client as unknown as EventStoreDBClient, pingTimeoutMs: 20 });
    await expect(store.ping()).rejects.toThrow(/did not answer within 20 ms/);
  });

  it('close() disposes the client once and makes later calls fail as unavailable', async () => {
    const { client, store } = setup();
    store.onAppended(() => undefined);
    await store.close();
    await store.close();
    expect(client.dispose).toHaveBeenCalledTimes(1);
    expect(client.subscriptions[0].unsubscribe).toHaveBeenCalled();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append('customer-c1', [newEvent(0)], 0n)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(collect(store.readStream('customer-c1'))).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('EventStoreDbEventStore construction', () => {
  it('parses the connection string without connecting', async () => {
    const store = EventStoreDbEventStore.connect('esdb://localhost:2113?tls=false');
    await store.close();
  });

  it('rejects a malformed connection string at once', () => {
    expect(() => EventStoreDbEventStore.connect('http://localhost:2113')).toThrow();
  });
});
