import fc from 'fast-check';
import { compileFilter } from '../../../src/read-store/mingo-query';

const matches = (filter: Record<string, unknown>, doc: Record<string, unknown>) => compileFilter(filter).test(doc);

describe('analyst regular expressions run in linear time', () => {
  it('answers patterns that make a backtracking engine run for ever, at once', () => {
    // On V8's engine each of these takes seconds to forever against these inputs.
    const name = 'a'.repeat(65);
    expect(matches({ name: { $regex: '(a|a)*b' } }, { name })).toBe(false);
    expect(matches({ address: { $regex: '(b|b)*c' } }, { address: 'b'.repeat(27) })).toBe(false);
    expect(matches({ name: { $regex: '^(a+)+$' } }, { name: `${name}!` })).toBe(false);
    expect(matches({ name: { $regex: '^(a+)+!$' } }, { name: `${name}!` })).toBe(true);
  });

  it('keeps MongoDB semantics: options, arrays, $not, operators beside $regex, nested logic', () => {
    expect(matches({ name: { $regex: '^li', $options: 'i' } }, { name: 'Li Wei' })).toBe(true);
    expect(matches({ name: { $regex: '^li' } }, { name: 'Li Wei' })).toBe(false);
    expect(matches({ tags: { $regex: '^vip' } }, { tags: ['new', 'vip-gold'] })).toBe(true);
    expect(matches({ name: { $not: { $regex: '^Li' } } }, { name: 'Li Wei' })).toBe(false);
    expect(matches({ name: { $not: { $regex: '^Li' } } }, { name: 'Wang Fang' })).toBe(true);
    expect(matches({ name: { $regex: 'Wei', $ne: 'Li Wei' } }, { name: 'Li Wei' })).toBe(false);
    expect(matches({ name: { $regex: 'Wei', $ne: 'Zhang Wei' } }, { name: 'Li Wei' })).toBe(true);
    expect(matches({ $or: [{ name: { $regex: '^Z' } }, { tier: 'gold' }] }, { name: 'Li', tier: 'gold' })).toBe(true);
    expect(matches({ $and: [{ tier: 'gold' }], name: { $regex: 'x', $exists: true } }, { name: 'Li', tier: 'gold' })).toBe(false);
    expect(matches({ name: { $not: { $regex: 'W', $ne: 'Li Wei' } } }, { name: 'Li Wei' })).toBe(true);
    expect(matches({ name: { $regex: 'a' } }, { name: 12 })).toBe(false);
  });

  it('agrees with the native engine on simple patterns (property)', () => {
    const pattern = fc.stringMatching(/^\^?[ab.]{1,4}[*+?]?[ab]{0,2}\$?$/);
    fc.assert(
      fc.property(pattern, fc.stringMatching(/^[ab]{0,8}$/), fc.constantFrom('', 'i'), (source, input, flags) => {
        expect(matches({ v: { $regex: source, $options: flags } }, { v: input })).toBe(new RegExp(source, flags).test(input));
      }),
      { numRuns: 300 },
    );
  });
});
