/** canonicalJson is what event hashes and request fingerprints are made of: its text must never change. */
import fc from 'fast-check';
import { canonicalJson } from '../../../src/shared/canonical-json';

/** The first implementation, kept as the definition the faster one must match character for character. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

describe('canonicalJson', () => {
  it('gives the same text as the reference definition for any value', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withSparseArray: true, withDate: true, withMap: true, withSet: true, withTypedArray: false, withBigInt: false }), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys at every depth and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: { d: [undefined, () => 1, 'x'], c: undefined } })).toBe('{"a":{"d":[null,null,"x"]},"b":1}');
  });
});
