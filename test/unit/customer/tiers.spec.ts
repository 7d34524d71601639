import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const registered = () => new History(C).register('2025-01-01T00:00:00.000Z');
const tierChange = (events: { type: string; data: unknown }[]) => events.find((e) => e.type === 'TierChanged')?.data;

describe('tiers by rolling 12-month spend', () => {
  it('upgrades standard -> silver inside the purchase that makes the spend reach 3 000.00', () => {
    const history = registered().purchase('p1', 200_000, '2026-01-01T00:00:00.000Z').events;
    expect(tierChange(given(history).when(commands.purchase(C, 'p2', 99_999, '2026-02-01T00:00:00.000Z')).events())).toBeUndefined();
    expect(tierChange(given(history).when(commands.purchase(C, 'p2', 100_000, '2026-02-01T00:00:00.000Z')).events())).toEqual({
      customerId: C, from: 'standard', to: 'silver', reason: 'rolling 12-month spend reached the threshold', trigger: 'spend', rollingSpend: 300_000, lockedUntil: null, occurredAt: '2026-02-01T00:00:00.000Z',
    });
  });

  it('upgrades silver -> gold at 10 000.00, and straight from standard when one purchase crosses both', () => {
    const silver = registered().purchase('p1', 300_000, '2026-01-01T00:00:00.000Z').events;
    expect(tierChange(given(silver).when(commands.purchase(C, 'p2', 700_000, '2026-02-01T00:00:00.000Z')).events())).toMatchObject({ from: 'silver', to: 'gold', rollingSpend: 1_000_000 });
    expect(tierChange(given(registered().events).when(commands.purchase(C, 'p1', 1_000_000, '2026-02-01T00:00:00.000Z')).events())).toMatchObject({ from: 'standard', to: 'gold' });
  });

  it('counts only the purchases of the last 365 days', () => {
    const history = registered().purchase('p1', 200_000, '2025-01-10T00:00:00.000Z').events;
    expect(tierChange(given(history).when(commands.purchase(C, 'p2', 150_000, '2026-01-10T00:00:00.000Z')).events())).toBeUndefined();
    expect(tierChange(given(history).when(commands.purchase(C, 'p2', 150_000, '2026-01-09T23:59:59.999Z')).events())).toMatchObject({ to: 'silver', rollingSpend: 350_000 });
  });

  it('never downgrades through a purchase', () => {
    const gold = registered().run(commands.changeTier(C, 'gold', '2025-02-01T00:00:00.000Z')).events;
    // Before the tier's anniversary review (a purchase on the anniversary is preceded by the review).
    expect(tierChange(given(gold).when(commands.purchase(C, 'p1', 1000, '2026-01-31T00:00:00.000Z')).events())).toBeUndefined();
  });
});

describe('ChangeTier (by hand)', () => {
  it('records the change with its reason', () => {
    given(registered().events).when(commands.changeTier(C, 'gold', '2026-01-01T00:00:00.000Z', 'VIP of the region')).then([
      { type: 'TierChanged', data: { customerId: C, from: 'standard', to: 'gold', reason: 'VIP of the region', trigger: 'manual', rollingSpend: null, lockedUntil: '2027-01-01T00:00:00.000Z', occurredAt: '2026-01-01T00:00:00.000Z' } },
    ]);
  });

  it('appends nothing when the customer already holds that tier', () => {
    given(registered().events).when(commands.changeTier(C, 'standard', '2026-01-01T00:00:00.000Z')).then([]);
  });

  it('refuses a tier that does not exist, and a change without a reason', () => {
    given(registered().events).when(commands.changeTier(C, 'platinum', '2026-01-01T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'tier');
    given(registered().events).when(commands.changeTier(C, 'gold', '2026-01-01T00:00:00.000Z', ' ')).thenFails('VALIDATION_FAILED', 'reason');
  });
});
