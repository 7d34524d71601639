/** Profile updates (a JSON merge patch of the profile) and contact consents, as given / when / then. */
import type { CustomerCommand, ProfilePatch } from '../../../src/customer/commands';
import type { ConsentChannel, ConsentPurpose, ProfileChanges } from '../../../src/customer/events';
import { fold } from '../../../src/customer/evolve';
import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const REGISTERED = '2026-01-01T00:00:00.000Z';
const AT = '2026-03-01T10:00:00.000Z';
const LATER = '2026-03-02T10:00:00.000Z';
/** Registered with email li.wei@example.com, no phone, outlet-1, preferences { channels: ['email'] }. */
const registered = () => new History(C).register(REGISTERED);

const update = (patch: ProfilePatch, occurredAt = AT): CustomerCommand => ({ type: 'UpdateProfile', data: { customerId: C, occurredAt, ...patch } });
const consent = (channel: ConsentChannel, purpose: ConsentPurpose, granted: boolean, occurredAt = AT, source = 'wechat mini-program'): CustomerCommand => ({
  type: 'ChangeConsent',
  data: { customerId: C, channel, purpose, granted, source, occurredAt },
});

describe('UpdateProfile: only what changes is recorded', () => {
  it('records CustomerProfileUpdated carrying only the field that changes', () => {
    given(registered().events).when(update({ name: 'Wang Fang' })).then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: AT, name: 'Wang Fang' } }]);
  });

  it('leaves out fields the patch gives with their current value', () => {
    given(registered().events)
      .when(update({ name: 'Li Wei', email: 'li.wei@example.com', outletId: 'outlet-1', phone: '+8613800000000' }))
      .then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: AT, phone: '+8613800000000' } }]);
  });

  it('appends nothing for an empty patch or one that changes nothing', () => {
    given(registered().events).when(update({})).then([]);
    given(registered().events).when(update({ name: 'Li Wei', address: null, birthday: null, accountManager: null, tags: [], preferences: { channels: ['email'], categories: [] } })).then([]);
  });

  it('records every field at the top level of the data', () => {
    const patch: ProfileChanges = {
      name: 'Wang Fang',
      email: 'wang@example.com',
      phone: '+8613800000000',
      address: '1 Nanjing Rd',
      outletId: 'outlet-2',
      birthday: '1990-05-17',
      preferences: { channels: ['sms'], categories: ['shoes'] },
      tags: ['vip'],
      accountManager: 'agent-wang',
    };
    given(registered().events).when(update(patch)).then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: AT, ...patch } }]);
  });

  it('folds the update into the profile, leaving the other fields as they were', () => {
    const state = fold(registered().run(update({ phone: '+8613800000000', birthday: '1990-05-17' })).run(update({ email: null, tags: ['vip'] }, LATER)).events);
    expect(state.profile).toEqual({
      name: 'Li Wei',
      email: null,
      phone: '+8613800000000',
      address: null,
      outletId: 'outlet-1',
      preferences: { channels: ['email'], categories: [] },
      birthday: '1990-05-17',
      tags: ['vip'],
      accountManager: null,
    });
  });

  it('refuses an unregistered customer', () => {
    given().when(update({ name: 'Wang Fang' })).thenFails('CUSTOMER_NOT_FOUND');
  });
});

