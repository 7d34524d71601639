/**
 * Rebuilds with several engines on one read store (an API replica and the projector on one data
 * directory), and rebuilds interrupted by a crash. Each "process" opens its own connections.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '../../projections';
import type { ProjectionDefinition } from '../../projections/projection';
import { type EventStore } from '../../src/event-store/event-store.port';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { activeCollection } from '../../src/projection-engine/collections';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine';
import { ReadModels } from '../../src/projection-engine/read-models';
import { retiredSettingKey, type ReadModelDocument, type ReadModelStore } from '../../src/read-store/read-model-store.port';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { generateHistory } from '../support/history-generator';

const FAST = { batchSize: 250, idleMs: 20, retryMs: 20, flushMs: 50, liveBatchMs: 2, followMs: 100, graceMs: 400 };
const NAME = 'loyalty_balances';

let dir: string;
const closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

/** One process: its own connections to the shared files, and an engine. */
function open(definitions: readonly ProjectionDefinition[] = PROJECTIONS, readStore?: ReadModelStore) {
  const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const readModels = readStore ?? new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });
  const engine = new ProjectionEngine(events, readModels, definitions, FAST);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await engine.stop();
    await Promise.all([events.close(), readModels.close()]);
  };
  closers.push(close);
  return { events, readModels, engine, reads: new ReadModels(readModels, engine), close };
}

async function append(store: EventStore, options: { customers: number; totalEvents: number; seed?: number; prefix?: string }) {
  for (const command of generateHistory(options)) await store.append(command.streamId, command.events, command.expected ?? 'no_stream');
}

async function caughtUp(engine: ProjectionEngine, events: EventStore, names = PROJECTIONS.map((p) => p.name)) {
  const head = (await events.headPosition())!;
  for (const name of names) expect(await engine.waitFor(name, head, 10_000)).toBe(true);
}

/** A projection counting purchases that throws on every event once `poisoned()` says so. */
function fragileProjection(poisoned: () => boolean): ProjectionDefinition {
  return {
    name: 'fragile',
    version: 1,
    handles: ['PurchaseRecorded'],
    documentId: (event) => event.data.customerId,
    apply(doc, event) {
      if (poisoned()) throw new Error('cannot digest purchases any more');
      return { _id: event.data.customerId, revision: event.revision, purchases: ((doc?.purchases as number | undefined) ?? 0) + 1 };
    },
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const dump = async (store: ReadModelStore, collection: string): Promise<ReadModelDocument[]> => store.find(collection, { sort: { _id: 1 }, limit: 1_000_000 });

/** What a build from nothing gives, in a store of its own. */
async function freshBuild(events: EventStore, name = NAME): Promise<ReadModelDocument[]> {
  const store = new SqliteReadModelStore({ filename: join(dir, `fresh-${Date.now()}.sqlite`) });
  const engine = new ProjectionEngine(events, store, PROJECTIONS, FAST);
  await engine.start();
  await caughtUp(engine, events);
  const docs = await dump(store, await activeCollection(store, name));
  await engine.stop();
  await store.close();
  return docs;
}

describe('two engines on one read store', () => {
  it('a rebuild on A is followed by B: B never serves the dropped version nor writes into it', async () => {
    const a = open();
    await append(a.events, { customers: 40, totalEvents: 2000, seed: 3 });
    const b = open();
    await Promise.all([a.engine.start(), b.engine.start()]);
    await caughtUp(a.engine, a.events);
    await caughtUp(b.engine, b.events);
    const before = await activeCollection(a.readModels, NAME);

    const { collection } = await a.engine.rebuild(NAME);
    await eventually(() => activeCollection(a.readModels, NAME), (active) => active === collection);
    // Through the grace period and past the drop, every read on B finds the 40 balances.
    const until = Date.now() + FAST.graceMs * 2;
    let reads = 0;
    while (Date.now() < until) {
      const served = await b.reads.collectionOf(NAME);
      expect(await b.readModels.count(served)).toBe(40);
      reads += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(reads).toBeGreaterThan(10);
    expect(await b.reads.collectionOf(NAME)).toBe(collection);
    expect((await b.engine.states()).find((s) => s.name === NAME)).toMatchObject({ collection });

    // New events reach the active version through both processes, and the old one stays gone.
    await append(b.events, { customers: 5, totalEvents: 200, seed: 4, prefix: 'after' });
    await caughtUp(a.engine, a.events);
    await caughtUp(b.engine, b.events);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await a.readModels.count(before)).toBe(0);
    expect(await dump(a.readModels, collection)).toEqual(await freshBuild(a.events));
  });

  it('a process whose writes find its version retired moves to the active one from that version\'s checkpoint', async () => {
    const a = open();
    await append(a.events, { customers: 10, totalEvents: 500, seed: 5 });
    // B confirms the active version only every 10 s: it learns of the switch from the refused write.
    const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    const readModels = new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });
    const b = new ProjectionEngine(events, readModels, PROJECTIONS, { ...FAST, followMs: 10_000, graceMs: 20_000 });
    closers.push(async () => {
      await b.stop();
      await Promise.all([events.close(), readModels.close()]);
    });
    await Promise.all([a.engine.start(), b.start()]);
    await caughtUp(a.engine, a.events);
    await caughtUp(b, events);
    const before = await activeCollection(a.readModels, NAME);
    const { collection } = await a.engine.rebuild(NAME);
    await eventually(() => activeCollection(a.readModels, NAME), (active) => active === collection);
    await a.engine.stop();
    await append(events, { customers: 3, totalEvents: 100, seed: 6, prefix: 'late' });
    await caughtUp(b, events);
    expect(b.positionOf(NAME)).toBe(await events.headPosition());
    expect((await b.states()).find((s) => s.name === NAME)).toMatchObject({ collection, status: 'running' });
    expect(await readModels.getCheckpoint(before)).not.toBe(await events.headPosition());
    expect(await dump(readModels, collection)).toEqual(await freshBuild(events));
  });
});

