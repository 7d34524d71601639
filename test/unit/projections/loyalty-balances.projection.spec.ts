import { loyaltyBalances } from '../../../projections/loyalty-balances.projection';
import { earned, registered, tierChanged } from './fixtures';
import { asRecorded, project } from './project';

describe('loyalty_balances projection', () => {
  it('starts at zero for a registered customer', () => {
    expect(project(loyaltyBalances, asRecorded([registered()]))).toMatchObject({ tier: 'standard', balance: 0, lifetimeEarned: 0, lifetimeRedeemed: 0, lifetimeExpired: 0, nextExpiryAt: null, revision: 0 });
  });

  it('adds each earning to the balance and tracks the earliest expiry', () => {
    const doc = project(
      loyaltyBalances,
      asRecorded([
        registered(),
        earned('p2', 126, '2026-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z'),
        earned('p1', 100, '2026-02-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z'),
        tierChanged('standard', 'silver', '2026-03-01T00:00:00.000Z'),
      ]),
    );
    expect(doc).toMatchObject({ tier: 'silver', balance: 226, lifetimeEarned: 226, nextExpiryAt: '2027-02-01T00:00:00.000Z', revision: 3 });
  });

  it('never counts the same earning twice when a batch is replayed', () => {
    const events = asRecorded([registered(), earned('p1', 100, '2026-02-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z')]);
    const once = project(loyaltyBalances, events);
    expect(project(loyaltyBalances, events, once)?.balance).toBe(100);
  });
});
