import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toCustomerEvent } from '../../src/event-store/customer-stream';
import { WrongExpectedRevisionError, type RecordedEvent } from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ledgerLine } from '../../src/queries/ledger-export';
import { collect, newEvent, newEvents } from '../support/new-events';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('SQLite (embedded)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-es-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite event store: group commit and durability', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-es-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits concurrent appends together, each still checked on its own', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    await store.append('shared', newEvents(1), 'no_stream');
    const commitsBefore = store.commits;
    const appends = Array.from({ length: 64 }, (_, i) => store.append(`s-${i}`, newEvents(2), 'no_stream'));
    const conflicting = store.append('shared', newEvents(1), 'no_stream');
    const results = await Promise.all(appends);
    await expect(conflicting).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(store.commits - commitsBefore).toBe(1);
    expect(new Set(results.map((r) => r.position)).size).toBe(64);
    expect(await store.countEventsAfter(null)).toBe(1 + 64 * 2);
    await store.close();
  });

  it('rolls back only the append that fails half-way inside a group, atomically', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    // The second event cannot be serialised (a bigint): the first one is already inserted by then.
    const unserialisable = newEvent('Broken', { amount: 1n as unknown as number });
    const [ok, broken] = await Promise.allSettled([
      store.append('b', newEvents(3), 'no_stream'),
      store.append('c', [newEvent('Fresh'), unserialisable], 'no_stream'),
    ]);
    expect(ok.status).toBe('fulfilled');
    expect(broken.status).toBe('rejected');
    expect(await collect(store.readStream('c'))).toEqual([]);
    expect(await collect(store.readStream('b'))).toHaveLength(3);
    await store.close();
  });

  it('keeps acknowledged appends across a reopen, with the idempotency index intact', async () => {
    const filename = join(dir, 'events.sqlite');
    const first = new SqliteEventStore({ filename });
    await first.append('s', [newEvent('A', {}, { idempotencyKey: 'k' })], 'no_stream');
    await first.close();
    const second = new SqliteEventStore({ filename });
    expect((await second.readByIdempotencyKey('s', 'k')).map((e) => e.type)).toEqual(['A']);
    expect(await second.headPosition()).toBe('1/1');
    await expect(second.append('s', newEvents(1), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await second.close();
  });

  it('refuses appends after close with STORE_UNAVAILABLE rather than a crash', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    await store.close();
    await expect(store.append('s', newEvents(1), 'no_stream')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    await expect(store.ping()).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  });
});

describe('SQLite event store: a data directory written by the previous release', () => {
  it('reads its events as schema version 1 (no schema_version column then) and upcasts them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-es-'));
    const filename = join(dir, 'events.sqlite');
    // The first release's table, as it created it.
    const old = new Database(filename);
    old.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL,
      data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, idempotency_key TEXT, UNIQUE (stream_id, revision))`);
    const v1 = { customerId: 'c', purchaseId: 'p1', amount: 5000, currency: 'CNY', outletId: null, items: [], occurredAt: '2026-01-01T00:00:00.000Z' };
    const { metadata } = newEvent('PurchaseRecorded', v1);
    old.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, 0, ?, ?, ?, ?, ?)').run('customer-c', metadata.eventId, 'PurchaseRecorded', JSON.stringify(v1), JSON.stringify(metadata), metadata.recordedAt);
    old.close();
    const store = new SqliteEventStore({ filename });
    try {
      const [event] = await collect(store.readStream('customer-c'));
      expect(event.schemaVersion).toBe(1);
      expect(toCustomerEvent(event)?.data).toEqual({ ...v1, exchangeRate: '1', baseAmount: 5000 });
      await store.append('customer-c', [newEvent('PurchaseRecorded', { ...v1, exchangeRate: '1', baseAmount: 1 }, { schemaVersion: 2 })], 0n);
      expect((await collect(store.readStream('customer-c'))).map((e) => e.schemaVersion)).toEqual([1, 2]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite event store: export lines built in SQL (readAllLines)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-es-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lineEntries = (entries: Array<string | RecordedEvent>) => entries.filter((entry): entry is string => typeof entry === 'string');

  it('writes each line byte for byte as ledgerLine writes it from the event, whatever the text holds', async () => {
    const awkward = ['李伟 "quoted" \\ back\\slash', 'new\nline\ttab', 'emoji 😀 and \u2028', 'Ünïcödé', ''];
    await store.append('s-"odd\\-流\u0001\u001f', awkward.map((text, n) => newEvent('Tested', { n, text, nested: { text, list: [text, null, 1.5] } })), 'no_stream');
    await store.append('plain', newEvents(3), 'no_stream');
    const page = await store.readAllLines({ after: null, maxCount: 100 });
    const events = await store.readAll({ after: null, maxCount: 100, withMetadata: true });
    expect(page.entries).toEqual(events.map(ledgerLine));
    expect(lineEntries(page.entries).map((line) => JSON.parse(line).data.text).slice(0, awkward.length)).toEqual(awkward);
    expect(page).toMatchObject({ lastEntry: events[events.length - 1].position, next: events[events.length - 1].position });
  });

  it('returns the types asked for as events, in their place, the same as readAll reads them', async () => {
    await store.append('a', [newEvent('Kept', { n: 0 }), newEvent('Opened', { n: 1 }), newEvent('Kept', { n: 2 }), newEvent('Opened', { n: 3 })], 'no_stream');
    const page = await store.readAllLines({ after: null, maxCount: 10, asEvents: new Set(['Opened']) });
    const events = await store.readAll({ after: null, maxCount: 10, withMetadata: true });
    expect(page.entries.map((entry) => (typeof entry === 'string' ? 'line' : entry.type))).toEqual(['line', 'Opened', 'line', 'Opened']);
    const asEvents = page.entries.filter((entry): entry is RecordedEvent => typeof entry !== 'string');
    expect(asEvents.map((event) => [event.position, event.streamId, event.revision, event.type, event.data, event.metadata, event.recordedAt, event.schemaVersion])).toEqual(
      [events[1], events[3]].map((event) => [event.position, event.streamId, event.revision, event.type, event.data, event.metadata, event.recordedAt, event.schemaVersion]),
    );
    expect(lineEntries(page.entries)).toEqual([events[0], events[2]].map(ledgerLine));
  });

  it('reads a bounded stretch of the log per page, so that a filter matching nothing still moves on and ends', async () => {
    await store.append('a', Array.from({ length: 10 }, (_, n) => newEvent(n % 2 === 0 ? 'Even' : 'Odd', { n })), 'no_stream');
    const first = await store.readAllLines({ after: null, maxCount: 4, types: ['Odd'] });
    expect(lineEntries(first.entries).map((line) => JSON.parse(line).data.n)).toEqual([1, 3]);
    expect(first).toMatchObject({ lastEntry: '4/4', next: '4/4' });
    const none = await store.readAllLines({ after: '4/4', maxCount: 4, types: ['Nothing'] });
    expect(none).toEqual({ entries: [], lastEntry: null, next: '8/8' });
    const last = await store.readAllLines({ after: '8/8', maxCount: 4, types: ['Even', 'Odd'] });
    expect(lineEntries(last.entries).map((line) => JSON.parse(line).data.n)).toEqual([8, 9]);
    expect(last.next).toBe('10/10');
    expect(await store.readAllLines({ after: '10/10', maxCount: 4 })).toEqual({ entries: [], lastEntry: null, next: null });
    expect(await store.readAllLines({ after: '10/10', maxCount: 4, types: ['Odd'] })).toEqual({ entries: [], lastEntry: null, next: null });
  });
});
