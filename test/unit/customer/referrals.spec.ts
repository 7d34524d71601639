/** Referrals: one referrer per customer before the first purchase, qualification once, one reward per referred customer. */
import type { CustomerCommand } from '../../../src/customer/commands';
import type { CustomerEvent } from '../../../src/customer/events';
import { evolve, fold } from '../../../src/customer/evolve';
import { REFERRAL_REWARD_POINTS } from '../../../src/customer/policies/referrals';
import { commands, given, History, loyaltyCommands as loyalty, NOW } from '../../support/decider-spec';

const X = 'x-1';
const R = 'r-1';
const refer = (customerId: string, referrerId: string, occurredAt = '2026-02-01T00:00:00.000Z'): CustomerCommand => ({ type: 'ReferCustomer', data: { customerId, referrerId, occurredAt } });
const reward = (customerId: string, referredCustomerId: string, purchaseId: string, occurredAt: string): CustomerCommand => ({ type: 'RewardReferral', data: { customerId, referredCustomerId, purchaseId, occurredAt } });
const ofType = <T extends CustomerEvent['type']>(events: CustomerEvent[], type: T) => events.filter((e) => e.type === type).map((e) => e.data as Extract<CustomerEvent, { type: T }>['data']);

const referred = () => new History(X).register('2026-01-01T00:00:00.000Z');
const referrer = () => new History(R).register('2026-01-01T00:00:00.000Z');

describe('ReferCustomer (on the referred customer\'s stream)', () => {
  it('records who referred the customer', () => {
    given(referred().events).when(refer(X, R)).then([{ type: 'CustomerReferred', data: { customerId: X, referrerId: R, occurredAt: '2026-02-01T00:00:00.000Z' } }]);
  });

  it('refuses a self-referral with SELF_REFERRAL', () => {
    given(referred().events).when(refer(X, X)).thenFails('SELF_REFERRAL', 'referredCustomerId');
  });

  it('refuses a second, different referrer with REFERRAL_EXISTS; the same referrer again appends nothing', () => {
    const events = referred().run(refer(X, R)).events;
    given(events).when(refer(X, 'r-2', '2026-02-02T00:00:00.000Z')).thenFails('REFERRAL_EXISTS');
    given(events).when(refer(X, R, '2026-02-02T00:00:00.000Z')).then([]);
  });

  it('refuses a customer who has purchased already with REFERRAL_NOT_ELIGIBLE', () => {
    given(referred().purchase('p1', 10_000, '2026-01-15T00:00:00.000Z').events).when(refer(X, R)).thenFails('REFERRAL_NOT_ELIGIBLE');
  });

  it('the same referrer again is still nothing to do after the purchase (a retried request), not REFERRAL_NOT_ELIGIBLE', () => {
    const events = referred().run(refer(X, R)).purchase('p1', 10_000, '2026-02-10T00:00:00.000Z').events;
    given(events).when(refer(X, R, '2026-02-11T00:00:00.000Z')).then([]);
  });

  it('refuses a customer who is not registered with CUSTOMER_NOT_FOUND', () => {
    given([]).when(refer(X, R)).thenFails('CUSTOMER_NOT_FOUND');
  });
});

describe('ReferralQualified (a consequence of the first purchase after the referral)', () => {
  it('is appended with the first purchase, after its points, dated at the purchase', () => {
    const events = given(referred().run(refer(X, R)).events).when(commands.purchase(X, 'p1', 10_000, '2026-02-10T00:00:00.000Z')).events();
    expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PointsEarned', 'LifecycleStageChanged', 'ReferralQualified']);
    expect(ofType(events, 'ReferralQualified')).toEqual([{ customerId: X, referrerId: R, purchaseId: 'p1', occurredAt: '2026-02-10T00:00:00.000Z' }]);
  });

  it('is appended once per referral: a second purchase qualifies nothing', () => {
    const events = referred().run(refer(X, R)).purchase('p1', 10_000, '2026-02-10T00:00:00.000Z').events;
    expect(ofType(given(events).when(commands.purchase(X, 'p2', 10_000, '2026-02-11T00:00:00.000Z')).events(), 'ReferralQualified')).toEqual([]);
  });

  it('a re-sent first purchase appends nothing, so no second qualification either', () => {
    const events = referred().run(refer(X, R)).purchase('p1', 10_000, '2026-02-10T00:00:00.000Z').events;
    given(events).when(commands.purchase(X, 'p1', 10_000, '2026-02-10T00:00:00.000Z')).then([]);
  });

  it('a late purchase is qualified at the customer\'s clock (consequenceTime)', () => {
    const events = referred().run(refer(X, R, '2026-03-01T00:00:00.000Z')).events;
    expect(ofType(given(events).when(commands.purchase(X, 'p1', 10_000, '2026-02-10T00:00:00.000Z')).events(), 'ReferralQualified')[0].occurredAt).toBe('2026-03-01T00:00:00.000Z');
  });

  it('a customer without a referral never qualifies', () => {
    expect(ofType(given(referred().events).when(commands.purchase(X, 'p1', 10_000, '2026-02-10T00:00:00.000Z')).events(), 'ReferralQualified')).toEqual([]);
  });
});

