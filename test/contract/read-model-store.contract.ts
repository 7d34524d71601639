/**
 * What every ReadModelStore adapter must do (read-model-store.port.ts). Collections and
 * checkpoints get unique names so a shared server works too.
 */
import { randomUUID } from 'node:crypto';
import { complaints } from '../../projections/complaints.projection';
import { followUps } from '../../projections/follow-ups.projection';
import type { ProjectionDefinition } from '../../projections/projection';
import { ProjectionRunner } from '../../src/projection-engine/projection-runner';
import { complaintAssigned, complaintFiled, complaintResolved, followUpCompleted, followUpScheduled, registered } from '../unit/projections/fixtures';
import { asRecorded } from '../unit/projections/project';
import { Query } from 'mingo';
import { compare, resolve } from 'mingo/util';
import { CollectionRetiredError, QueryTimeoutError, retiredSettingKey, type Filter, type ReadModelDocument, type ReadModelStore, type Sort } from '../../src/read-store/read-model-store.port';

export interface ReadStoreSubject {
  store: ReadModelStore;
  dispose(): Promise<void>;
}

const doc = (_id: string, fields: Record<string, unknown> = {}, revision?: number): ReadModelDocument => ({ _id, ...(revision === undefined ? {} : { revision }), ...fields });

export interface OpenOptions {
  /** The store's QUERY_TIMEOUT_MS. */
  queryTimeoutMs?: number;
}

/**
 * Profile-like documents for a collection the projections declare queryable fields on (indexed in
 * both stores): ties in every sort field, nulls, missing fields, arrays, and one value of the wrong
 * type (a string where numbers are declared), so pushed-down and scanned queries must agree.
 */
export function profileDocs(count: number, from = 0): ReadModelDocument[] {
  const tiers = ['standard', 'silver', 'gold'];
  const stages = ['new', 'repeat', 'loyal', 'at_risk', 'churned'];
  return Array.from({ length: count }, (_, n) => {
    const i = n + from;
    const stats: Record<string, unknown> = { purchaseCount: i % 5, totalSpent: i === 13 ? '500' : (i % 9) * 100, lastPurchaseAt: i % 4 === 0 ? null : `2024-0${1 + (i % 9)}-1${i % 10}T00:00:00.000Z` };
    const profile: ReadModelDocument = {
      _id: `p-${String(i).padStart(6, '0')}`,
      revision: 1,
      name: `cust-${i}${i % 3 === 0 ? ' vip' : ''}`,
      tier: tiers[i % 3],
      outletId: i % 10 === 0 ? null : `outlet-${i % 4}`,
      registeredAt: `2023-${String(1 + (i % 12)).padStart(2, '0')}-0${1 + (i % 7)}T10:00:00.000Z`,
      tags: i % 5 === 0 ? ['vip', 'north'] : i % 5 === 1 ? [] : ['south'],
      stats,
    };
    if (i % 11 !== 0) profile.stage = stages[i % 5];
    return profile;
  });
}

/** What MongoDB answers: filter, then sort by type and value (null = missing), ties by _id ascending. */
export function expectedFind(docs: ReadModelDocument[], options: { filter?: Filter; sort?: Sort; skip?: number; limit?: number }): string[] {
  const query = new Query(options.filter ?? {});
  const keys = Object.entries(options.sort ?? {});
  if (!keys.some(([path]) => path === '_id')) keys.push(['_id', 1]);
  const sorted = docs
    .filter((d) => query.test(d))
    .sort((a, b) => {
      for (const [path, direction] of keys) {
        const order = compare(resolve(a, path) ?? null, resolve(b, path) ?? null);
        if (order !== 0) return direction === -1 ? -order : order;
      }
      return 0;
    });
  const skip = options.skip ?? 0;
  return sorted.slice(skip, options.limit === undefined ? undefined : skip + options.limit).map((d) => d._id);
}

/** Cases a test server cannot show (the MongoDB wire bridge: no maxTimeMS, no Decimal128 comparison, mongomock's own $bucket boundaries); skipped, with the reason printed by test/support/skip-reasons.ts. */
export type UnprovableCase = 'time limit' | 'position guard' | 'bucket boundaries';

