/** The points ledger and tiers: lots, redemption, expiry, refunds, adjustments, review and lock. */
import type { CustomerEvent } from '../../../src/customer/events';
import { fold } from '../../../src/customer/evolve';
import { commands, given, History, loyaltyCommands as loyalty } from '../../support/decider-spec';

const C = 'c-1';
const registered = () => new History(C).register('2026-01-01T00:00:00.000Z');
const ofType = <T extends CustomerEvent['type']>(events: CustomerEvent[], type: T) => events.filter((e) => e.type === type).map((e) => e.data as Extract<CustomerEvent, { type: T }>['data']);
/** 100 points on 1 Feb (expires 1 Feb 2027), 200 on 1 Mar (expires 1 Mar 2027). */
const twoLots = () => registered().purchase('p1', 10_000, '2026-02-01T00:00:00.000Z').purchase('p2', 20_000, '2026-03-01T00:00:00.000Z');

describe('redemption', () => {
  it('takes from the lots that expire first (FIFO) and lists them', () => {
    given(twoLots().events).when(loyalty.redeem(C, 'r1', 150, '2026-04-01T00:00:00.000Z')).then([
      { type: 'PointsRedeemed', data: { customerId: C, redemptionId: 'r1', points: 150, reason: 'voucher', outletId: null, lots: [{ lotId: 'p1', points: 100 }, { lotId: 'p2', points: 50 }], occurredAt: '2026-04-01T00:00:00.000Z' } },
    ]);
  });

  it('refuses more than the balance with INSUFFICIENT_POINTS and says what is available', () => {
    const run = () => given(twoLots().events).when(loyalty.redeem(C, 'r1', 301, '2026-04-01T00:00:00.000Z'));
    run().thenFails('INSUFFICIENT_POINTS', 'points');
    try {
      run().events();
    } catch (error) {
      expect((error as { details: unknown }).details).toEqual({ available: 300 });
    }
  });

  it('is idempotent by redemptionId: same body appends nothing, another is DUPLICATE_REDEMPTION', () => {
    const redeemed = twoLots().run(loyalty.redeem(C, 'r1', 10, '2026-04-01T00:00:00.000Z')).events;
    given(redeemed).when(loyalty.redeem(C, 'r1', 10, '2026-04-02T00:00:00.000Z')).then([]);
    given(redeemed).when(loyalty.redeem(C, 'r1', 11, '2026-04-02T00:00:00.000Z')).thenFails('DUPLICATE_REDEMPTION');
  });

  it('never spends expired points: the lot expires first, in the same append, dated at its expiresAt', () => {
    const events = given(twoLots().events).when(loyalty.redeem(C, 'r1', 200, '2027-02-15T00:00:00.000Z')).events();
    // (Stage changes for the months without purchases come due too, each at its own instant.)
    expect(ofType(events, 'PointsExpired')).toEqual([{ customerId: C, lotId: 'p1', points: 100, occurredAt: '2027-02-01T00:00:00.000Z' }]);
    expect(events.findIndex((e) => e.type === 'PointsExpired')).toBeLessThan(events.findIndex((e) => e.type === 'PointsRedeemed'));
    // Only p2's 200 are left.
    given(twoLots().events).when(loyalty.redeem(C, 'r1', 250, '2027-02-15T00:00:00.000Z')).thenFails('INSUFFICIENT_POINTS');
    expect(ofType(given(twoLots().events).when(loyalty.redeem(C, 'r1', 200, '2027-02-15T00:00:00.000Z')).events(), 'PointsRedeemed')[0].lots).toEqual([{ lotId: 'p2', points: 200 }]);
  });
});

describe('expiry by evaluation', () => {
  it('expires what is left of each lot at its expiresAt, in time order, once', () => {
    const spent = twoLots().run(loyalty.redeem(C, 'r1', 30, '2026-04-01T00:00:00.000Z')).events;
    const due = given(spent).when(commands.evaluate(C, '2027-03-02T00:00:00.000Z')).events();
    expect(ofType(due, 'PointsExpired')).toEqual([
      { customerId: C, lotId: 'p1', points: 70, occurredAt: '2027-02-01T00:00:00.000Z' },
      { customerId: C, lotId: 'p2', points: 200, occurredAt: '2027-03-01T00:00:00.000Z' },
    ]);
    expect(fold([...spent, ...due]).loyalty).toMatchObject({ balance: 0, lifetimeExpired: 270, lots: [] });
    given([...spent, ...due]).when(commands.evaluate(C, '2027-03-02T00:00:00.000Z')).then([]);
  });
});

