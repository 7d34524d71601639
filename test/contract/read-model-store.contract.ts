/**
 * What every ReadModelStore adapter must do (read-model-store.port.ts). Collections and
 * checkpoints get unique names so a shared server works too.
 */
import { randomUUID } from 'node:crypto';
import { CollectionRetiredError, retiredSettingKey, type ReadModelDocument, type ReadModelStore } from '../../src/read-store/read-model-store.port';

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

      it("with guard 'position', skips an upsert whose global position is not after the stored one's (positions compare as numbers)", async () => {
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