describe('UpdateProfile: merge patch semantics (absent = unchanged, null = clear)', () => {
  const withDetails = () => registered().run(update({ phone: '+8613800000000', address: '1 Nanjing Rd', birthday: '1990-05-17', tags: ['vip'], accountManager: 'agent-wang' }));

  it('clears a field given as null', () => {
    given(withDetails().events)
      .when(update({ address: null, birthday: null, accountManager: null, email: null }, LATER))
      .then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: LATER, address: null, birthday: null, accountManager: null, email: null } }]);
  });

  it('clears tags and preferences given as null (to empty lists), and nothing when they are empty already', () => {
    given(withDetails().events)
      .when(update({ tags: null, preferences: null }, LATER))
      .then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: LATER, tags: [], preferences: { channels: [], categories: [] } } }]);
    given(registered().events).when(update({ tags: null })).then([]);
  });

  it('refuses clearing or blanking the name', () => {
    given(registered().events).when(update({ name: null })).thenFails('VALIDATION_FAILED', 'name');
    given(registered().events).when(update({ name: '   ' })).thenFails('VALIDATION_FAILED', 'name');
  });

  it('refuses a blank address, outlet or account manager (null clears them)', () => {
    given(registered().events).when(update({ address: ' ' })).thenFails('VALIDATION_FAILED', 'address');
    given(registered().events).when(update({ outletId: ' ' })).thenFails('VALIDATION_FAILED', 'outletId');
    given(registered().events).when(update({ accountManager: '' })).thenFails('VALIDATION_FAILED', 'accountManager');
  });

  it('keeps one of email or phone: clearing the only one is refused, clearing one of two is not', () => {
    given(registered().events).when(update({ email: null })).thenFails('VALIDATION_FAILED', 'email');
    given(registered().events).when(update({ email: null, phone: null })).thenFails('VALIDATION_FAILED', 'email');
    given(withDetails().events).when(update({ email: null, phone: null }, LATER)).thenFails('VALIDATION_FAILED', 'email');
    given(withDetails().events).when(update({ phone: null }, LATER)).then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: LATER, phone: null } }]);
    // swapping: the email goes, a phone comes in the same patch
    given(registered().events).when(update({ email: null, phone: '+14155550100' })).then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: AT, email: null, phone: '+14155550100' } }]);
  });
});

