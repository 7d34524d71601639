import { RateLimiter } from '../../../src/http/rate-limit';

describe('RateLimiter', () => {
  it('gives a full bucket, refills at the rate, and tells the seconds to the next token', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 4 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('k'))).toEqual([0, 0, 0, 0]);
    expect(limiter.take('k')).toBe(1);
    now += 500; // one token back
    expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
    now += 10_000; // never more than the burst
    expect([1, 2, 3, 4, 5].map(() => limiter.take('k'))).toEqual([0, 0, 0, 0, 1]);
  });

  it('keeps one bucket per key, and says how long at slow rates', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, () => now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 250;
    expect(limiter.take('a')).toBe(1);
  });

  it('is off at 0 a second', () => {
    const limiter = new RateLimiter({ perSecond: 0, burst: 1 });
    expect(Array.from({ length: 100 }, () => limiter.take('k')).every((wait) => wait === 0)).toBe(true);
  });
});