/** A read store that "crashes" (refuses everything) once the rebuild has written its first checkpoint. */
function crashingAfterFirstRebuildCheckpoint(store: SqliteReadModelStore, rebuilt: () => string | null): ReadModelStore {
  let crashed = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (crashed && property !== 'close') throw new StoreUnavailableError('crashed');
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (property === 'writeBatch' && args[0] === rebuilt() && args[2] !== null) crashed = true;
        return result;
      };
    },
  });
}

describe('a rebuild interrupted by a crash', () => {
  it('is resumed from its checkpoint by the next engine, and switches when caught up', async () => {
    let target: string | null = null;
    const real = new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });
    const a = open(PROJECTIONS, crashingAfterFirstRebuildCheckpoint(real, () => target));
    await append(a.events, { customers: 60, totalEvents: 6000, seed: 9 });
    await a.engine.start();
    await caughtUp(a.engine, a.events);
    const before = await activeCollection(real, NAME);
    target = `${NAME}_v2`;
    expect((await a.engine.rebuild(NAME)).collection).toBe(target);
    await eventually(() => real.getCheckpoint(target!), (checkpoint) => checkpoint !== null);
    const checkpoint = await real.getCheckpoint(target);
    await a.close();

    const b = open();
    expect(await activeCollection(b.readModels, NAME)).toBe(before);
    await b.engine.start();
    const resumed = (await b.engine.states()).find((s) => s.name === NAME && s.collection === target);
    expect(resumed).toMatchObject({ status: expect.stringMatching(/rebuilding|running/) });
    expect(resumed!.position).not.toBeNull();
    expect(checkpoint).not.toBeNull();
    await eventually(() => activeCollection(b.readModels, NAME), (active) => active === target);
    expect(await activeCollection(b.readModels, NAME)).toBe(target);
    await caughtUp(b.engine, b.events);
    expect(await dump(b.readModels, target)).toEqual(await freshBuild(b.events));
    await eventually(() => b.readModels.count(before), (count) => count === 0);
    expect(await b.readModels.count(before)).toBe(0);
  });

  it('drops orphan versions on start: neither active nor being built (a rebuild of an older release, a drop that never came)', async () => {
    const a = open();
    await append(a.events, { customers: 10, totalEvents: 300, seed: 2 });
    await a.engine.start();
    await caughtUp(a.engine, a.events);
    await a.close();
    const store = new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });
    await store.writeBatch(`${NAME}_v7`, [{ _id: 'x', doc: { _id: 'x', revision: 1 } }], { name: `${NAME}_v7`, position: '5/5' });
    await store.writeBatch('customer_profiles_archive', [{ _id: 'x', doc: { _id: 'x', revision: 1 } }], null);
    await store.close();

    const b = open();
    await b.engine.start();
    expect(await b.readModels.count(`${NAME}_v7`)).toBe(0);
    expect(await b.readModels.getCheckpoint(`${NAME}_v7`)).toBeNull();
    expect(await b.readModels.count('customer_profiles_archive')).toBe(1);
    expect(await b.readModels.count(`${NAME}_v1`)).toBe(10);
  });
});