export function readModelStoreContract(name: string, open: (options?: OpenOptions) => Promise<ReadStoreSubject>, unprovable: readonly UnprovableCase[] = []): void {
  const provable = (which: UnprovableCase) => (unprovable.includes(which) ? it.skip : it);
  describe(`ReadModelStore contract: ${name}`, () => {
    let subject: ReadStoreSubject;
    let store: ReadModelStore;
    let collection: string;
    let checkpoint: { name: string; position: string };

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      collection = `contract_${randomUUID().replace(/-/g, '')}`;
      checkpoint = { name: collection, position: '1/1' };
    });
    afterEach(async () => {
      await store.dropCollection(collection);
      await store.deleteCheckpoint(collection);
      await subject.dispose();
    });

    const seed = () =>
      store.writeBatch(
        collection,
        [
          { _id: 'a', doc: doc('a', { tier: 'gold', stage: 'loyal', spent: 900, tags: ['vip', 'north'], address: { city: 'Lyon' } }, 3) },
          { _id: 'b', doc: doc('b', { tier: 'silver', stage: 'repeat', spent: 300, tags: ['north'], address: { city: 'Paris' } }, 1) },
          { _id: 'c', doc: doc('c', { tier: 'gold', stage: 'at_risk', spent: 500, tags: [], address: { city: 'paris' } }, 2) },
          { _id: 'd', doc: doc('d', { tier: 'standard', stage: 'new', spent: 0, tags: ['south'] }, 0) },
        ],
        checkpoint,
      );

    describe('documents', () => {
      it('gets one document or null, and several by id', async () => {
        await seed();
        expect(await store.get(collection, 'a')).toMatchObject({ _id: 'a', tier: 'gold', revision: 3 });
        expect(await store.get(collection, 'zzz')).toBeNull();
        const many = await store.getMany(collection, ['a', 'c', 'missing']);
        expect([...many.keys()].sort()).toEqual(['a', 'c']);
        expect(await store.getMany(collection, [])).toEqual(new Map());
      });

      it('writes the batch and the checkpoint together', async () => {
        await seed();
        expect(await store.count(collection)).toBe(4);
        expect(await store.getCheckpoint(collection)).toBe('1/1');
      });

      it('skips an upsert whose revision is not above the stored one (a replayed batch)', async () => {
        await seed();
        await store.writeBatch(collection, [
          { _id: 'a', doc: doc('a', { tier: 'replayed' }, 3) },
          { _id: 'b', doc: doc('b', { tier: 'older' }, 0) },
          { _id: 'c', doc: doc('c', { tier: 'newer' }, 5) },
        ], { name: collection, position: '2/2' });
        expect((await store.get(collection, 'a'))?.tier).toBe('gold');
        expect((await store.get(collection, 'b'))?.tier).toBe('silver');
        expect(await store.get(collection, 'c')).toMatchObject({ tier: 'newer', revision: 5 });
        expect(await store.getCheckpoint(collection)).toBe('2/2');
      });

      provable('position guard')("with guard 'position', skips an upsert whose global position is not after the stored one's (positions compare as numbers)", async () => {
        const byPosition = { guard: 'position' as const };
        const outlet = (visits: number, position: string): ReadModelDocument => ({ _id: 'o', visits, position });
        await store.writeBatch(collection, [{ _id: 'o', doc: outlet(1, '9/9') }], checkpoint, byPosition);
        await store.writeBatch(collection, [{ _id: 'o', doc: outlet(2, '10/10') }], checkpoint, byPosition);
        expect(await store.get(collection, 'o')).toMatchObject({ visits: 2, position: '10/10' });
        await store.writeBatch(collection, [{ _id: 'o', doc: outlet(99, '9/9') }, { _id: 'p', doc: { _id: 'p', visits: 1, position: '3/3' } }], checkpoint, byPosition);
        await store.writeBatch(collection, [{ _id: 'o', doc: outlet(98, '10/10') }], checkpoint, byPosition);
        expect(await store.get(collection, 'o')).toMatchObject({ visits: 2, position: '10/10' });
        expect(await store.get(collection, 'p')).toMatchObject({ visits: 1 });
        const big = '18446744073709551615/18446744073709551615';
        await store.writeBatch(collection, [{ _id: 'o', doc: outlet(3, big) }], checkpoint, byPosition);
        await store.writeBatch(collection, [{ _id: 'o', doc: outlet(97, '18446744073709551614/18446744073709551614') }], checkpoint, byPosition);
        expect(await store.get(collection, 'o')).toMatchObject({ visits: 3, position: big });
        // A revision-guarded write of the same shape ignores positions: the default is unchanged.
        await store.writeBatch(collection, [{ _id: 'q', doc: { _id: 'q', n: 1, revision: 2, position: '10/10' } }, { _id: 'q2', doc: { _id: 'q2', n: 1, revision: 2, position: '10/10' } }], checkpoint);
        await store.writeBatch(collection, [{ _id: 'q', doc: { _id: 'q', n: 2, revision: 3, position: '1/1' } }, { _id: 'q2', doc: { _id: 'q2', n: 2, revision: 1, position: '99/99' } }], checkpoint);
        expect((await store.get(collection, 'q'))?.n).toBe(2);
        expect((await store.get(collection, 'q2'))?.n).toBe(1);
      });

      it('overwrites documents that carry no revision, and deletes on null', async () => {
        await store.writeBatch(collection, [{ _id: 'x', doc: doc('x', { n: 1 }) }], checkpoint);
        await store.writeBatch(collection, [{ _id: 'x', doc: doc('x', { n: 2 }) }], checkpoint);
        expect((await store.get(collection, 'x'))?.n).toBe(2);
        await store.writeBatch(collection, [{ _id: 'x', doc: null }], checkpoint);
        expect(await store.get(collection, 'x')).toBeNull();
      });

      it('writes documents without touching the checkpoint when none is given (a flush in chunks)', async () => {
        await seed();
        await store.writeBatch(collection, [{ _id: 'e', doc: doc('e', { n: 1 }, 0) }], null);
        expect(await store.get(collection, 'e')).toMatchObject({ n: 1 });
        expect(await store.getCheckpoint(collection)).toBe('1/1');
      });

      it('drops a collection with its documents', async () => {
        await seed();
        await store.dropCollection(collection);
        expect(await store.count(collection)).toBe(0);
        await expect(store.dropCollection(`${collection}_never_created`)).resolves.toBeUndefined();
      });
    });

    describe('queries (MongoDB query language)', () => {
      beforeEach(seed);
      const ids = (docs: ReadModelDocument[]) => docs.map((d) => d._id);

      it('filters with comparison, logical, $in, $exists, $elemMatch-free arrays, $size and $regex', async () => {
        expect(ids(await store.find(collection, { filter: { tier: 'gold' }, sort: { _id: 1 } }))).toEqual(['a', 'c']);
        expect(ids(await store.find(collection, { filter: { spent: { $gte: 300, $lt: 900 } }, sort: { _id: 1 } }))).toEqual(['b', 'c']);
        expect(ids(await store.find(collection, { filter: { $or: [{ tier: 'standard' }, { spent: { $gt: 800 } }] }, sort: { _id: 1 } }))).toEqual(['a', 'd']);
        expect(ids(await store.find(collection, { filter: { stage: { $in: ['new', 'loyal'] } }, sort: { _id: 1 } }))).toEqual(['a', 'd']);
        expect(ids(await store.find(collection, { filter: { address: { $exists: false } } }))).toEqual(['d']);
        expect(ids(await store.find(collection, { filter: { tags: 'north' }, sort: { _id: 1 } }))).toEqual(['a', 'b']);
        expect(ids(await store.find(collection, { filter: { tags: { $size: 0 } } }))).toEqual(['c']);
        expect(ids(await store.find(collection, { filter: { 'address.city': { $regex: '^par', $options: 'i' } }, sort: { _id: 1 } }))).toEqual(['b', 'c']);
      });

      it('sorts, skips and limits', async () => {
        expect(ids(await store.find(collection, { sort: { spent: -1 } }))).toEqual(['a', 'c', 'b', 'd']);
        expect(ids(await store.find(collection, { sort: { tier: 1, spent: -1 } }))).toEqual(['a', 'c', 'b', 'd']);
        expect(ids(await store.find(collection, { sort: { spent: 1 }, skip: 1, limit: 2 }))).toEqual(['b', 'c']);
        expect(await store.find(collection, { limit: 2 })).toHaveLength(2);
      });

      it('counts, with and without a filter, and groups counts by fields', async () => {
        expect(await store.count(collection)).toBe(4);
        expect(await store.count(collection, { tier: 'gold' })).toBe(2);
        const groups = await store.countBy(collection, ['tier', 'stage']);
        const sorted = groups.map((g) => `${String(g.key.tier)}/${String(g.key.stage)}=${g.count}`).sort();
        expect(sorted).toEqual(['gold/at_risk=1', 'gold/loyal=1', 'silver/repeat=1', 'standard/new=1']);
        const byTier = await store.countBy(collection, ['tier']);
        expect(byTier.find((g) => g.key.tier === 'gold')?.count).toBe(2);
      });

      it('stores the care projections\' documents as the definitions make them (complaints, follow_ups), replay included', async () => {
        const events = asRecorded([
          registered(),
          complaintFiled('k1', '2026-02-01T00:00:00.000Z'),
          complaintAssigned('k1', 'agent-7', '2026-02-01T01:00:00.000Z'),
          complaintResolved('k1', '2026-02-02T00:00:00.000Z'),
          followUpScheduled('f1', '2026-02-05T00:00:00.000Z', '2026-02-02T00:00:00.000Z', 'k1'),
          followUpCompleted('f1', '2026-02-05T10:00:00.000Z'),
        ]);
        for (const definition of [complaints, followUps] as ProjectionDefinition[]) {
          const target = `${collection}_${definition.name}`;
          const runner = new ProjectionRunner(definition, target, null);
          await runner.applyBatch(store, events, events[events.length - 1].position, true);
          // A replay after a crash between document writes and checkpoint changes nothing.
          await new ProjectionRunner(definition, target, null).applyBatch(store, events, events[events.length - 1].position, true);
          const expected = new Map<string, unknown>();
          for (const event of events) {
            if (!definition.handles.includes(event.type)) continue;
            const id = definition.documentId(event);
            expected.set(id, definition.apply(expected.get(id) as never, event));
          }
          for (const [id, document] of expected) expect(await store.get(target, id)).toEqual(document);
          await store.dropCollection(target);
          await store.deleteCheckpoint(target);
        }
      });

      it('serves the worklists\' query: $and of equalities, $ne and $lt on instants, sorted by dueAt then _id', async () => {
        const worklist = `${collection}_worklist`;
        const complaint = (_id: string, status: string, dueAt: string, assignee: string | null) => ({ _id, doc: doc(_id, { status, dueAt, assignee, outletId: null }, 1) });
        await store.writeBatch(
          worklist,
          [
            complaint('c2:k1', 'open', '2026-03-01T04:00:00.000Z', null),
            complaint('c1:k1', 'open', '2026-03-01T04:00:00.000Z', 'agent-1'),
            complaint('c1:k2', 'resolved', '2026-02-01T00:00:00.000Z', 'agent-1'),
            complaint('c3:k1', 'reopened', '2026-03-05T00:00:00.000Z', 'agent-1'),
          ],
          { name: worklist, position: '1/1' },
        );
        try {
          const sort = { dueAt: 1, _id: 1 } as const;
          expect(ids(await store.find(worklist, { filter: {}, sort }))).toEqual(['c1:k2', 'c1:k1', 'c2:k1', 'c3:k1']);
          const overdue = { $and: [{ status: { $ne: 'resolved' } }, { dueAt: { $lt: '2026-03-02T00:00:00.000Z' } }] };
          expect(ids(await store.find(worklist, { filter: overdue, sort }))).toEqual(['c1:k1', 'c2:k1']);
          expect(ids(await store.find(worklist, { filter: { $and: [{ assignee: 'agent-1' }, { $or: [{ status: 'resolved' }, { dueAt: { $gte: '2026-03-02T00:00:00.000Z' } }] }] }, sort }))).toEqual(['c1:k2', 'c3:k1']);
          expect(ids(await store.find(worklist, { filter: { assignee: 'agent-1' }, sort, skip: 1, limit: 1 }))).toEqual(['c1:k1']);
          expect(await store.count(worklist, { outletId: null, dueAt: { $gte: '2026-03-01T00:00:00.000Z', $lt: '2026-03-05T00:00:00.000Z' } })).toBe(2);
        } finally {
          await store.dropCollection(worklist);
          await store.deleteCheckpoint(worklist);
        }
      });
    });

    describe('queries on declared (indexed) fields: the same documents in the same order as MongoDB', () => {
      const docs = profileDocs(120);
      let profiles: string;
      beforeEach(async () => {
        // A collection of the customer_profiles projection, so its declared fields are indexed.
        profiles = `customer_profiles_v9${Date.now()}${Math.floor(Math.random() * 1e6)}`;
        await store.writeBatch(profiles, docs.map((d) => ({ _id: d._id, doc: d })), { name: profiles, position: '1/1' });
      });
      afterEach(async () => {
        await store.dropCollection(profiles);
        await store.deleteCheckpoint(profiles);
      });
      const check = async (options: { filter?: Filter; sort?: Sort; skip?: number; limit?: number }) => {
        const found = (await store.find(profiles, options)).map((d) => d._id);
        expect({ options, found }).toEqual({ options, found: expectedFind(docs, options) });
        return found;
      };

      it('answers equality, $in, null and _id filters on indexed fields', async () => {
        expect(await check({ filter: { tier: 'gold' }, sort: { _id: 1 } })).toHaveLength(40);
        await check({ filter: { tier: 'gold' }, limit: 7 });
        await check({ filter: { tier: 'silver', stage: 'loyal' } });
        await check({ filter: { stage: { $in: ['loyal', 'at_risk'] } }, sort: { 'stats.totalSpent': -1 }, limit: 10 });
        await check({ filter: { outletId: null } });
        expect(await check({ filter: { stage: null } })).toHaveLength(11);
        await check({ filter: { stage: { $eq: null } }, sort: { registeredAt: 1 } });
        await check({ filter: { _id: { $in: ['p-000003', 'p-000001', 'nope'] } } });
        await check({ filter: { $and: [{ tier: 'gold' }, { outletId: 'outlet-1' }] }, sort: { registeredAt: -1 } });
      });

      it('answers ranges with sorts, ties broken by _id, on numbers and on ISO dates', async () => {
        await check({ filter: { 'stats.totalSpent': { $gte: 200, $lt: 600 } }, sort: { 'stats.totalSpent': 1 } });
        await check({ filter: { 'stats.totalSpent': { $gt: 300 } }, sort: { 'stats.totalSpent': -1 }, limit: 15 });
        await check({ filter: { 'stats.totalSpent': { $lte: 100 } } });
        await check({ filter: { registeredAt: { $gte: '2023-06-01', $lt: '2023-09-01' } }, sort: { registeredAt: -1 } });
        await check({ filter: { 'stats.lastPurchaseAt': { $lt: '2024-03-01' } }, sort: { 'stats.lastPurchaseAt': 1 } });
        await check({ sort: { 'stats.lastPurchaseAt': -1 }, limit: 40 });
        await check({ sort: { tier: 1, 'stats.totalSpent': -1 } });
        await check({ sort: { stage: 1 }, limit: 30 });
      });

      it('pages with skip and limit through tied sort values without losing or repeating a document', async () => {
        const options = { filter: { tier: { $in: ['gold', 'standard'] } }, sort: { 'stats.totalSpent': -1 } as Sort };
        const pages: string[] = [];
        for (let skip = 0; skip < 90; skip += 7) pages.push(...(await check({ ...options, skip, limit: 7 })));
        expect(pages).toEqual(expectedFind(docs, options));
        await check({ sort: { _id: -1 }, skip: 100, limit: 50 });
        await check({ filter: { tier: 'gold' }, skip: 35, limit: 10 });
      });

      it('answers filters mixing indexed and unindexed parts, $or, $regex, arrays and mismatched types', async () => {
        await check({ filter: { tier: 'gold', name: { $regex: 'vip$' } }, sort: { 'stats.totalSpent': -1 } });
        await check({ filter: { $and: [{ tier: { $in: ['gold', 'silver'] } }, { $or: [{ stage: 'new' }, { 'stats.totalSpent': { $gt: 500 } }] }] }, sort: { registeredAt: 1 }, limit: 12 });
        await check({ filter: { $or: [{ tier: 'gold' }, { outletId: 'outlet-3' }] }, skip: 5, limit: 20 });
        await check({ filter: { tags: 'vip', tier: 'silver' } });
        await check({ filter: { tags: { $size: 0 } }, sort: { name: -1 }, limit: 10 });
        await check({ filter: { outletId: 'outlet-2' }, sort: { name: 1 }, skip: 2, limit: 5 });
        await check({ filter: { 'stats.totalSpent': '500' } });
        await check({ filter: { 'stats.totalSpent': { $gte: '4' } } });
        await check({ filter: { 'stats.totalSpent': { $gte: 400 }, stage: { $ne: 'loyal' } }, sort: { 'stats.totalSpent': 1 }, limit: 9 });
        await check({ filter: { tier: { $in: ['gold', 3] } } });
        await check({ filter: { stage: { $exists: false } } });
        await check({ filter: { name: { $regex: '^CUST-1', $options: 'i' } }, sort: { 'stats.purchaseCount': -1 }, limit: 8 });
      });

      it('counts and groups counts as the filter does', async () => {
        const count = (filter: Filter) => expectedFind(docs, { filter }).length;
        for (const filter of [{}, { tier: 'gold' }, { 'stats.totalSpent': { $gte: 300 } }, { tier: 'gold', name: { $regex: 'vip' } }, { stage: null }, { $or: [{ tier: 'silver' }, { stage: 'new' }] }] as Filter[])
          expect({ filter, n: await store.count(profiles, filter) }).toEqual({ filter, n: count(filter) });
        const groups = await store.countBy(profiles, ['tier', 'stage']);
        const expected = new Map<string, number>();
        for (const d of docs) expected.set(`${String(d.tier)}/${String(d.stage ?? null)}`, (expected.get(`${String(d.tier)}/${String(d.stage ?? null)}`) ?? 0) + 1);
        expect(new Map(groups.map((g) => [`${String(g.key.tier)}/${String(g.key.stage)}`, g.count]))).toEqual(expected);
        expect(groups.every((g) => g.key.stage === null || typeof g.key.stage === 'string')).toBe(true);
      });
    });

    describe('time limit', () => {
      provable('time limit')('stops a query past QUERY_TIMEOUT_MS with QueryTimeoutError, and keeps answering', async () => {
        const limited = await open({ queryTimeoutMs: 1 });
        const big = `customer_profiles_v8${Date.now()}${Math.floor(Math.random() * 1e6)}`;
        try {
          for (let from = 0; from < 60_000; from += 10_000) {
            const batch = profileDocs(10_000, from);
            await limited.store.writeBatch(big, batch.map((d) => ({ _id: d._id, doc: d })), { name: big, position: '1/1' });
          }
          // Unindexed, a regular expression over every document: far longer than a millisecond.
          await expect(limited.store.find(big, { filter: { name: { $regex: 'x+y$' } } })).rejects.toBeInstanceOf(QueryTimeoutError);
          await expect(limited.store.count(big, { name: { $regex: 'x+y$', $options: 'i' } })).rejects.toBeInstanceOf(QueryTimeoutError);
          expect((await limited.store.get(big, 'p-000042'))?._id).toBe('p-000042');
        } finally {
          await limited.store.dropCollection(big);
          await limited.store.deleteCheckpoint(big);
          await limited.dispose();
        }
      });
    });

    describe('checkpoints and settings', () => {
      it('reads null before the first batch, and deletes', async () => {
        expect(await store.getCheckpoint(collection)).toBeNull();
        await store.writeBatch(collection, [], { name: collection, position: '7/7' });
        expect(await store.getCheckpoint(collection)).toBe('7/7');
        await store.deleteCheckpoint(collection);
        expect(await store.getCheckpoint(collection)).toBeNull();
      });

      it('keeps positions above 2^63 exact', async () => {
        const big = '18446744073709551615/18446744073709551615';
        await store.writeBatch(collection, [], { name: collection, position: big });
        expect(await store.getCheckpoint(collection)).toBe(big);
      });

      it('sets and deletes several settings at once', async () => {
        const [a, b] = [`a-${collection}`, `b-${collection}`];
        await store.setSetting(b, 'old');
        await store.setSettings({ [a]: 'x', [b]: null });
        expect(await store.getSetting(a)).toBe('x');
        expect(await store.getSetting(b)).toBeNull();
        await store.setSettings({ [a]: null });
      });

      it('lists the collections that hold documents', async () => {
        await seed();
        expect(await store.listCollections()).toContain(collection);
        await store.dropCollection(collection);
        expect(await store.listCollections()).not.toContain(collection);
      });

      it('refuses, writing nothing, a batch into a retired collection', async () => {
        await seed();
        await store.setSetting(retiredSettingKey(collection), new Date().toISOString());
        try {
          await expect(store.writeBatch(collection, [{ _id: 'z', doc: doc('z', {}, 1) }], { name: collection, position: '9/9' })).rejects.toBeInstanceOf(CollectionRetiredError);
          expect(await store.get(collection, 'z')).toBeNull();
          expect(await store.getCheckpoint(collection)).toBe('1/1');
        } finally {
          await store.setSettings({ [retiredSettingKey(collection)]: null });
        }
      });

      it('stores settings', async () => {
        const key = `setting-${collection}`;
        expect(await store.getSetting(key)).toBeNull();
        await store.setSetting(key, 'v1');
        await store.setSetting(key, 'v2');
        expect(await store.getSetting(key)).toBe('v2');
      });
    });

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
