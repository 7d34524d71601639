import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomerStreamCache } from '../../../src/commands/customer-stream-cache';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { newEvents } from '../../support/new-events';

let dir: string;
let store: SqliteEventStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-cache-'));
  store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  for (let i = 0; i < 20; i++) await store.append(`customer-c${i}`, newEvents(i + 1, 'Tested'), 'no_stream');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CustomerStreamCache', () => {
  it('keeps at most maxStreams states, least recently used out first', async () => {
    const cache = new CustomerStreamCache(store, { maxStreams: 3, maxEvents: 1_000 });
    for (const i of [0, 1, 2]) await cache.load(`customer-c${i}`);
    cache.peek('customer-c0'); // used again: c1 is now the oldest
    await cache.load('customer-c3');
    expect(cache.peek('customer-c1')).toBeUndefined();
    expect(cache.peek('customer-c0')).toBeDefined();
    expect(cache.size.streams).toBe(3);
  });

  it('bounds the events folded into the cached states, whatever their number', async () => {
    const cache = new CustomerStreamCache(store, { maxStreams: 1_000, maxEvents: 100 });
    for (let i = 0; i < 15; i++) await store.append(`customer-t${i}`, newEvents(10, 'Tested'), 'no_stream');
    for (let i = 0; i < 15; i++) await cache.load(`customer-t${i}`); // 150 events in all
    expect(cache.size).toEqual({ streams: 10, events: 100 });
    expect(cache.peek('customer-t14')).toBeDefined();
    expect(cache.peek('customer-t4')).toBeUndefined();
  });

  it('does not keep a state larger than a tenth of the budget, and still answers it', async () => {
    const cache = new CustomerStreamCache(store, { maxStreams: 1_000, maxEvents: 100 });
    const big = await cache.load('customer-c19'); // 20 events
    expect(big.revision).toBe(19n);
    expect(cache.peek('customer-c19')).toBeUndefined();
    expect(cache.size).toEqual({ streams: 0, events: 0 });
  });

  it('counts a state once however often it is loaded or advanced', async () => {
    const cache = new CustomerStreamCache(store, { maxStreams: 10, maxEvents: 1_000 });
    const loaded = await cache.load('customer-c4');
    await cache.load('customer-c4');
    const appended = await store.append('customer-c4', newEvents(1, 'Tested', 99), 4n);
    cache.advance('customer-c4', loaded, [{ ...newEvents(1, 'Tested', 99)[0], streamId: 'customer-c4', revision: 5n, position: appended.position, recordedAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 }]);
    expect(cache.size).toEqual({ streams: 1, events: 6 });
    cache.forget('customer-c4');
    expect(cache.size).toEqual({ streams: 0, events: 0 });
  });
});
