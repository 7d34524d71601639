/** Profile updates (JSON merge patch) and contact consents over real HTTP. */
import type { Response } from 'supertest';
import { registerCustomer } from '../support/customers';
import { startTestApp, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const REGISTERED = '2026-01-01T00:00:00Z';
const patch = (customerId: string, body: Record<string, unknown>, role: KeyRole = 'writer') => t.http().patch(`/v1/customers/${customerId}`).set(t.as(role)).send(body);
const putConsent = (customerId: string, channel: string, body: Record<string, unknown>) => t.http().put(`/v1/customers/${customerId}/consents/${channel}`).set(t.as('writer')).send(body);
const events = async (customerId: string) => (await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'))).body.events as { type: string; data: Record<string, unknown> }[];
const profile = async (customerId: string, position: string) => t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: position }).set(t.as('analyst'));

const expectProblem = (response: Response, status: number, code: string, field?: string) => {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field !== undefined) expect((response.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
};

describe('PATCH /v1/customers/:customerId', () => {
  it('records only the field that changes (201), and shows it in the profile', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED, phone: '+8613800000000' });
    const response = await patch(customerId, { name: 'Wang Fang', email: 'li.wei@example.com', occurredAt: '2026-03-01T10:00:00Z' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customerId, revision: 1, position: expect.any(String) });
    expect(response.headers.etag).toBe('"1"');
    const [, updated] = await events(customerId);
    expect(updated).toMatchObject({ type: 'CustomerProfileUpdated' });
    expect(updated.data).toEqual({ customerId, occurredAt: '2026-03-01T10:00:00.000Z', name: 'Wang Fang' });
    const read = await profile(customerId, response.body.position);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'Wang Fang', email: 'li.wei@example.com', phone: '+8613800000000', tags: [], birthday: null, accountManager: null, consents: {} });
  });

  it('answers a patch that changes nothing with 200 and appends nothing', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED });
    const same = await patch(customerId, { name: 'Li Wei', email: 'li.wei@example.com', address: null, tags: [] });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ customerId, revision: 0 });
    const empty = await patch(customerId, {});
    expect(empty.status).toBe(200);
    expect((await events(customerId)).map((e) => e.type)).toEqual(['CustomerRegistered']);
  });

  it('accepts application/merge-patch+json; clears with null, normalises tags, replaces preferences', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED, phone: '+8613800000000', address: '1 Nanjing Rd' });
    const body = { address: null, birthday: '1990-05-17', tags: [' vip ', 'wine', 'vip'], accountManager: 'agent-wang', preferences: { channels: ['sms'] }, occurredAt: '2026-03-01T10:00:00Z' };
    const response = await t.http().patch(`/v1/customers/${customerId}`).set(t.as('writer')).set('content-type', 'application/merge-patch+json').send(JSON.stringify(body));
    expect(response.status).toBe(201);
    const read = await profile(customerId, response.body.position);
    expect(read.body).toMatchObject({ address: null, birthday: '1990-05-17', tags: ['vip', 'wine'], accountManager: 'agent-wang', preferences: { channels: ['sms'], categories: [] } });
  });

  it('refuses application/merge-patch+json on a route other than PATCH (415)', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).set('content-type', 'application/merge-patch+json').send('{"name":"M","email":"m@example.com"}');
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses clearing the only contact, and clearing the name (400, nothing appended)', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED });
    expectProblem(await patch(customerId, { email: null }), 400, 'VALIDATION_FAILED', 'email');
    expectProblem(await patch(customerId, { name: null }), 400, 'VALIDATION_FAILED', 'name');
    expect(await events(customerId)).toHaveLength(1);
  });

  it.each([
    ['phone', { phone: '+86 138 0000 0000' }],
    ['phone', { phone: '13800000000' }],
    ['email', { email: 'not-an-email' }],
    ['birthday', { birthday: '1990-02-30' }],
    ['birthday', { birthday: '1899-12-31' }],
    ['birthday', { birthday: '2026-03-02', occurredAt: '2026-03-01T10:00:00Z' }],
    ['tags', { tags: ['x'.repeat(41)] }],
    ['tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ['nickname', { nickname: 'Wei' }],
    ['preferences.colour', { preferences: { colour: 'red' } }],
  ])('refuses an invalid %s with 400 problem+json', async (field, body) => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED });
    expectProblem(await patch(customerId, body), 400, 'VALIDATION_FAILED', field);
  });

  it('is a writer route: 403 for an analyst, 404 for a customer that is not registered', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED });
    expectProblem(await patch(customerId, { name: 'X' }, 'analyst'), 403, 'FORBIDDEN');
    expectProblem(await patch('nobody-here', { name: 'X' }), 404, 'CUSTOMER_NOT_FOUND');
  });
});