describe('refunds', () => {
  it('records the refund net in the base currency and reverses points in proportion, from the purchase\'s own lot first', () => {
    const events = given(twoLots().events).when(loyalty.refund(C, 'p2', 'rf1', 5_000, '2026-04-01T00:00:00.000Z')).events();
    expect(events).toEqual([
      { type: 'PurchaseRefunded', data: { customerId: C, purchaseId: 'p2', refundId: 'rf1', amount: 5_000, baseAmount: 5_000, reason: 'returned', occurredAt: '2026-04-01T00:00:00.000Z' } },
      { type: 'PointsReversed', data: { customerId: C, purchaseId: 'p2', refundId: 'rf1', points: 50, unrecovered: 0, lots: [{ lotId: 'p2', points: 50 }], occurredAt: '2026-04-01T00:00:00.000Z' } },
    ]);
  });

  it('reverses target − already reversed: two halves reverse 100 in all (floor of the cumulative share)', () => {
    const half = twoLots().run(loyalty.refund(C, 'p1', 'rf1', 3_333, '2026-04-01T00:00:00.000Z')).events;
    expect(ofType(half, 'PointsReversed')[0].points).toBe(33);
    const rest = given(half).when(loyalty.refund(C, 'p1', 'rf2', 6_667, '2026-04-02T00:00:00.000Z')).events();
    expect(ofType(rest, 'PointsReversed')[0].points).toBe(67);
    expect(fold([...half, ...rest]).purchases[0]).toMatchObject({ refundedAmount: 10_000, refundedBase: 10_000, pointsReversed: 100 });
  });

  it('takes from other lots FIFO when the purchase\'s lot was spent, and records what the balance cannot cover as unrecovered', () => {
    const spent = twoLots().run(loyalty.redeem(C, 'r1', 280, '2026-04-01T00:00:00.000Z')).events; // p1: 0, p2: 20 left
    const events = given(spent).when(loyalty.refund(C, 'p1', 'rf1', 10_000, '2026-04-02T00:00:00.000Z')).events();
    expect(ofType(events, 'PointsReversed')[0]).toMatchObject({ points: 20, unrecovered: 80, lots: [{ lotId: 'p2', points: 20 }] });
    expect(fold([...spent, ...events]).loyalty.balance).toBe(0);
  });

  it('refuses a refund above what is left (REFUND_EXCEEDS_PURCHASE), an unknown purchase (PURCHASE_NOT_FOUND), a re-used id (DUPLICATE_REFUND)', () => {
    const refunded = twoLots().run(loyalty.refund(C, 'p1', 'rf1', 6_000, '2026-04-01T00:00:00.000Z')).events;
    given(refunded).when(loyalty.refund(C, 'p1', 'rf2', 4_001, '2026-04-02T00:00:00.000Z')).thenFails('REFUND_EXCEEDS_PURCHASE', 'amount');
    given(refunded).when(loyalty.refund(C, 'nope', 'rf2', 1, '2026-04-02T00:00:00.000Z')).thenFails('PURCHASE_NOT_FOUND');
    given(refunded).when(loyalty.refund(C, 'p1', 'rf1', 6_000, '2026-04-05T00:00:00.000Z')).then([]);
    given(refunded).when(loyalty.refund(C, 'p1', 'rf1', 5_000, '2026-04-05T00:00:00.000Z')).thenFails('DUPLICATE_REFUND');
  });

  it('makes spend net: a refund counts against its purchase\'s date in the rolling spend', () => {
    const history = registered().purchase('p1', 250_000, '2026-02-01T00:00:00.000Z').run(loyalty.refund(C, 'p1', 'rf1', 100_000, '2026-02-02T00:00:00.000Z'));
    // 150 000 net + 100 000 = 250 000 < 300 000: no upgrade.
    expect(ofType(given(history.events).when(commands.purchase(C, 'p2', 100_000, '2026-03-01T00:00:00.000Z')).events(), 'TierChanged')).toEqual([]);
    expect(ofType(given(history.events).when(commands.purchase(C, 'p2', 150_000, '2026-03-01T00:00:00.000Z')).events(), 'TierChanged')[0]).toMatchObject({ to: 'silver', rollingSpend: 300_000 });
  });
});

