/** toMs and toIso are fast paths of Date.parse and Date#toISOString: they must agree with them everywhere. */
import fc from 'fast-check';
import { toIso, toMs } from '../../../src/customer/time';

const sameNumber = (a: number, b: number) => (Number.isNaN(a) ? Number.isNaN(b) : a === b);

describe('toIso', () => {
  it('is Date#toISOString for every millisecond of years 1970–9999, and the edges', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => toIso(ms) === new Date(ms).toISOString()), { numRuns: 20_000 });
    for (const ms of [0, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999]) expect(toIso(ms)).toBe(new Date(ms).toISOString());
  });

  it('leaves what it does not cover to Date (years past 9999, before 1970, fractions, NaN)', () => {
    for (const ms of [253_402_300_800_000, -1, -62_198_755_200_000, 1.5]) expect(toIso(ms)).toBe(new Date(ms).toISOString());
    expect(() => toIso(Number.NaN)).toThrow(RangeError);
  });
});

describe('toMs', () => {
  it('is Date.parse on every canonical instant', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => toMs(new Date(ms).toISOString()) === ms), { numRuns: 20_000 });
  });

  it('is Date.parse on strings of the canonical shape with any digits in it (Feb 30, month 13, hour 24, letters)', () => {
    const digit = fc.constantFrom(...'0123456789x');
    const field = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((chars) => chars.join(''));
    const shaped = fc.tuple(field(4), field(2), field(2), field(2), field(2), field(2), field(3)).map(([y, mo, d, h, mi, s, f]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${f}Z`);
    fc.assert(fc.property(shaped, (text) => sameNumber(toMs(text), Date.parse(text))), { numRuns: 20_000 });
    for (const text of ['2026-02-29T00:00:00.000Z', '2028-02-29T12:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-12-31T23:59:59.999Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '0050-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z'])
      expect(sameNumber(toMs(text), Date.parse(text))).toBe(true);
  });

  it('is Date.parse on other forms (offsets, no fraction, six-digit years)', () => {
    for (const text of ['2026-11-24T10:00:00Z', '2026-11-24T10:00:00.000+08:00', '+010000-01-01T00:00:00.000Z', 'not a date', ''])
      expect(sameNumber(toMs(text), Date.parse(text))).toBe(true);
  });

  it('is Date.parse on what a request body may hold instead of a string (the route fuzz sent null: a TypeError, 500)', () => {
    for (const value of [null, undefined, 5, {}, []]) expect(sameNumber(toMs(value as unknown as string), Date.parse(value as unknown as string))).toBe(true);
    expect(toMs(null as unknown as string)).toBeNaN();
  });
});
