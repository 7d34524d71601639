import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const registered = () => new History(C).register('2026-01-01T00:00:00.000Z');

describe('RecordPurchase', () => {
  it('appends PurchaseRecorded, PointsEarned and the first stage change atomically', () => {
    given(registered().events).when(commands.purchase(C, 'p1', 10099, '2026-02-01T10:00:00.000Z')).then([
      { type: 'PurchaseRecorded', data: { customerId: C, purchaseId: 'p1', amount: 10099, currency: 'CNY', exchangeRate: '1', baseAmount: 10099, outletId: 'outlet-1', items: [], occurredAt: '2026-02-01T10:00:00.000Z' } },
      { type: 'PointsEarned', data: { customerId: C, purchaseId: 'p1', points: 100, tier: 'standard', multiplier: 1, expiresAt: '2027-02-01T10:00:00.000Z', occurredAt: '2026-02-01T10:00:00.000Z' } },
      { type: 'LifecycleStageChanged', data: { customerId: C, from: 'prospect', to: 'new', reason: 'purchase', occurredAt: '2026-02-01T10:00:00.000Z' } },
    ]);
  });

  it('earns floor(major units x 1.25) at silver: 100.99 -> 126 points', () => {
    const silver = registered().run(commands.changeTier(C, 'silver', '2026-01-02T00:00:00.000Z')).events;
    const earned = given(silver).when(commands.purchase(C, 'p1', 10099, '2026-02-01T00:00:00.000Z')).events().find((e) => e.type === 'PointsEarned');
    expect(earned?.data).toMatchObject({ points: 126, tier: 'silver', multiplier: 1.25 });
  });

  it('earns floor(major units x 1.5) at gold: 100.99 -> 151 points', () => {
    const gold = registered().run(commands.changeTier(C, 'gold', '2026-01-02T00:00:00.000Z')).events;
    const earned = given(gold).when(commands.purchase(C, 'p1', 10099, '2026-02-01T00:00:00.000Z')).events().find((e) => e.type === 'PointsEarned');
    expect(earned?.data).toMatchObject({ points: 151, tier: 'gold', multiplier: 1.5 });
  });

  it('earns at the tier held before the purchase, even when the purchase upgrades the tier', () => {
    const events = given(registered().events).when(commands.purchase(C, 'p1', 350_000, '2026-02-01T00:00:00.000Z')).events();
    expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PointsEarned', 'TierChanged', 'LifecycleStageChanged']);
    expect(events[1].data).toMatchObject({ points: 3500, tier: 'standard' });
    expect(events[2].data).toMatchObject({ from: 'standard', to: 'silver', trigger: 'spend', rollingSpend: 350_000 });
  });

  it('appends no PointsEarned for a purchase under one major unit', () => {
    expect(given(registered().events).when(commands.purchase(C, 'p1', 99, '2026-02-01T00:00:00.000Z')).events().map((e) => e.type)).toEqual(['PurchaseRecorded', 'LifecycleStageChanged']);
  });

  it('counts a foreign purchase in the base currency, by the currency\'s own exponent: 300 000 JPY at 0.0482 = 14 460.00 CNY, 1.000 KWD at 23.5 = 23.50 CNY', () => {
    const jpy = given(registered().events).when(commands.purchase(C, 'p1', 300000, '2026-02-01T00:00:00.000Z', 'JPY', '0.0482')).events();
    expect(jpy.find((e) => e.type === 'PurchaseRecorded')?.data).toMatchObject({ amount: 300000, currency: 'JPY', exchangeRate: '0.0482', baseAmount: 1446000 });
    expect(jpy.find((e) => e.type === 'PointsEarned')?.data).toMatchObject({ points: 14460 });
    const kwd = given(registered().events).when(commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z', 'KWD', '23.5')).events();
    expect(kwd.find((e) => e.type === 'PurchaseRecorded')?.data).toMatchObject({ baseAmount: 2350 });
    expect(kwd.find((e) => e.type === 'PointsEarned')?.data).toMatchObject({ points: 23 });
  });

  it('refuses non-positive and non-integer amounts, and a currency that is not an ISO code', () => {
    for (const amount of [0, -100, 10.5, Number.MAX_SAFE_INTEGER + 2]) given(registered().events).when(commands.purchase(C, 'p1', amount, '2026-02-01T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'amount');
    given(registered().events).when(commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z', 'cny')).thenFails('VALIDATION_FAILED', 'currency');
  });

  it('refuses line items with a non-positive quantity or a negative amount', () => {
    const command = commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z');
    if (command.type !== 'RecordPurchase') throw new Error('unexpected command');
    given(registered().events).when({ ...command, data: { ...command.data, items: [{ sku: 'a', quantity: 0, amount: 1000 }] } }).thenFails('VALIDATION_FAILED', 'items.0.quantity');
    given(registered().events).when({ ...command, data: { ...command.data, items: [{ sku: 'a', quantity: 1, amount: -1 }] } }).thenFails('VALIDATION_FAILED', 'items.0.amount');
  });

  it('appends nothing for a purchase id re-sent with the same payload, and refuses it with another amount', () => {
    const history = registered().purchase('p1', 1000, '2026-02-01T00:00:00.000Z').events;
    given(history).when(commands.purchase(C, 'p1', 1000, '2026-02-01T00:00:00.000Z')).then([]);
    given(history).when(commands.purchase(C, 'p1', 2000, '2026-02-01T00:00:00.000Z')).thenFails('DUPLICATE_PURCHASE');
  });
});