describe('adjustments', () => {
  it('opens a lot for positive points and takes FIFO for negative ones, never below zero; a reason is required', () => {
    given(twoLots().events).when(loyalty.adjust(C, 'a1', 50, '2026-04-01T00:00:00.000Z')).then([
      { type: 'PointsAdjusted', data: { customerId: C, adjustmentId: 'a1', points: 50, reason: 'goodwill', lotId: 'adjustment:a1', expiresAt: '2027-04-01T00:00:00.000Z', lots: [], occurredAt: '2026-04-01T00:00:00.000Z' } },
    ]);
    expect(ofType(given(twoLots().events).when(loyalty.adjust(C, 'a1', -120, '2026-04-01T00:00:00.000Z')).events(), 'PointsAdjusted')[0].lots).toEqual([{ lotId: 'p1', points: 100 }, { lotId: 'p2', points: 20 }]);
    given(twoLots().events).when(loyalty.adjust(C, 'a1', -301, '2026-04-01T00:00:00.000Z')).thenFails('INSUFFICIENT_POINTS');
    given(twoLots().events).when(loyalty.adjust(C, 'a1', 10, '2026-04-01T00:00:00.000Z', '  ')).thenFails('VALIDATION_FAILED', 'reason');
    given(twoLots().events).when(loyalty.adjust(C, 'a1', 0, '2026-04-01T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'points');
    const adjusted = twoLots().run(loyalty.adjust(C, 'a1', 10, '2026-04-01T00:00:00.000Z')).events;
    given(adjusted).when(loyalty.adjust(C, 'a1', 10, '2026-04-02T00:00:00.000Z')).then([]);
    given(adjusted).when(loyalty.adjust(C, 'a1', 11, '2026-04-02T00:00:00.000Z')).thenFails('DUPLICATE_ADJUSTMENT');
  });
});

describe('tier review and lock', () => {
  const silver = () => registered().purchase('p1', 300_000, '2026-02-01T00:00:00.000Z');

  it('reviews silver on its anniversary: down one level when the spend qualifies lower', () => {
    const due = given(silver().events).when(commands.evaluate(C, '2027-02-02T00:00:00.000Z')).events();
    expect(ofType(due, 'TierChanged')).toEqual([
      { customerId: C, from: 'silver', to: 'standard', reason: 'anniversary review: rolling 12-month spend below the threshold', trigger: 'review', rollingSpend: 0, lockedUntil: null, occurredAt: '2027-02-01T00:00:00.000Z' },
    ]);
  });

  it('keeps the tier when the spend still qualifies (TierReviewed with the next review), and drops gold only one level', () => {
    const kept = silver().purchase('p2', 300_000, '2026-12-01T00:00:00.000Z').events;
    expect(ofType(given(kept).when(commands.evaluate(C, '2027-02-02T00:00:00.000Z')).events(), 'TierReviewed')).toEqual([
      { customerId: C, tier: 'silver', rollingSpend: 300_000, nextReviewAt: '2028-02-01T00:00:00.000Z', occurredAt: '2027-02-01T00:00:00.000Z' },
    ]);
    const gold = registered().purchase('p1', 1_000_000, '2026-02-01T00:00:00.000Z').events;
    expect(ofType(given(gold).when(commands.evaluate(C, '2027-02-02T00:00:00.000Z')).events(), 'TierChanged')[0]).toMatchObject({ from: 'gold', to: 'silver', trigger: 'review' });
  });

  it('locks a manual change until lockedUntil (default a year): no upgrade and no downgrade before it', () => {
    const manual = registered().run(loyalty.changeTier(C, 'silver', '2026-02-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z')).events;
    expect(ofType(manual, 'TierChanged')[0]).toMatchObject({ trigger: 'manual', lockedUntil: '2027-06-01T00:00:00.000Z' });
    expect(ofType(given(manual).when(commands.purchase(C, 'p1', 2_000_000, '2026-03-01T00:00:00.000Z')).events(), 'TierChanged')).toEqual([]);
    // The review on 1 Feb 2027 falls inside the lock: kept.
    const reviewed = given(manual).when(commands.evaluate(C, '2027-02-02T00:00:00.000Z')).events();
    expect(reviewed.map((e) => e.type)).toEqual(['TierReviewed']);
    expect(ofType(registered().run(loyalty.changeTier(C, 'gold', '2026-02-01T00:00:00.000Z')).events, 'TierChanged')[0].lockedUntil).toBe('2027-02-01T00:00:00.000Z');
    given(registered().events).when(loyalty.changeTier(C, 'gold', '2026-02-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'lockedUntil');
  });

  it('answers the same tier again with nothing to append, and never reviews standard', () => {
    given(silver().events).when(loyalty.changeTier(C, 'silver', '2026-03-01T00:00:00.000Z')).then([]);
    given(registered().events).when(commands.evaluate(C, '2030-01-01T00:00:00.000Z')).then([]);
  });
});
