import { guardedWrites } from '../../../src/read-store/mongodb/guarded-writes';

describe('guarded bulk writes', () => {
  it('replaces a document only when the stored one applied an older revision or none, upserting otherwise', () => {
    const doc = { _id: 'c-1', revision: 7, tier: 'gold' };
    expect(guardedWrites([{ _id: 'c-1', doc }])).toEqual([
      { replaceOne: { filter: { _id: 'c-1', $or: [{ revision: { $lt: 7 } }, { revision: { $exists: false } }] }, replacement: doc, upsert: true } },
    ]);
  });

  it('guards revision 0 too (a falsy revision is still a revision)', () => {
    const [op] = guardedWrites([{ _id: 'c-1', doc: { _id: 'c-1', revision: 0 } }]);
    expect(op).toMatchObject({ replaceOne: { filter: { $or: [{ revision: { $lt: 0 } }, { revision: { $exists: false } }] } } });
  });

  it('upserts documents without a revision unguarded, and deletes on null, keeping the order', () => {
    expect(guardedWrites([{ _id: 'a', doc: { _id: 'a', n: 1 } }, { _id: 'b', doc: null }])).toEqual([
      { replaceOne: { filter: { _id: 'a' }, replacement: { _id: 'a', n: 1 }, upsert: true } },
      { deleteOne: { filter: { _id: 'b' } } },
    ]);
  });
});
