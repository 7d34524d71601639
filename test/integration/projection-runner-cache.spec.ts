/**
 * A runner's document cache is bounded: after a flush it keeps the most recently changed documents
 * up to `maxCached` (in the definition's `cacheWeight`), and reads the others back when an event
 * needs them, with the same result as an unbounded cache. Documents are settled (the definition's
 * derived fields) once per write.
 */
import { defineProjection, type CustomerDocument, type ProjectionEvent } from '../../projections/projection';
import { ProjectionRunner } from '../../src/projection-engine/projection-runner';
import type { ReadModelStore } from '../../src/read-store/read-model-store.port';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';

interface Counter extends CustomerDocument {
  visits: number;
}

const counter = (cacheWeight?: (doc: Counter) => number) =>
  defineProjection<Counter>({
    name: 'visit_counter',
    version: 1,
    create: (event) => ({ _id: event.data.customerId, revision: -1, visits: 0 }),
    copy: (doc) => ({ ...doc }),
    on: { CustomerVisited: (doc) => void (doc.visits += 1) },
    cacheWeight,
  });

let position = 0;
const revisions = new Map<string, number>();
function visit(customerId: string): ProjectionEvent {
  const revision = (revisions.get(customerId) ?? -1) + 1;
  revisions.set(customerId, revision);
  position++;
  return {
    type: 'CustomerVisited',
    data: { customerId, visitId: `v${position}`, outletId: 'o1', channel: 'store', purpose: null, occurredAt: '2026-01-01T00:00:00.000Z' },
    streamId: `customer-${customerId}`,
    revision,
    position: `${position}/${position}`,
    recordedAt: '2026-01-01T00:00:00.000Z',
  } as ProjectionEvent;
}

/** The store, counting the documents the runner reads back. */
function counting(store: SqliteReadModelStore): { store: ReadModelStore; reads: () => number } {
  let reads = 0;
  const wrapped = Object.create(store) as ReadModelStore;
  wrapped.getMany = async (collection, ids) => {
    reads += ids.length;
    return store.getMany(collection, ids);
  };
  return { store: wrapped, reads: () => reads };
}

async function run(maxCached: number, cacheWeight?: (doc: Counter) => number) {
  position = 0;
  revisions.clear();
  const sqlite = new SqliteReadModelStore({ filename: ':memory:' });
  const { store, reads } = counting(sqlite);
  const runner = new ProjectionRunner(counter(cacheWeight), 'visit_counter_v1', null, { maxDirty: 1000, maxCached, flushChunk: 100 });
  const customers = Array.from({ length: 10 }, (_, i) => `c${i}`);
  // Three rounds over ten customers, a flush after each round.
  for (let round = 0; round < 3; round++) {
    const batch = customers.map(visit);
    await runner.applyBatch(store, batch, batch[batch.length - 1].position, true);
  }
  const docs = await sqlite.find('visit_counter_v1', { sort: { _id: 1 }, limit: 100 });
  await sqlite.close();
  return { docs: docs.map((doc) => [doc._id, doc.visits]), reads: reads() };
}

describe('projection runner cache', () => {
  it('keeps every document when they fit: each is read once', async () => {
    const { docs, reads } = await run(100);
    expect(docs).toEqual(Array.from({ length: 10 }, (_, i) => [`c${i}`, 3]));
    expect(reads).toBe(10);
  });

  it('keeps the most recently changed ones when they do not, and reads the others back with the same result', async () => {
    const { docs, reads } = await run(4);
    expect(docs).toEqual(Array.from({ length: 10 }, (_, i) => [`c${i}`, 3]));
    // Round one reads all ten; rounds two and three read the six not kept (c0..c5).
    expect(reads).toBe(10 + 6 + 6);
  });

  it('counts a document by its weight', async () => {
    // Each document weighs 2: a bound of 4 keeps two of them.
    const { docs, reads } = await run(4, () => 2);
    expect(docs).toEqual(Array.from({ length: 10 }, (_, i) => [`c${i}`, 3]));
    expect(reads).toBe(10 + 8 + 8);
  });
});

describe('settling documents at write', () => {
  const settled = (settle: (doc: Counter & { label?: string }) => void) =>
    defineProjection<Counter & { label?: string }>({
      name: 'visit_counter',
      version: 1,
      create: (event) => ({ _id: event.data.customerId, revision: -1, visits: 0 }),
      copy: (doc) => ({ ...doc }),
      on: { CustomerVisited: (doc) => void (doc.visits += 1) },
      settle,
    });

  it('settles each document once per write, from the document as folded', async () => {
    position = 0;
    revisions.clear();
    const store = new SqliteReadModelStore({ filename: ':memory:' });
    let calls = 0;
    const runner = new ProjectionRunner(settled((doc) => ((calls += 1), (doc.label = `${doc.visits} visits`))), 'visit_counter_v1', null);
    const batch = [visit('c1'), visit('c1'), visit('c2'), visit('c1')];
    await runner.applyBatch(store, batch, batch[batch.length - 1].position, true);
    expect(await store.get('visit_counter_v1', 'c1')).toMatchObject({ visits: 3, label: '3 visits' });
    expect(await store.get('visit_counter_v1', 'c2')).toMatchObject({ visits: 1, label: '1 visits' });
    expect(calls).toBe(2);
    await store.close();
  });

  it('fails the projection when settle throws, and writes nothing', async () => {
    position = 0;
    revisions.clear();
    const store = new SqliteReadModelStore({ filename: ':memory:' });
    const runner = new ProjectionRunner(settled(() => { throw new Error('cannot settle'); }), 'visit_counter_v1', null);
    const batch = [visit('c1')];
    await expect(runner.applyBatch(store, batch, batch[0].position, true)).rejects.toThrow(/visit_counter failed on settling document c1: cannot settle/);
    expect(await store.get('visit_counter_v1', 'c1')).toBeNull();
    expect(await store.getCheckpoint('visit_counter_v1')).toBeNull();
    await store.close();
  });
});