describe('RewardReferral (on the referrer\'s stream, sent by the process manager)', () => {
  const rewarded = (at = '2026-02-10T00:00:00.000Z') => ({
    type: 'ReferralRewarded' as const,
    data: { customerId: R, referredCustomerId: X, purchaseId: 'p1', points: REFERRAL_REWARD_POINTS, lotId: `referral:${X}`, expiresAt: '2027-02-10T00:00:00.000Z', occurredAt: at },
  });

  it(`rewards ${REFERRAL_REWARD_POINTS} points as a lot of its own, valid a year`, () => {
    expect(REFERRAL_REWARD_POINTS).toBe(200);
    given(referrer().events).when(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z')).then([rewarded()]);
  });

  it('is idempotent by referred customer: a second reward for the same customer appends nothing', () => {
    const events = referrer().run(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z')).events;
    given(events).when(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z')).then([]);
    given(events).when(reward(R, X, 'p9', '2026-03-10T00:00:00.000Z')).then([]);
    expect(ofType(given(events).when(reward(R, 'x-2', 'q1', '2026-03-10T00:00:00.000Z')).events(), 'ReferralRewarded')).toHaveLength(1);
  });

  it('is not refused when the referrer\'s clock is far ahead (late-arrival rule): dated at the referrer\'s clock', () => {
    const ahead = referrer().purchase('own', 10_000, '2026-09-01T00:00:00.000Z').events;
    const events = given(ahead).when(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z')).events();
    expect(events).toEqual([{ ...rewarded('2026-09-01T00:00:00.000Z'), data: { ...rewarded('2026-09-01T00:00:00.000Z').data, expiresAt: '2027-09-01T00:00:00.000Z' } }]);
  });

  it('is not refused when the qualifying purchase predates the referrer\'s registration', () => {
    const late = new History(R).register('2026-05-01T00:00:00.000Z').events;
    expect(ofType(given(late).when(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z')).events(), 'ReferralRewarded')[0].occurredAt).toBe('2026-05-01T00:00:00.000Z');
  });

  it('is not refused when dated past the future bound of this host\'s clock (the writer\'s clock may run ahead of the process manager\'s)', () => {
    const ahead = new Date(NOW.getTime() + 10 * 60_000).toISOString();
    expect(ofType(given(referrer().events).when(reward(R, X, 'p1', ahead)).events(), 'ReferralRewarded')[0].occurredAt).toBe(ahead);
    // Other commands keep the bound.
    given(referrer().events).when(commands.purchase(R, 'own', 10_000, ahead)).thenFails('VALIDATION_FAILED', 'occurredAt');
  });

  it('refuses a referrer who is not registered with CUSTOMER_NOT_FOUND', () => {
    given([]).when(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z')).thenFails('CUSTOMER_NOT_FOUND');
  });

  it('refuses a reward for referring oneself', () => {
    given(referrer().events).when(reward(R, R, 'p1', '2026-02-10T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'referredCustomerId');
  });

  it('the lot is spent FIFO by expiry, counted in lifetimeEarned, and expires like any other', () => {
    const history = referrer().purchase('own', 10_000, '2026-01-15T00:00:00.000Z').run(reward(R, X, 'p1', '2026-02-10T00:00:00.000Z'));
    const state = fold(history.events);
    expect(state.loyalty).toMatchObject({ balance: 300, lifetimeEarned: 300, lots: [{ lotId: 'own', remaining: 100 }, { lotId: `referral:${X}`, remaining: 200, expiresAt: '2027-02-10T00:00:00.000Z' }] });
    expect(ofType(given(history.events).when(loyalty.redeem(R, 'rd1', 150, '2026-03-01T00:00:00.000Z')).events(), 'PointsRedeemed')[0].lots).toEqual([{ lotId: 'own', points: 100 }, { lotId: `referral:${X}`, points: 50 }]);
    const due = given(history.events).when(commands.evaluate(R, '2027-02-11T00:00:00.000Z')).events();
    expect(ofType(due, 'PointsExpired')).toEqual([
      { customerId: R, lotId: 'own', points: 100, occurredAt: '2027-01-15T00:00:00.000Z' },
      { customerId: R, lotId: `referral:${X}`, points: 200, occurredAt: '2027-02-10T00:00:00.000Z' },
    ]);
  });

  it('a state folded before referrals existed (no referral slice) still evolves referral events', () => {
    const state = fold(referrer().events) as unknown as Record<string, unknown>;
    delete state.referral;
    const next = evolve(state as never, rewarded());
    expect(next.referral.rewarded).toEqual({ [X]: 'p1' });
  });
});
