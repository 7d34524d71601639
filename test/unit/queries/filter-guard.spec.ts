import fc from 'fast-check';
import { Query } from 'mingo';
import { checkAnalystQuery, MAX_CLAUSES, MAX_DEPTH, UnsafeQueryError } from '../../../src/queries/filter-guard';

const refusal = (query: { filter?: string; sort?: string }): UnsafeQueryError => {
  try {
    checkAnalystQuery(query);
  } catch (error) {
    if (error instanceof UnsafeQueryError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
};

describe('analyst filter guard', () => {
  it.each([
    ['equality', { tier: 'gold' }],
    ['comparison and logical', { $or: [{ 'stats.totalSpent': { $gte: 100000 } }, { stage: { $in: ['loyal', 'repeat'] } }], tier: { $ne: 'standard' } }],
    ['$exists, $size, $elemMatch, $all, $not, $nor', { email: { $exists: true }, tags: { $size: 2, $all: ['a'] }, complaints: { $elemMatch: { severity: 'high', resolved: false } }, stage: { $not: { $eq: 'churned' } }, $nor: [{ tier: 'gold' }] }],
    ['bounded $regex with flags', { name: { $regex: '^li', $options: 'i' } }],
  ])('accepts %s', (_, filter) => {
    expect(checkAnalystQuery({ filter: JSON.stringify(filter) }).filter).toEqual(filter);
  });

  it.each(['$where', '$function', '$accumulator', '$expr', '$jsonSchema', '$text', '$comment'])('refuses %s wherever it hides, naming it', (operator) => {
    const payloads = [
      { [operator]: 'sleep(1000)' },
      { tier: { [operator]: 'x' } },
      { $and: [{ tier: 'gold' }, { [operator]: 'x' }] },
      { complaints: { $elemMatch: { [operator]: 'x' } } },
      { tags: { $in: [{ [operator]: 'x' }] } },
      { address: { city: 'x', nested: { [operator]: 'x' } } },
    ];
    for (const filter of payloads) {
      const error = refusal({ filter: JSON.stringify(filter) });
      expect(error.field).toBe('filter');
      expect(error.message).toContain(operator);
    }
  });

  it('refuses nesting deeper than 8 levels and more than 100 clauses', () => {
    let deep: Record<string, unknown> = { tier: 'gold' };
    for (let i = 0; i < MAX_DEPTH; i++) deep = { $and: [deep] };
    expect(refusal({ filter: JSON.stringify(deep) }).message).toMatch(/deeper than 8/);
    const wide = Object.fromEntries(Array.from({ length: MAX_CLAUSES + 1 }, (_, i) => [`f${i}`, i]));
    expect(refusal({ filter: JSON.stringify(wide) }).message).toMatch(/more than 100 clauses/);
    const hundred = Object.fromEntries(Array.from({ length: MAX_CLAUSES }, (_, i) => [`f${i}`, i]));
    expect(() => checkAnalystQuery({ filter: JSON.stringify(hundred) })).not.toThrow();
  });

  it('refuses regular expressions that are over-long, not RE2 syntax, or carry unknown flags', () => {
    expect(refusal({ filter: JSON.stringify({ name: { $regex: 'a'.repeat(129) } }) }).message).toMatch(/longer than 128/);
    expect(refusal({ filter: JSON.stringify({ name: { $regex: '(a)\\1' } }) }).message).toMatch(/not a supported regular expression/);
    expect(refusal({ filter: JSON.stringify({ name: { $regex: '(?=a)b' } }) }).message).toMatch(/not a supported regular expression/);
    expect(refusal({ filter: JSON.stringify({ name: { $regex: '[' } }) }).message).toMatch(/not a supported regular expression/);
    expect(refusal({ filter: JSON.stringify({ name: { $regex: 'a', $options: 'g' } }) }).message).toMatch(/\$options/);
    expect(refusal({ filter: JSON.stringify({ name: { $regex: 'a', $options: 'x' } }) }).message).toMatch(/\$options/);
    expect(refusal({ filter: JSON.stringify({ age: { $regex: 5 } }) }).message).toMatch(/string pattern/);
  });

  it('refuses field paths that reach the prototype, in filters and sorts', () => {
    expect(refusal({ sort: '{"__proto__":1}' }).field).toBe('sort');
    expect(refusal({ filter: '{"a.constructor.name":"x"}' }).field).toBe('filter');
    expect(refusal({ filter: '{"__proto__":{"x":1}}' }).field).toBe('filter');
  });

  it('refuses what is not a JSON object, and field names that are not paths', () => {
    expect(refusal({ filter: '{tier: gold}' }).message).toMatch(/not valid JSON/);
    expect(refusal({ filter: '[1]' }).message).toMatch(/JSON object/);
    expect(refusal({ filter: '"gold"' }).message).toMatch(/JSON object/);
    expect(refusal({ filter: JSON.stringify({ 'a..b': 1 }) }).message).toMatch(/field path/);
    expect(refusal({ filter: JSON.stringify({ $and: [] }) }).message).toMatch(/non-empty array/);
  });

  it('checks sort: field paths and 1 / -1 only', () => {
    expect(checkAnalystQuery({ sort: '{"stats.totalSpent":-1,"_id":1}' }).sort).toEqual({ 'stats.totalSpent': -1, _id: 1 });
    expect(refusal({ sort: '{"tier":"asc"}' }).field).toBe('sort');
    expect(refusal({ sort: '{"$natural":1}' }).field).toBe('sort');
    expect(refusal({ sort: '{"a":{"$meta":"textScore"}}' }).field).toBe('sort');
  });

  describe('properties', () => {
    const jsonValue = fc.jsonValue({ maxDepth: 12 });

    it('never throws anything but UnsafeQueryError, whatever the JSON', () => {
      fc.assert(
        fc.property(jsonValue, (value) => {
          try {
            checkAnalystQuery({ filter: JSON.stringify(value), sort: JSON.stringify(value) });
          } catch (error) {
            expect(error).toBeInstanceOf(UnsafeQueryError);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('everything it accepts contains no forbidden operator and compiles in mingo', () => {
      const key = fc.constantFrom('tier', 'stage', 'a.b', '$and', '$or', '$in', '$gt', '$where', '$expr', '$regex', '$function', '$elemMatch', '$size', '$exists');
      const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
      const tree = fc.letrec((tie) => ({
        node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
      })).node;
      fc.assert(
        fc.property(fc.dictionary(key, tree, { maxKeys: 4 }), (filter) => {
          let accepted: Record<string, unknown> | undefined;
          try {
            accepted = checkAnalystQuery({ filter: JSON.stringify(filter) }).filter;
          } catch (error) {
            expect(error).toBeInstanceOf(UnsafeQueryError);
            return;
          }
          const text = JSON.stringify(accepted);
          for (const forbidden of ['$where', '$expr', '$function']) expect(text).not.toContain(`"${forbidden}"`);
          expect(() => new Query(accepted ?? {}).test({ tier: 'gold' })).not.toThrow(/\$where|\$expr|\$function/);
        }),
        { numRuns: 3000 },
      );
    });
  });
});