describe('rebuild status', () => {
  it('fails a rebuild whose version was retired under it (never writing into it) and keeps serving the active version', async () => {
    const a = open();
    await append(a.events, { customers: 20, totalEvents: 2000, seed: 13 });
    await a.engine.start();
    await caughtUp(a.engine, a.events);
    const { collection } = await a.engine.rebuild(NAME);
    await a.readModels.setSetting(retiredSettingKey(collection), new Date().toISOString());
    const failed = await eventually(
      async () => (await a.engine.states()).find((s) => s.name === NAME && s.collection === collection),
      (state) => state?.status === 'failed',
    );
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('retired') });
    expect(await a.readModels.count(collection)).toBe(0);
    expect(await activeCollection(a.readModels, NAME)).toBe(`${NAME}_v1`);
    expect((await a.engine.states()).find((s) => s.name === NAME)).toMatchObject({ collection: `${NAME}_v1`, status: 'running' });
  });

  it('shows a rebuild as rebuilding with progress, and one whose definition throws as failed with the error, also after a restart', async () => {
    let poisoned = false;
    const fragile = fragileProjection(() => poisoned);
    const a = open([...PROJECTIONS, fragile]);
    await append(a.events, { customers: 20, totalEvents: 1000, seed: 12 });
    await a.engine.start();
    await caughtUp(a.engine, a.events, ['fragile']);

    await a.engine.rebuild(NAME);
    const during = (await a.engine.states()).find((s) => s.name === NAME && s.status === 'rebuilding');
    expect(during).toMatchObject({ collection: `${NAME}_v2`, progress: { total: expect.any(Number), applied: expect.any(Number), percent: expect.any(Number) } });

    poisoned = true;
    await a.engine.rebuild('fragile');
    const failed = await eventually(
      async () => (await a.engine.states()).find((s) => s.name === 'fragile' && s.collection === 'fragile_v2'),
      (state) => state?.status === 'failed',
    );
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('cannot digest purchases any more'), progress: expect.objectContaining({ total: expect.any(Number) }) });
    expect((await a.engine.states()).find((s) => s.name === 'fragile')).toMatchObject({ collection: 'fragile_v1', status: 'running' });
    await a.close();

    const b = open([...PROJECTIONS, fragile]);
    await b.engine.start();
    expect((await b.engine.states()).find((s) => s.name === 'fragile' && s.collection === 'fragile_v2')).toMatchObject({ status: 'failed', error: expect.stringContaining('cannot digest purchases any more') });
    // Asked again, the rebuild starts over (and fails again here): the failure is not sticky.
    await b.engine.rebuild('fragile');
    expect((await b.engine.states()).find((s) => s.name === 'fragile' && s.collection === 'fragile_v2')?.status).toMatch(/rebuilding|failed/);
  });
});

describe('several projections rebuilt together', () => {
  it('reads the log once for all of them; each switches when caught up, and one whose definition throws fails alone', async () => {
    let rebuilding = false;
    const fragile = fragileProjection(() => rebuilding);
    const a = open([...PROJECTIONS, fragile]);
    await append(a.events, { customers: 30, totalEvents: 1500, seed: 21 });
    await a.engine.start();
    await caughtUp(a.engine, a.events, [...PROJECTIONS.map((p) => p.name), 'fragile']);
    const fromStart = jest.spyOn(a.events, 'readAll');

    rebuilding = true;
    const names = ['customer_profiles', 'loyalty_balances', 'fragile', 'due_dates'];
    const started = await a.engine.rebuildAll(names);
    expect(started).toEqual(names.map((name) => ({ name, collection: `${name}_v2` })));
    for (const name of ['customer_profiles', 'loyalty_balances', 'due_dates'])
      await eventually(() => activeCollection(a.readModels, name), (collection) => collection === `${name}_v2`);
    await caughtUp(a.engine, a.events, ['customer_profiles', 'loyalty_balances', 'due_dates']);

    // One track for the four: one read of the log from its start, not four.
    expect(fromStart.mock.calls.filter(([options]) => options.after === null).length).toBe(1);
    const states = await a.engine.states();
    expect(states.find((s) => s.name === 'fragile' && s.collection === 'fragile_v2')).toMatchObject({ status: 'failed', error: expect.stringContaining('cannot digest purchases any more') });
    expect(states.find((s) => s.name === 'fragile' && s.status !== 'failed')).toMatchObject({ collection: 'fragile_v1', status: 'running' });
    for (const name of ['customer_profiles', 'loyalty_balances', 'due_dates']) expect(states.filter((s) => s.name === name)).toEqual([expect.objectContaining({ collection: `${name}_v2`, status: 'running' })]);
    // The rebuilt documents are those of a fresh engine's.
    const fresh = open(PROJECTIONS, new SqliteReadModelStore({ filename: join(dir, 'fresh.sqlite') }));
    await fresh.engine.start();
    await caughtUp(fresh.engine, fresh.events, ['loyalty_balances']);
    const strip = (docs: ReadModelDocument[]) => docs.map(({ _id, balance, revision }) => ({ _id, balance, revision })).sort((x, y) => String(x._id).localeCompare(String(y._id)));
    expect(strip(await a.readModels.find('loyalty_balances_v2', { filter: {}, limit: 1000 }))).toEqual(strip(await fresh.readModels.find('loyalty_balances_v1', { filter: {}, limit: 1000 })));
  });
});
