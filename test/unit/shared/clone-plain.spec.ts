import fc from 'fast-check';
import { clonePlain } from '../../../src/shared/clone-plain';

describe('clonePlain', () => {
  it('copies any JSON value deeply: equal to it, sharing no object with the original (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = clonePlain(value);
        expect(copy).toEqual(value);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        const shared = (a: unknown, b: unknown): boolean =>
          a !== null && typeof a === 'object' && (a === b || Object.keys(a).some((key) => shared((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])));
        expect(shared(value, copy)).toBe(false);
      }),
    );
  });

  it('keeps a "__proto__" key as an own property, as JSON.parse does', () => {
    const state = JSON.parse('{"purchaseIndex":{"__proto__":3,"p1":0}}') as { purchaseIndex: Record<string, number> };
    const copy = clonePlain(state);
    expect(Object.keys(copy.purchaseIndex)).toEqual(['__proto__', 'p1']);
    expect(Object.getPrototypeOf(copy.purchaseIndex)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(state));
  });
});
