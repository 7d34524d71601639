import fc from 'fast-check';
import { decide } from '../../../src/customer/decide';
import { stageAsOf, timeDrivenChangePoints } from '../../../src/customer/policies/lifecycle';
import { pointsFor, pointsMultiplier } from '../../../src/customer/policies/points';
import { tierForSpend, TIERS } from '../../../src/customer/policies/tiers';
import { DAY_MS } from '../../../src/customer/time';
import { commands, fold, History, NOW } from '../../support/decider-spec';

const day = (n: number) => n * DAY_MS;

describe('tier thresholds', () => {
  it.each([
    [0, 'standard'],
    [299_999, 'standard'],
    [300_000, 'silver'],
    [999_999, 'silver'],
    [1_000_000, 'gold'],
  ])('%i minor units of rolling spend -> %s', (spend, tier) => {
    expect(tierForSpend(spend)).toBe(tier);
  });
});

describe('points', () => {
  it.each([
    [10099, 'standard', 100],
    [10099, 'silver', 126],
    [10099, 'gold', 151],
    [99, 'standard', 0],
    [80, 'silver', 1],
    [67, 'gold', 1],
  ] as const)('%i minor units at %s -> %i points', (amount, tier, points) => {
    expect(pointsFor(amount, 2, tier)).toBe(points);
  });

  it('is exact integer arithmetic: floor(amount x multiplier / 100), never negative, never more for less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), fc.integer({ min: 0, max: 10 ** 6 }), fc.constantFrom(...TIERS), (amount, extra, tier) => {
        const points = pointsFor(amount, 2, tier);
        expect(points).toBe(Number((BigInt(amount) * BigInt(pointsMultiplier(tier) * 4)) / 400n));
        expect(points).toBeGreaterThanOrEqual(0);
        expect(pointsFor(amount + extra, 2, tier)).toBeGreaterThanOrEqual(points);
      }),
    );
  });
});

describe('stage as of a date', () => {
  const start = Date.parse('2026-01-01T00:00:00.000Z');

  it('follows the first matching rule, with day boundaries belonging to the later stage', () => {
    expect(stageAsOf([], start)).toBe('prospect');
    expect(stageAsOf([start], start)).toBe('new');
    expect(stageAsOf([start, start + day(1)], start + day(2))).toBe('repeat');
    expect(stageAsOf([start, start + day(100), start + day(200), start + day(300)], start + day(301))).toBe('loyal');
    expect(stageAsOf([start, start + day(100), start + day(200), start + day(300)], start + day(366))).toBe('repeat');
    expect(stageAsOf([start], start + day(90) - 1)).toBe('new');
    expect(stageAsOf([start], start + day(90))).toBe('at_risk');
    expect(stageAsOf([start], start + day(180) - 1)).toBe('at_risk');
    expect(stageAsOf([start], start + day(180))).toBe('churned');
    expect(stageAsOf([start + day(10)], start)).toBe('prospect');
  });

  it('can only change at the instants timeDrivenChangePoints names (between purchases)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 400 }), (purchaseDays, fromDay, span) => {
        const times = purchaseDays.map((d) => start + day(d));
        const from = Math.max(start + day(fromDay), Math.max(...times));
        const to = from + day(span);
        const points = new Set(timeDrivenChangePoints(times, from, to));
        for (let at = from + day(1); at <= to; at += day(1)) {
          if (stageAsOf(times, at) !== stageAsOf(times, at - day(1))) expect([...points].some((p) => p > at - day(1) && p <= at)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('decide is a pure function of state and command', () => {
  it('gives the same events for the same history and command, and never changes the state it is given', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 8 }), (purchases) => {
        const history = new History('c-p').register('2024-01-01T00:00:00.000Z');
        let at = Date.parse('2024-01-02T00:00:00.000Z');
        purchases.forEach(([amount, gapDays], i) => {
          at += day(gapDays);
          history.purchase(`p${i}`, amount, new Date(at).toISOString());
        });
        const state = fold(history.events);
        const snapshot = JSON.stringify(state);
        const command = commands.purchase('c-p', 'next', 12_345, new Date(at + day(30)).toISOString());
        expect(decide(command, state, NOW)).toEqual(decide(command, fold(history.events), NOW));
        expect(JSON.stringify(state)).toBe(snapshot);
      }),
      { numRuns: 200 },
    );
  });
});
