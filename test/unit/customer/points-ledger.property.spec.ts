/**
 * For random sequences of purchases, refunds, redemptions, adjustments and evaluations:
 * balance = Σ open lots = earned + adjusted⁺ − redeemed − expired − reversed − adjusted⁻ ≥ 0,
 * and the loyalty_balances read model equals a fold of the stream.
 */
import fc from 'fast-check';
import { loyaltyBalances } from '../../../projections/loyalty-balances.projection';
import type { CustomerCommand } from '../../../src/customer/commands';
import { decide } from '../../../src/customer/decide';
import { DomainError } from '../../../src/customer/errors';
import type { CustomerEvent } from '../../../src/customer/events';
import { evolve, fold } from '../../../src/customer/evolve';
import { DAY_MS, toIso } from '../../../src/customer/time';
import { byExpiry, openLot } from '../../../src/customer/purchases/lots';
import { initialLoyalty } from '../../../src/customer/purchases/state';
import { asRecorded, project } from '../projections/project';
import { commands, loyaltyCommands as loyalty } from '../../support/decider-spec';

const C = 'c1';
const START = Date.parse('2025-01-01T00:00:00.000Z');
const NOW = new Date('2035-01-01T00:00:00.000Z');

const action = fc.oneof(
  fc.record({ kind: fc.constant('purchase' as const), amount: fc.integer({ min: 1, max: 500_000 }) }),
  fc.record({ kind: fc.constant('refund' as const), share: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -2_000, max: 2_000 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('evaluate' as const) }),
);
const steps = fc.array(fc.record({ action, days: fc.integer({ min: 0, max: 200 }) }), { minLength: 1, maxLength: 40 });

describe('the points ledger (property)', () => {
  it('keeps balance = Σ open lots = earned + adjusted⁺ − redeemed − expired − reversed − adjusted⁻ ≥ 0, and the read model equals the fold', () => {
    fc.assert(
      fc.property(steps, (plan) => {
        const stream: CustomerEvent[] = decide(commands.register(C, toIso(START)), fold([]), NOW);
        const state = fold(stream);
        let clock = START;
        plan.forEach(({ action: a, days }, i) => {
          clock += days * DAY_MS;
          const at = toIso(clock);
          const purchases = state.purchases.filter((p) => p.refundedAmount < p.amount);
          let command: CustomerCommand;
          if (a.kind === 'purchase') command = commands.purchase(C, `p${i}`, a.amount, at);
          else if (a.kind === 'refund' && purchases.length > 0) {
            const p = purchases[i % purchases.length];
            command = loyalty.refund(C, p.purchaseId, `r${i}`, Math.max(1, Math.floor((p.amount - p.refundedAmount) * a.share)), at);
          } else if (a.kind === 'redeem') command = loyalty.redeem(C, `d${i}`, a.points, at);
          else if (a.kind === 'adjust') command = loyalty.adjust(C, `a${i}`, a.points, at);
          else command = commands.evaluate(C, at);
          let events: CustomerEvent[];
          try {
            events = decide(command, state, NOW);
          } catch (error) {
            if (error instanceof DomainError && ['INSUFFICIENT_POINTS'].includes(error.code)) return;
            throw error;
          }
          stream.push(...events);
          for (const event of events) evolve(state, event);

          const l = state.loyalty;
          const open = l.lots.reduce((sum, lot) => sum + lot.remaining, 0);
          expect(l.balance).toBe(open);
          expect(l.balance).toBe(l.lifetimeEarned + l.lifetimeAdjustedUp - l.lifetimeRedeemed - l.lifetimeExpired - l.lifetimeReversed - l.lifetimeAdjustedDown);
          expect(l.balance).toBeGreaterThanOrEqual(0);
          for (const lot of l.lots) expect(lot.remaining).toBeGreaterThan(0);
        });
        const doc = project(loyaltyBalances, asRecorded(stream));
        const l = state.loyalty;
        expect(doc).toMatchObject({
          balance: l.balance,
          lifetimeEarned: l.lifetimeEarned,
          lifetimeRedeemed: l.lifetimeRedeemed,
          lifetimeExpired: l.lifetimeExpired,
          lifetimeReversed: l.lifetimeReversed,
          lifetimeAdjusted: l.lifetimeAdjustedUp - l.lifetimeAdjustedDown,
          tier: l.tier,
          tierSince: l.tierSince,
          nextReviewAt: l.nextReviewAt,
          lots: l.lots,
        });
        expect(fold(stream)).toEqual(state);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps lots in spending order as they open: first expiring first, equal expiries oldest first (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ day: fc.integer({ min: 0, max: 30 }), points: fc.integer({ min: 1, max: 100 }) }), { maxLength: 60 }), (opened) => {
        const state = initialLoyalty();
        const lots = opened.map(({ day, points }, index) => ({ lotId: `l${index}`, remaining: points, expiresAt: toIso(START + day * DAY_MS) }));
        for (const lot of lots) openLot(state, { ...lot });
        // Array.prototype.sort is stable: the order the lots must be in.
        expect(state.lots).toEqual([...lots].sort(byExpiry));
        expect(state.balance).toBe(lots.reduce((sum, lot) => sum + lot.remaining, 0));
      }),
    );
  });
});
