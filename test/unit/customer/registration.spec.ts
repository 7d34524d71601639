import { commands, given, History, NOW } from '../../support/decider-spec';

const C = 'c-1';

describe('RegisterCustomer', () => {
  it('records CustomerRegistered with the details as given', () => {
    given().when(commands.register(C, '2026-01-01T00:00:00.000Z')).then([
      { type: 'CustomerRegistered', data: { customerId: C, name: 'Li Wei', email: 'li.wei@example.com', phone: null, address: null, outletId: 'outlet-1', preferences: { channels: ['email'], categories: [] }, occurredAt: '2026-01-01T00:00:00.000Z' } },
    ]);
  });

  it('accepts a phone instead of an email', () => {
    expect(given().when(commands.register(C, '2026-01-01T00:00:00.000Z', { email: null, phone: '+86 10 1234 5678' })).events()).toHaveLength(1);
  });

  it('refuses an id that is already registered', () => {
    given(new History(C).register().events).when(commands.register(C)).thenFails('CUSTOMER_ALREADY_REGISTERED');
  });

  it('refuses a blank name and a customer without email and phone', () => {
    given().when(commands.register(C, undefined, { name: '  ' })).thenFails('VALIDATION_FAILED', 'name');
    given().when(commands.register(C, undefined, { email: null, phone: null })).thenFails('VALIDATION_FAILED', 'email');
  });
});

describe('business time (occurredAt)', () => {
  const history = new History(C).register('2026-01-01T00:00:00.000Z').events;

  it('allows up to 5 minutes of clock skew into the future, and refuses more', () => {
    const inFourMinutes = new Date(NOW.getTime() + 4 * 60_000).toISOString();
    const inSixMinutes = new Date(NOW.getTime() + 6 * 60_000).toISOString();
    expect(given(history).when(commands.visit(C, 'v1', inFourMinutes)).events()).toHaveLength(1);
    given(history).when(commands.visit(C, 'v1', inSixMinutes)).thenFails('VALIDATION_FAILED', 'occurredAt');
  });

  it('refuses an instant that is not ISO-8601, and one before the registration', () => {
    given(history).when(commands.visit(C, 'v1', 'yesterday')).thenFails('VALIDATION_FAILED', 'occurredAt');
    given(history).when(commands.visit(C, 'v1', '2025-12-31T23:59:59.999Z')).thenFails('VALIDATION_FAILED', 'occurredAt');
  });
});

describe('commands for a customer that is not registered', () => {
  it.each([
    ['RecordVisit', commands.visit(C, 'v1', '2026-01-01T00:00:00.000Z')],
    ['FileComplaint', commands.fileComplaint(C, 'k1', '2026-01-01T00:00:00.000Z')],
    ['ResolveComplaint', commands.resolveComplaint(C, 'k1', '2026-01-01T00:00:00.000Z')],
    ['RecordPurchase', commands.purchase(C, 'p1', 1000, '2026-01-01T00:00:00.000Z')],
    ['ChangeTier', commands.changeTier(C, 'gold', '2026-01-01T00:00:00.000Z')],
    ['EvaluateLifecycle', commands.evaluate(C, '2026-01-01T00:00:00.000Z')],
  ])('%s is refused with CUSTOMER_NOT_FOUND', (_, command) => {
    given().when(command).thenFails('CUSTOMER_NOT_FOUND');
  });
});
