import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '../../projections';
import type { ProjectionDefinition } from '../../projections/projection';
import type { EventStore } from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { activeCollection } from '../../src/projection-engine/collections';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine';
import type { ReadModelDocument, ReadModelStore } from '../../src/read-store/read-model-store.port';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { generateHistory } from '../support/history-generator';

const FAST = { batchSize: 250, idleMs: 20, retryMs: 20, flushMs: 50, liveBatchMs: 2, followMs: 50, graceMs: 200 };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-engine-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const openEvents = (name = 'events.sqlite') => new SqliteEventStore({ filename: join(dir, name), synchronous: 'NORMAL' });
const openReadModels = (name = 'read.sqlite') => new SqliteReadModelStore({ filename: join(dir, name) });

async function append(store: EventStore, options: { customers: number; totalEvents: number; seed?: number; prefix?: string }) {
  for (const command of generateHistory(options)) await store.append(command.streamId, command.events, command.expected ?? 'no_stream');
}

async function caughtUp(engine: ProjectionEngine, events: EventStore, names = PROJECTIONS.map((p) => p.name)) {
  const head = await events.headPosition();
  if (head === null) return;
  for (const name of names) expect(await engine.waitFor(name, head, 10_000)).toBe(true);
}

async function dump(store: ReadModelStore, projection: string): Promise<ReadModelDocument[]> {
  return store.find(await activeCollection(store, projection), { sort: { _id: 1 }, limit: 1_000_000 });
}

describe('projection engine', () => {
  it('writes what it applied, with the checkpoints, when stopped mid catch-up (a graceful shutdown resumes there)', async () => {
    const events = openEvents();
    await append(events, { customers: 50, totalEvents: 5000 });
    const readModels = openReadModels();
    // Full pages and no timed flush: without the flush at stop nothing would be written yet.
    const engine = new ProjectionEngine(events, readModels, PROJECTIONS, { ...FAST, batchSize: 25, flushMs: 600_000, liveBatchMs: 0 });
    await engine.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await engine.stop();
    const runners = [...(engine as unknown as { runners: Map<string, { collection: string; position: string | null; readFrom: string | null }> }).runners.values()];
    expect(runners.length).toBe(PROJECTIONS.length);
    for (const runner of runners) {
      expect(runner.readFrom).not.toBeNull();
      expect(runner.position).toBe(runner.readFrom);
      expect(await readModels.getCheckpoint(runner.collection)).toBe(runner.readFrom);
    }
    await Promise.all([events.close(), readModels.close()]);
  });

  it('builds every read model, and a second replay from scratch gives identical documents', async () => {
    const events = openEvents();
    await append(events, { customers: 40, totalEvents: 2000 });
    const first = openReadModels('first.sqlite');
    const second = openReadModels('second.sqlite');
    const a = new ProjectionEngine(events, first, PROJECTIONS, FAST);
    const b = new ProjectionEngine(events, second, PROJECTIONS, FAST);
    await a.start();
    await b.start();
    await caughtUp(a, events);
    await caughtUp(b, events);
    const perCustomer = ['customer_profiles', 'customer_lifecycle', 'loyalty_balances'];
    for (const { name } of PROJECTIONS) {
      const docs = await dump(first, name);
      // One document per customer, or per complaint / follow-up / purchase of theirs.
      if (perCustomer.includes(name)) expect(docs).toHaveLength(40);
      else expect(docs.length).toBeGreaterThan(0);
      expect(await dump(second, name)).toEqual(docs);
    }
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([events.close(), first.close(), second.close()]);
  });

  it('keeps balances exact after a crash between the document writes and the checkpoint', async () => {
    const events = openEvents();
    await append(events, { customers: 20, totalEvents: 1500 });
    const readModels = openReadModels();
    const engine = new ProjectionEngine(events, readModels, PROJECTIONS, FAST);
    await engine.start();
    await caughtUp(engine, events);
    await engine.stop();
    const exact = await dump(readModels, 'loyalty_balances');
    // The crash: documents are written, but the checkpoint still points near the start.
    const collection = await activeCollection(readModels, 'loyalty_balances');
    const early = (await events.readAll({ after: null, maxCount: 10 }))[9].position;
    await readModels.writeBatch(collection, [], { name: collection, position: early });

    const restarted = new ProjectionEngine(events, readModels, PROJECTIONS, FAST);
    await restarted.start();
    await caughtUp(restarted, events);
    expect(await dump(readModels, 'loyalty_balances')).toEqual(exact);
    await restarted.stop();
    await Promise.all([events.close(), readModels.close()]);
  });

  it('follows live appends after catching up', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const engine = new ProjectionEngine(events, readModels, PROJECTIONS, FAST);
    await engine.start();
    await append(events, { customers: 5, totalEvents: 100, prefix: 'live' });
    await caughtUp(engine, events);
    expect(await dump(readModels, 'customer_profiles')).toHaveLength(5);
    await engine.stop();
    await Promise.all([events.close(), readModels.close()]);
  });

  it('rebuilds into a new collection while commands keep arriving, and ends equal to a fresh build', async () => {
    const events = openEvents();
    await append(events, { customers: 30, totalEvents: 1500, seed: 7 });
    const readModels = openReadModels();
    const engine = new ProjectionEngine(events, readModels, PROJECTIONS, FAST);
    await engine.start();
    await caughtUp(engine, events);
    const before = await activeCollection(readModels, 'loyalty_balances');

    const { collection } = await engine.rebuild('loyalty_balances');
    expect(collection).not.toBe(before);
    await append(events, { customers: 10, totalEvents: 500, seed: 8, prefix: 'during' });
    for (let i = 0; i < 200 && (await activeCollection(readModels, 'loyalty_balances')) !== collection; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await activeCollection(readModels, 'loyalty_balances')).toBe(collection);
    await caughtUp(engine, events);
    // The old version is dropped once the grace period (other processes may still read it) is over.
    for (let i = 0; i < 100 && (await readModels.count(before)) > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await readModels.count(before)).toBe(0);

    const fresh = openReadModels('fresh.sqlite');
    const freshEngine = new ProjectionEngine(events, fresh, PROJECTIONS, FAST);
    await freshEngine.start();
    await caughtUp(freshEngine, events);
    expect(await dump(readModels, 'loyalty_balances')).toEqual(await dump(fresh, 'loyalty_balances'));
    expect((await engine.states()).find((s) => s.name === 'loyalty_balances')).toMatchObject({ status: 'running', lag: 0, collection });
    await Promise.all([engine.stop(), freshEngine.stop()]);
    await Promise.all([events.close(), readModels.close(), fresh.close()]);
  });

  it('stops a projection whose definition throws, with the error, while the others keep running', async () => {
    const events = openEvents();
    await append(events, { customers: 5, totalEvents: 200 });
    const readModels = openReadModels();
    const poison: ProjectionDefinition = {
      name: 'poisoned',
      version: 1,
      handles: ['PurchaseRecorded'],
      documentId: (event) => event.data.customerId,
      apply: () => {
        throw new Error('cannot digest purchases');
      },
    };
    const engine = new ProjectionEngine(events, readModels, [...PROJECTIONS, poison], FAST);
    await engine.start();
    await caughtUp(engine, events);
    const states = await engine.states();
    expect(states.find((s) => s.name === 'poisoned')).toMatchObject({ status: 'failed', position: null, error: expect.stringContaining('cannot digest purchases') });
    expect(states.filter((s) => s.name !== 'poisoned').map((s) => s.status)).toEqual(PROJECTIONS.map(() => 'running'));
    await engine.stop();
    await Promise.all([events.close(), readModels.close()]);
  });
});
