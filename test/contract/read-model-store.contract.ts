/**
 * What every ReadModelStore adapter must do (read-model-store.port.ts). Collections and
 * checkpoints get unique names so a shared server works too.
 */
import { randomUUID } from 'node:crypto';
import type { ReadModelDocument, ReadModelStore } from '../../src/read-store/read-model-store.port';

export interface ReadStoreSubject {
  store: ReadModelStore;
  dispose(): Promise<void>;
}

const doc = (_id: string, fields: Record<string, unknown> = {}, revision?: number): ReadModelDocument => ({ _id, ...(revision === undefined ? {} : { revision }), ...fields });

export function readModelStoreContract(name: string, open: () => Promise<ReadStoreSubject>): void {
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

      it('overwrites documents that carry no revision, and deletes on null', async () => {
        await store.writeBatch(collection, [{ _id: 'x', doc: doc('x', { n: 1 }) }], checkpoint);
        await store.writeBatch(collection, [{ _id: 'x', doc: doc('x', { n: 2 }) }], checkpoint);
        expect((await store.get(collection, 'x'))?.n).toBe(2);
        await store.writeBatch(collection, [{ _id: 'x', doc: null }], checkpoint);
        expect(await store.get(collection, 'x')).toBeNull();
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
