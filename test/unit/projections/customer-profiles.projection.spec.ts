import { customerProfiles } from '../../../projections/customer-profiles.projection';
import { complaintFiled, complaintResolved, purchased, registered, stageChanged, tierChanged, visited } from './fixtures';
import { asRecorded, project } from './project';

describe('customer_profiles projection', () => {
  it('starts from the registration with every field present', () => {
    expect(project(customerProfiles, asRecorded([registered()]))).toEqual({
      _id: 'c1',
      customerId: 'c1',
      name: 'Li Wei',
      email: 'li@example.com',
      phone: null,
      address: null,
      outletId: 'o1',
      preferences: { channels: ['email'], categories: [] },
      registeredAt: '2026-01-01T00:00:00.000Z',
      tier: 'standard',
      tierSince: '2026-01-01T00:00:00.000Z',
      stage: 'prospect',
      stats: { visitCount: 0, lastVisitAt: null, purchaseCount: 0, totalSpent: 0, refundTotal: 0, lastPurchaseAt: null, complaintCount: 0, openComplaints: 0 },
      revision: 0,
      updatedAt: '2026-06-01T00:00:00.000Z',
    });
  });

  it('counts visits, purchases, spend and open complaints, and follows tier and stage', () => {
    const doc = project(
      customerProfiles,
      asRecorded([
        registered(),
        visited('v1', '2026-01-02T00:00:00.000Z'),
        purchased('p1', 150000, '2026-01-03T00:00:00.000Z'),
        stageChanged('prospect', 'new', '2026-01-03T00:00:00.000Z'),
        purchased('p2', 200000, '2026-01-05T00:00:00.000Z'),
        tierChanged('standard', 'silver', '2026-01-05T00:00:00.000Z'),
        complaintFiled('k1', '2026-01-06T00:00:00.000Z'),
        complaintFiled('k2', '2026-01-07T00:00:00.000Z'),
        complaintResolved('k1', '2026-01-08T00:00:00.000Z'),
      ]),
    );
    expect(doc).toMatchObject({
      tier: 'silver',
      tierSince: '2026-01-05T00:00:00.000Z',
      stage: 'new',
      stats: { visitCount: 1, lastVisitAt: '2026-01-02T00:00:00.000Z', purchaseCount: 2, totalSpent: 350000, lastPurchaseAt: '2026-01-05T00:00:00.000Z', complaintCount: 2, openComplaints: 1 },
      revision: 8,
    });
  });

  it('keeps the latest purchase date when a purchase arrives back-dated', () => {
    const doc = project(customerProfiles, asRecorded([registered(), purchased('p1', 100, '2026-03-01T00:00:00.000Z'), purchased('p0', 100, '2026-02-01T00:00:00.000Z')]));
    expect(doc?.stats.lastPurchaseAt).toBe('2026-03-01T00:00:00.000Z');
  });

  it('does not apply an event twice: replaying a prefix onto the document changes nothing', () => {
    const events = asRecorded([registered(), purchased('p1', 100, '2026-01-03T00:00:00.000Z'), purchased('p2', 100, '2026-01-04T00:00:00.000Z')]);
    const once = project(customerProfiles, events);
    expect(project(customerProfiles, events, once)).toEqual(once);
  });
});
