import { Query } from 'mingo';
import { guardedWrites, storedPositionBefore } from '../../../src/read-store/mongodb/guarded-writes';

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

describe('position-guarded bulk writes (documents fed by many streams)', () => {
  // The filter is evaluated with mingo (MongoDB's query language in JavaScript) on stored documents.
  const matches = (stored: Record<string, unknown>, incoming: string): boolean => {
    const [op] = guardedWrites([{ _id: 'o-1', doc: { _id: 'o-1', position: incoming } }], 'position');
    const filter = (op as { replaceOne: { filter: Record<string, unknown> } }).replaceOne.filter;
    return new Query(filter).test({ _id: 'o-1', ...stored });
  };

  it('replaces a document only when it applied an earlier position, comparing positions as numbers, not text', () => {
    expect(matches({ position: '9/9' }, '10/10')).toBe(true);
    expect(matches({ position: '10/10' }, '9/9')).toBe(false);
    expect(matches({ position: '10/10' }, '10/10')).toBe(false);
    expect(matches({ position: '10/3' }, '10/4')).toBe(true);
    expect(matches({}, '1/1')).toBe(true);
  });

  it('upserts (insert collides on _id when stale) and keeps the revision guard the default', () => {
    const [op] = guardedWrites([{ _id: 'o-1', doc: { _id: 'o-1', position: '5/5', revision: 3 } }], 'position');
    expect(op).toMatchObject({ replaceOne: { upsert: true, filter: { _id: 'o-1', $or: [{ position: { $exists: false } }, { $expr: storedPositionBefore('5/5') }] } } });
    expect(guardedWrites([{ _id: 'o-1', doc: { _id: 'o-1', position: '5/5', revision: 3 } }])).toEqual(guardedWrites([{ _id: 'o-1', doc: { _id: 'o-1', position: '5/5', revision: 3 } }], 'revision'));
  });
});