describe('UpdateProfile: field rules', () => {
  it.each(['li.wei', 'li wei@example.com', '@example.com', 'li@', 'li@example', `${'a'.repeat(250)}@example.com`])('refuses the email %j', (email) => {
    given(registered().events).when(update({ email })).thenFails('VALIDATION_FAILED', 'email');
  });

  it.each(['+8613800000000', '+14155550100', '+44'])('accepts the E.164 phone %j', (phone) => {
    expect(given(registered().events).when(update({ phone })).events()).toHaveLength(1);
  });

  it.each(['8613800000000', '+0861380000000', '+86 138 0000 0000', '+1234567890123456', '+1', '+86-138'])('refuses the phone %j (not E.164)', (phone) => {
    given(registered().events).when(update({ phone })).thenFails('VALIDATION_FAILED', 'phone');
  });

  it.each(['1990-02-30', '2023-02-29', '1899-12-31', '1990-5-17', '17/05/1990', '1990-05-17T00:00:00Z'])('refuses the birthday %j', (birthday) => {
    given(registered().events).when(update({ birthday })).thenFails('VALIDATION_FAILED', 'birthday');
  });

  it('accepts a leap day and 1900-01-01, a birthday on the day of the update, and refuses one after it', () => {
    expect(given(registered().events).when(update({ birthday: '2024-02-29' })).events()).toHaveLength(1);
    expect(given(registered().events).when(update({ birthday: '1900-01-01' })).events()).toHaveLength(1);
    expect(given(registered().events).when(update({ birthday: '2026-03-01' })).events()).toHaveLength(1);
    given(registered().events).when(update({ birthday: '2026-03-02' })).thenFails('VALIDATION_FAILED', 'birthday');
  });

  it('trims tags and removes duplicates, keeping the first order', () => {
    given(registered().events)
      .when(update({ tags: [' vip ', 'wine', 'vip', 'wine ', '常客'] }))
      .then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: AT, tags: ['vip', 'wine', '常客'] } }]);
  });

  it('treats tags equal to the current ones once normalised as unchanged, and another order as a change', () => {
    const tagged = registered().run(update({ tags: ['vip', 'wine'] }));
    given(tagged.events).when(update({ tags: ['vip ', 'wine', 'vip'] }, LATER)).then([]);
    expect(given(tagged.events).when(update({ tags: ['wine', 'vip'] }, LATER)).events()).toHaveLength(1);
  });

  it('refuses more than 50 tags, and a tag blank or longer than 40 characters once trimmed', () => {
    expect(given(registered().events).when(update({ tags: Array.from({ length: 50 }, (_, i) => `t${i}`) })).events()).toHaveLength(1);
    given(registered().events).when(update({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).thenFails('VALIDATION_FAILED', 'tags');
    given(registered().events).when(update({ tags: ['vip', '  '] })).thenFails('VALIDATION_FAILED', 'tags');
    expect(given(registered().events).when(update({ tags: [` ${'x'.repeat(40)} `] })).events()).toHaveLength(1);
    given(registered().events).when(update({ tags: ['x'.repeat(41)] })).thenFails('VALIDATION_FAILED', 'tags');
  });

  it('replaces preferences whole and compares them by value', () => {
    given(registered().events).when(update({ preferences: { channels: ['email'], categories: [] } })).then([]);
    given(registered().events)
      .when(update({ preferences: { channels: ['sms'], categories: [] } }))
      .then([{ type: 'CustomerProfileUpdated', data: { customerId: C, occurredAt: AT, preferences: { channels: ['sms'], categories: [] } } }]);
    // not merged: the categories given are the categories kept
    const state = fold(registered().run(update({ preferences: { channels: ['email'], categories: ['shoes'] } })).run(update({ preferences: { channels: ['sms'], categories: [] } }, LATER)).events);
    expect(state.profile.preferences).toEqual({ channels: ['sms'], categories: [] });
  });

  it('checks occurredAt as every command does (not before the registration)', () => {
    given(registered().events).when(update({ name: 'Wang Fang' }, '2025-12-31T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'occurredAt');
  });
});

describe('ChangeConsent', () => {
  it('records ConsentChanged, the source trimmed', () => {
    given(registered().events)
      .when(consent('sms', 'marketing', true, AT, '  store tablet '))
      .then([{ type: 'ConsentChanged', data: { customerId: C, channel: 'sms', purpose: 'marketing', granted: true, source: 'store tablet', occurredAt: AT } }]);
  });

  it('records a first refusal (nothing was known before), then nothing while the answer stays the same', () => {
    expect(given(registered().events).when(consent('email', 'marketing', false)).events()).toHaveLength(1);
    const granted = registered().run(consent('email', 'marketing', true));
    given(granted.events).when(consent('email', 'marketing', true, LATER, 'another form')).then([]);
    expect(given(granted.events).when(consent('email', 'marketing', false, LATER)).events()).toHaveLength(1);
  });

  it('keeps consents per channel and purpose', () => {
    const history = registered().run(consent('email', 'marketing', true)).run(consent('email', 'service', false)).run(consent('wechat', 'marketing', true, LATER, 'app'));
    expect(fold(history.events).consents).toEqual({
      email: { marketing: { granted: true, source: 'wechat mini-program', changedAt: AT }, service: { granted: false, source: 'wechat mini-program', changedAt: AT } },
      wechat: { marketing: { granted: true, source: 'app', changedAt: LATER } },
    });
    // another purpose on the same channel is its own answer
    expect(given(history.events).when(consent('wechat', 'service', true, LATER)).events()).toHaveLength(1);
  });

  it('refuses an unknown channel or purpose, a granted that is not a boolean, a blank or over-long source, and a change dated before the last one', () => {
    given(registered().events).when(consent('fax' as ConsentChannel, 'marketing', true)).thenFails('VALIDATION_FAILED', 'channel');
    given(registered().events).when(consent('sms', 'spam' as ConsentPurpose, true)).thenFails('VALIDATION_FAILED', 'purpose');
    given(registered().events).when(consent('sms', 'marketing', 'yes' as unknown as boolean)).thenFails('VALIDATION_FAILED', 'granted');
    given(registered().events).when(consent('sms', 'marketing', true, AT, '  ')).thenFails('VALIDATION_FAILED', 'source');
    given(registered().events).when(consent('sms', 'marketing', true, AT, 'x'.repeat(101))).thenFails('VALIDATION_FAILED', 'source');
    expect(given(registered().events).when(consent('sms', 'marketing', true, AT, 'x'.repeat(100))).events()).toHaveLength(1);
    given(registered().run(consent('sms', 'marketing', true, LATER)).events).when(consent('sms', 'marketing', false, AT)).thenFails('VALIDATION_FAILED', 'occurredAt');
  });

  it('refuses an unregistered customer', () => {
    given().when(consent('sms', 'marketing', true)).thenFails('CUSTOMER_NOT_FOUND');
  });
});

describe('profile and consents next to the other capabilities', () => {
  it('a no-op update appends nothing, not even what came due', () => {
    // the registration is long past: a stage change would be due at the update
    const old = new History(C).register('2024-01-01T00:00:00.000Z').run(commands.purchase(C, 'p1', 1000, '2024-01-02T00:00:00.000Z'));
    given(old.events).when(update({ name: 'Li Wei' })).then([]);
  });
});
