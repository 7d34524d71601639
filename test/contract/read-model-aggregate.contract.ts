/**
 * What ReadModelStore.aggregate answers, the same on every adapter: allow-listed stages over a
 * collection's documents (read in _id order), $bucket boundaries as MongoDB places them.
 */
import { randomUUID } from 'node:crypto';
import type { ReadModelDocument } from '../../src/read-store/read-model-store.port';
import type { OpenOptions, ReadStoreSubject, UnprovableCase } from './read-model-store.contract';

const docs: ReadModelDocument[] = [
  { _id: 'a', position: '1/1', outletId: 'o-1', day: '2026-03-01', netSales: 1_000, tags: ['x', 'y'] },
  { _id: 'b', position: '2/2', outletId: 'o-1', day: '2026-03-02', netSales: 3_000, tags: ['y'] },
  { _id: 'c', position: '3/3', outletId: 'o-2', day: '2026-03-01', netSales: 500, tags: [] },
  { _id: 'd', position: '4/4', outletId: 'o-3', day: '2026-03-03', netSales: 10_000 },
  { _id: 'e', position: '5/5', day: '2026-03-04', netSales: null },
];

export function readModelAggregateContract(name: string, open: (options?: OpenOptions) => Promise<ReadStoreSubject>, unprovable: readonly UnprovableCase[] = []): void {
  describe(`ReadModelStore.aggregate contract: ${name}`, () => {
    let subject: ReadStoreSubject;
    let collection: string;
    beforeAll(async () => {
      subject = await open();
      collection = `aggregate_${randomUUID().slice(0, 8)}_v1`;
      await subject.store.writeBatch(collection, docs.map((doc) => ({ _id: doc._id, doc })), null, { guard: 'position' });
    });
    afterAll(async () => {
      await subject.store.dropCollection(collection);
      await subject.dispose();
    });

    it('groups, sorts and projects after a leading $match', async () => {
      expect(
        await subject.store.aggregate(collection, [
          { $match: { day: { $gte: '2026-03-01', $lte: '2026-03-03' } } },
          { $group: { _id: '$outletId', sales: { $sum: '$netSales' }, days: { $sum: 1 }, first: { $first: '$day' }, best: { $max: '$netSales' }, outlets: { $addToSet: '$day' } } },
          { $sort: { sales: -1 } },
          { $project: { _id: 0, outletId: '$_id', sales: 1, days: 1, first: 1, best: 1, spread: { $size: '$outlets' }, big: { $cond: [{ $gte: ['$sales', 4_000] }, 'yes', 'no'] } } },
        ]),
      ).toEqual([
        { outletId: 'o-3', sales: 10_000, days: 1, first: '2026-03-03', best: 10_000, spread: 1, big: 'yes' },
        { outletId: 'o-1', sales: 4_000, days: 2, first: '2026-03-01', best: 3_000, spread: 2, big: 'yes' },
        { outletId: 'o-2', sales: 500, days: 1, first: '2026-03-01', best: 500, spread: 1, big: 'no' },
      ]);
    });

    it('unwinds, counts, skips and limits, and runs facets', async () => {
      expect(await subject.store.aggregate(collection, [{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])).toEqual([
        { _id: 'x', n: 1 },
        { _id: 'y', n: 2 },
      ]);
      expect(await subject.store.aggregate(collection, [{ $match: { netSales: { $gt: 0 } } }, { $count: 'n' }])).toEqual([{ n: 4 }]);
      expect(await subject.store.aggregate(collection, [{ $sort: { netSales: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }])).toEqual([{ _id: 'b' }, { _id: 'a' }]);
      expect(await subject.store.aggregate(collection, [{ $facet: { total: [{ $count: 'n' }], top: [{ $sort: { netSales: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }] } }])).toEqual([{ total: [{ n: 5 }], top: [{ _id: 'd' }] }]);
    });

    (unprovable.includes('bucket boundaries') ? it.skip : it)('puts a value equal to a boundary in the bucket it opens, the rest in default (last)', async () => {
      expect(await subject.store.aggregate(collection, [{ $bucket: { groupBy: '$netSales', boundaries: [0, 1_000, 5_000], default: 'other', output: { n: { $sum: 1 }, sales: { $sum: '$netSales' } } } }])).toEqual([
        { _id: 0, n: 1, sales: 500 },
        { _id: 1_000, n: 2, sales: 4_000 },
        { _id: 'other', n: 2, sales: 10_000 },
      ]);
    });
  });
}
