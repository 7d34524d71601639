import { customerProfiles } from '../../../projections/customer-profiles.projection';
import { complaintFiled, complaintResolved, purchased, registered, stageChanged, tierChanged, visited } from './fixtures';
import type { CustomerEvent } from '../../../src/customer/events';
import { asRecorded, project } from './project';

const profileUpdated = (changes: Omit<Extract<CustomerEvent, { type: 'CustomerProfileUpdated' }>['data'], 'customerId' | 'occurredAt'>, at = '2026-02-01T00:00:00.000Z'): CustomerEvent => ({
  type: 'CustomerProfileUpdated',
  data: { customerId: 'c1', occurredAt: at, ...changes },
});
const consentChanged = (channel: 'email' | 'sms' | 'wechat', purpose: 'marketing' | 'service', granted: boolean, at: string, source = 'store tablet'): CustomerEvent => ({
  type: 'ConsentChanged',
  data: { customerId: 'c1', channel, purpose, granted, source, occurredAt: at },
});

describe('customer_profiles projection', () => {
  it('nulls the personal fields of a forgotten customer and keeps counts, money, tier, tags and consents', () => {
    const doc = project(
      customerProfiles,
      asRecorded([
        registered(),
        profileUpdated({ phone: '+8613800138000', address: '1 Main St', birthday: '1990-05-01', tags: ['vip'] }),
        consentChanged('email', 'marketing', true, '2026-02-02T00:00:00.000Z'),
        purchased('p1', 150000, '2026-02-03T00:00:00.000Z'),
        { type: 'CustomerForgotten', data: { customerId: 'c1', reason: 'request #1', followUpIds: [], occurredAt: '2026-03-01T00:00:00.000Z' } },
      ]),
    );
    expect(doc).toMatchObject({ name: null, email: null, phone: null, address: null, birthday: null, tags: ['vip'], forgotten: { at: '2026-03-01T00:00:00.000Z', reason: 'request #1' }, stats: { purchaseCount: 1, totalSpent: 150000 }, revision: 4 });
    expect(doc?.consents).toHaveProperty('email.marketing.granted', true);
  });

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
      birthday: null,
      tags: [],
      accountManager: null,
      consents: {},
      forgotten: null,
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

  it('applies a profile update: the fields it carries change, the others stay', () => {
    const doc = project(
      customerProfiles,
      asRecorded([
        registered(),
        profileUpdated({ phone: '+8613800000000', birthday: '1990-05-17', tags: ['vip', 'wine'], accountManager: 'agent-wang' }),
        profileUpdated({ email: null, preferences: { channels: ['sms'], categories: ['shoes'] } }, '2026-02-02T00:00:00.000Z'),
      ]),
    );
    expect(doc).toMatchObject({
      name: 'Li Wei',
      email: null,
      phone: '+8613800000000',
      outletId: 'o1',
      preferences: { channels: ['sms'], categories: ['shoes'] },
      birthday: '1990-05-17',
      tags: ['vip', 'wine'],
      accountManager: 'agent-wang',
      revision: 2,
      updatedAt: '2026-06-01T00:00:02.000Z',
    });
    const cleared = project(customerProfiles, asRecorded([registered(), profileUpdated({ birthday: '1990-05-17', tags: ['vip'] }), profileUpdated({ birthday: null, tags: [], accountManager: null })]));
    expect(cleared).toMatchObject({ birthday: null, tags: [], accountManager: null });
  });

  it('keeps the latest consent per channel and purpose, with its source and business time', () => {
    const doc = project(
      customerProfiles,
      asRecorded([
        registered(),
        consentChanged('email', 'marketing', true, '2026-02-01T00:00:00.000Z'),
        consentChanged('email', 'service', true, '2026-02-01T00:00:00.000Z', 'app'),
        consentChanged('wechat', 'marketing', true, '2026-02-02T00:00:00.000Z'),
        consentChanged('email', 'marketing', false, '2026-02-03T00:00:00.000Z', 'unsubscribe link'),
      ]),
    );
    expect(doc?.consents).toEqual({
      email: { marketing: { granted: false, source: 'unsubscribe link', changedAt: '2026-02-03T00:00:00.000Z' }, service: { granted: true, source: 'app', changedAt: '2026-02-01T00:00:00.000Z' } },
      wechat: { marketing: { granted: true, source: 'store tablet', changedAt: '2026-02-02T00:00:00.000Z' } },
    });
  });

  it('never changes the document it was given (consents and tags are replaced, not edited in place)', () => {
    const before = project(customerProfiles, asRecorded([registered(), consentChanged('sms', 'marketing', true, '2026-02-01T00:00:00.000Z'), profileUpdated({ tags: ['vip'] })]))!;
    const snapshot = JSON.parse(JSON.stringify(before));
    const events = asRecorded([registered(), consentChanged('sms', 'marketing', true, '2026-02-01T00:00:00.000Z'), profileUpdated({ tags: ['vip'] }), consentChanged('sms', 'service', false, '2026-02-03T00:00:00.000Z'), profileUpdated({ tags: ['wine'] })]);
    project(customerProfiles, events.slice(3), before);
    expect(before).toEqual(snapshot);
  });

  it('fills the new fields of a document written before they existed', () => {
    const old = project(customerProfiles, asRecorded([registered()]))!;
    const { consents: _c, tags: _t, birthday: _b, accountManager: _a, ...legacy } = old;
    const doc = project(customerProfiles, asRecorded([registered(), consentChanged('sms', 'marketing', true, '2026-02-01T00:00:00.000Z')]).slice(1), legacy as typeof old);
    expect(doc?.consents).toEqual({ sms: { marketing: { granted: true, source: 'store tablet', changedAt: '2026-02-01T00:00:00.000Z' } } });
  });
});
