/**
 * The first wave's rule defects, one spec each (numbered as found): time, money and lifecycle
 * rules a user and an auditor can trust.
 */
import type { CustomerEvent } from '../../../src/customer/events';
import { fold } from '../../../src/customer/evolve';
import { parseInstant } from '../../../src/customer/time';
import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const registered = () => new History(C).register('2026-01-01T00:00:00.000Z');
const ofType = <T extends CustomerEvent['type']>(events: CustomerEvent[], type: T) => events.filter((e) => e.type === type).map((e) => e.data as Extract<CustomerEvent, { type: T }>['data']);

describe('1. one strict instant grammar (RFC 3339)', () => {
  it.each(['2026-W48', '2026-328', '2026-W48-1', '2024-03-01T10:00:00', '2026-02-30T00:00:00Z', '1960-01-01T00:00:00Z', '2026-11-24', '2026-11', '2026', '20261124T100000Z', '2026-11-24T24:00:00Z', '2026-11-24T10:00:00.1234Z', '2026-11-24T10:00:00+25:00', '2026-11-24 10:00:00Z', '10000-01-01T00:00:00Z'])(
    'refuses %s',
    (text) => expect(parseInstant(text)).toBeNull(),
  );

  it('accepts Z and offsets and stores UTC with milliseconds', () => {
    expect(parseInstant('2026-11-24T10:00:00Z')).toBe('2026-11-24T10:00:00.000Z');
    expect(parseInstant('2026-11-24T18:00:00.5+08:00')).toBe('2026-11-24T10:00:00.500Z');
    expect(parseInstant('2024-02-29T23:59:59.999-00:30')).toBe('2024-03-01T00:29:59.999Z');
    expect(parseInstant('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('3. late-arriving facts: consequences are dated at the customer clock', () => {
  // The customer bought on 1 Jan and 1 Mar; a visit on 1 May set the clock; a till syncs a purchase from 1 Apr.
  const history = () => registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z').purchase('p2', 1000, '2026-03-01T00:00:00.000Z').run(commands.visit(C, 'v1', '2026-05-01T00:00:00.000Z')).events;

  it('keeps the late purchase at its own occurredAt and dates the stage change at the clock', () => {
    const events = given(history()).when(commands.purchase(C, 'p3', 1000, '2026-04-01T00:00:00.000Z')).events();
    expect(ofType(events, 'PurchaseRecorded')[0].occurredAt).toBe('2026-04-01T00:00:00.000Z');
    expect(ofType(events, 'PointsEarned')[0]).toMatchObject({ occurredAt: '2026-05-01T00:00:00.000Z', expiresAt: '2027-04-01T00:00:00.000Z' });
    const recorded = history();
    const latest = recorded.map((e) => e.data.occurredAt).sort().at(-1) as string;
    for (const event of events.filter((e) => e.type !== 'PurchaseRecorded')) expect(event.data.occurredAt >= latest).toBe(true);
  });

  it('dates an upgrade caused by a late purchase at the clock, and tierSince never moves backwards', () => {
    const events = given(history()).when(commands.purchase(C, 'p3', 400_000, '2026-04-01T00:00:00.000Z')).events();
    expect(ofType(events, 'TierChanged')).toEqual([expect.objectContaining({ from: 'standard', to: 'silver', occurredAt: '2026-05-01T00:00:00.000Z' })]);
    const state = fold([...history(), ...events]);
    expect(state.loyalty.tierSince).toBe('2026-05-01T00:00:00.000Z');
  });

  it('evaluates nothing twice after a late purchase (no phantom stage changes)', () => {
    const events = [...history(), ...given(history()).when(commands.purchase(C, 'p3', 1000, '2026-04-01T00:00:00.000Z')).events()];
    const evaluated = given(events).when(commands.evaluate(C, '2026-06-01T00:00:00.000Z')).events();
    expect(evaluated).toEqual([]);
    const later = given(events).when(commands.evaluate(C, '2026-07-01T00:00:00.000Z')).events();
    // At risk 90 days after the late purchase (the latest one), exactly once.
    expect(ofType(later, 'LifecycleStageChanged')).toEqual([{ customerId: C, from: 'repeat', to: 'at_risk', reason: 'inactivity', occurredAt: '2026-06-30T00:00:00.000Z' }]);
    expect(given([...events, ...later]).when(commands.evaluate(C, '2026-07-01T00:00:00.000Z')).events()).toEqual([]);
  });

  it('refuses a fact more than 90 days behind the customer clock (OCCURRED_AT_TOO_OLD)', () => {
    given(history()).when(commands.purchase(C, 'p3', 1000, '2026-01-30T23:59:59.999Z')).thenFails('OCCURRED_AT_TOO_OLD', 'occurredAt');
    expect(given(history()).when(commands.purchase(C, 'p3', 1000, '2026-01-31T00:00:00.000Z')).events().length).toBeGreaterThan(0);
  });
});

describe('4. won_back only from a lapsed stage to an active one', () => {
  it('is not recorded when a late purchase moves a churned customer to at_risk', () => {
    // Churned on 30 Jun (180 days after 1 Jan); clock 1 Aug; a purchase from 1 May (92 days before) arrives late.
    const churned = registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z').run(commands.evaluate(C, '2026-07-25T00:00:00.000Z')).run(commands.visit(C, 'v1', '2026-07-25T00:00:00.000Z')).events;
    expect(fold(churned).lifecycle.stage).toBe('churned');
    const events = given(churned).when(commands.purchase(C, 'p2', 1000, '2026-04-26T00:00:00.000Z')).events();
    expect(ofType(events, 'LifecycleStageChanged')).toEqual([{ customerId: C, from: 'churned', to: 'at_risk', reason: 'purchase', occurredAt: '2026-07-25T00:00:00.000Z' }]);
  });
});

describe('5. money in one base currency', () => {
  it('counts JPY by its own exponent and the exchange rate: 300 000 JPY at 0.0482 CNY is 14 460.00 CNY toward tiers', () => {
    const events = given(registered().events).when(commands.purchase(C, 'p1', 300_000, '2026-02-01T00:00:00.000Z', 'JPY', '0.0482')).events();
    expect(ofType(events, 'PurchaseRecorded')[0]).toMatchObject({ baseAmount: 1_446_000 });
    expect(ofType(events, 'TierChanged')[0]).toMatchObject({ to: 'gold', rollingSpend: 1_446_000 });
  });

  it('needs an exchange rate for another currency (EXCHANGE_RATE_REQUIRED) and refuses unknown codes', () => {
    given(registered().events).when(commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z', 'USD')).thenFails('EXCHANGE_RATE_REQUIRED', 'exchangeRate');
    given(registered().events).when(commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z', 'ZZZ', '1')).thenFails('VALIDATION_FAILED', 'currency');
    given(registered().events).when(commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z', 'CNY', '7.1')).thenFails('VALIDATION_FAILED', 'exchangeRate');
  });

  it('rounds the base amount half to even', () => {
    const at = (amount: number, rate: string) => ofType(given(registered().events).when(commands.purchase(C, 'p1', amount, '2026-02-01T00:00:00.000Z', 'USD', rate)).events(), 'PurchaseRecorded')[0].baseAmount;
    expect(at(1, '0.5')).toBe(0); // 0.5 fen → 0 (even)
    expect(at(3, '0.5')).toBe(2); // 1.5 fen → 2 (even)
    expect(at(5, '0.5')).toBe(2); // 2.5 fen → 2 (even)
    expect(at(101, '7.1234')).toBe(719); // 719.4634 fen
  });
});

describe('6. every command that carries its own id is idempotent by it', () => {
  it('answers a re-sent identical resolution with nothing to append', () => {
    const resolved = registered().run(commands.fileComplaint(C, 'k1', '2026-02-01T00:00:00.000Z')).run(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z')).events;
    given(resolved).when(commands.resolveComplaint(C, 'k1', '2026-02-05T00:00:00.000Z')).then([]);
  });
});

describe('7. line items add up to the amount', () => {
  it('refuses items whose line totals do not add up, naming items', () => {
    const withItems = (amount: number, items: { sku: string; quantity: number; amount: number }[]) => {
      const command = commands.purchase(C, 'p1', amount, '2026-02-01T00:00:00.000Z');
      return { ...command, data: { ...command.data, items } } as typeof command;
    };
    given(registered().events).when(withItems(1000, [{ sku: 'a', quantity: 2, amount: 600 }, { sku: 'b', quantity: 1, amount: 300 }])).thenFails('VALIDATION_FAILED', 'items');
    expect(given(registered().events).when(withItems(900, [{ sku: 'a', quantity: 2, amount: 600 }, { sku: 'b', quantity: 1, amount: 300 }])).events()[0].type).toBe('PurchaseRecorded');
  });
});