describe('PUT /v1/customers/:customerId/consents/:channel', () => {
  it('records a consent (201), the same answer again is 200, and the profile shows consents per channel and purpose', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED });
    const granted = await putConsent(customerId, 'sms', { purpose: 'marketing', granted: true, source: 'store tablet', occurredAt: '2026-03-01T10:00:00Z' });
    expect(granted.status).toBe(201);
    const again = await putConsent(customerId, 'sms', { purpose: 'marketing', granted: true, source: 'app', occurredAt: '2026-03-01T11:00:00Z' });
    expect(again.status).toBe(200);
    const service = await putConsent(customerId, 'sms', { purpose: 'service', granted: false, source: 'call centre', occurredAt: '2026-03-01T12:00:00Z' });
    expect(service.status).toBe(201);
    const wechat = await putConsent(customerId, 'wechat', { purpose: 'marketing', granted: true, source: 'mini-program', occurredAt: '2026-03-01T13:00:00Z' });
    expect(wechat.status).toBe(201);
    expect((await events(customerId)).map((e) => e.type)).toEqual(['CustomerRegistered', 'ConsentChanged', 'ConsentChanged', 'ConsentChanged']);
    const read = await profile(customerId, wechat.body.position);
    const state = await t.http().get(`/v1/customers/${customerId}/state`).set(t.as('auditor'));
    expect(state.body.state.consents.sms.marketing).toEqual({ granted: true, source: 'store tablet', changedAt: '2026-03-01T10:00:00.000Z' });
    expect(read.body.consents).toEqual({
      sms: { marketing: { granted: true, source: 'store tablet', changedAt: '2026-03-01T10:00:00.000Z' }, service: { granted: false, source: 'call centre', changedAt: '2026-03-01T12:00:00.000Z' } },
      wechat: { marketing: { granted: true, source: 'mini-program', changedAt: '2026-03-01T13:00:00.000Z' } },
    });
  });

  it('refuses an unknown channel or purpose, a missing granted and an unknown field (400)', async () => {
    const customerId = await registerCustomer(t, { occurredAt: REGISTERED });
    expectProblem(await putConsent(customerId, 'fax', { purpose: 'marketing', granted: true, source: 'form' }), 400, 'VALIDATION_FAILED', 'channel');
    expectProblem(await putConsent(customerId, 'sms', { purpose: 'spam', granted: true, source: 'form' }), 400, 'VALIDATION_FAILED', 'purpose');
    expectProblem(await putConsent(customerId, 'sms', { purpose: 'marketing', source: 'form' }), 400, 'VALIDATION_FAILED', 'granted');
    expectProblem(await putConsent(customerId, 'sms', { purpose: 'marketing', granted: 'yes', source: 'form' }), 400, 'VALIDATION_FAILED', 'granted');
    expectProblem(await putConsent(customerId, 'sms', { purpose: 'marketing', granted: true, source: 'form', channel: 'email' }), 400, 'VALIDATION_FAILED', 'channel');
    expect(await events(customerId)).toHaveLength(1);
  });
});
