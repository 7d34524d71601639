/** Referrals over real HTTP: the route and its refusals, and the reward the process manager gives the referrer. */
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(undefined, { EVALUATION_INTERVAL_MINUTES: '0' });
});
afterAll(() => t.destroy());

const refer = (referrerId: string, referredCustomerId: string, extra: Record<string, unknown> = {}) =>
  t.http().post(`/v1/customers/${referrerId}/referrals`).set(t.as('writer')).send({ referredCustomerId, ...extra });

async function eventsOf(customerId: string): Promise<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }[]> {
  const response = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
  expect(response.status).toBe(200);
  return response.body.events;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('POST /v1/customers/{referrerId}/referrals', () => {
  it('records the referral on the referred customer (201), the same again is 200, another referrer is 409 REFERRAL_EXISTS', async () => {
    const referrer = await registerCustomer(t);
    const referred = await registerCustomer(t);
    const first = await refer(referrer, referred);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId: referred, referrerId: referrer });
    expect((await eventsOf(referred)).map((event) => event.type)).toEqual(['CustomerRegistered', 'CustomerReferred']);
    const again = await refer(referrer, referred);
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(first.body.revision);
    const other = await refer(await registerCustomer(t), referred);
    expect(other.status).toBe(409);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.code).toBe('REFERRAL_EXISTS');
  });

  it('refuses a self-referral (422 SELF_REFERRAL) and a customer who has purchased (422 REFERRAL_NOT_ELIGIBLE)', async () => {
    const customer = await registerCustomer(t);
    const self = await refer(customer, customer);
    expect(self.status).toBe(422);
    expect(self.body.code).toBe('SELF_REFERRAL');
    expect((await purchase(t, customer)).status).toBe(201);
    const late = await refer(await registerCustomer(t), customer);
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('REFERRAL_NOT_ELIGIBLE');
  });

  it('answers 404 CUSTOMER_NOT_FOUND for an unknown referrer or referred customer, 400 for a bad body', async () => {
    const known = await registerCustomer(t);
    const noReferrer = await refer('nobody-here', known);
    expect(noReferrer.status).toBe(404);
    expect(noReferrer.body.code).toBe('CUSTOMER_NOT_FOUND');
    const noReferred = await refer(known, 'nobody-here');
    expect(noReferred.status).toBe(404);
    expect(noReferred.body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await refer(known, 'bad id!')).status).toBe(400);
    expect((await t.http().post(`/v1/customers/${known}/referrals`).set(t.as('writer')).send({ referredCustomerId: known, extra: 1 })).status).toBe(400);
  });

  it('rewards the referrer 200 points once the referred customer first buys, once only, and lists the process manager in GET /v1/projections', async () => {
    const referrer = await registerCustomer(t);
    const referred = await registerCustomer(t);
    expect((await refer(referrer, referred)).status).toBe(201);
    const bought = await purchase(t, referred);
    expect(bought.status).toBe(201);
    expect((await eventsOf(referred)).map((event) => event.type)).toContain('ReferralQualified');

    const reward = await eventually(async () => (await eventsOf(referrer)).find((event) => event.type === 'ReferralRewarded'));
    expect(reward.data).toMatchObject({ customerId: referrer, referredCustomerId: referred, purchaseId: bought.body.purchaseId, points: 200, lotId: `referral:${referred}` });
    expect(reward.metadata).toMatchObject({ actor: { name: 'process-manager:referral-rewards', role: 'admin' } });
    const balance = await eventually(async () => {
      const response = await t.http().get(`/v1/customers/${referrer}/loyalty`).set(t.as('analyst'));
      return response.status === 200 && response.body.balance === 200 ? response.body : undefined;
    });
    expect(balance.lots).toEqual([expect.objectContaining({ lotId: `referral:${referred}`, remaining: 200 })]);

    // A second purchase: no second reward.
    expect((await purchase(t, referred)).status).toBe(201);
    const listed = await eventually(async () => {
      const response = await t.http().get('/v1/projections').set(t.as('admin'));
      const manager = (response.body as { kind: string; lag: number }[]).find((entry) => entry.kind === 'process-manager');
      return manager && manager.lag === 0 ? response.body : undefined;
    });
    expect(listed.find((entry: { name: string }) => entry.name === 'referral-rewards')).toMatchObject({ kind: 'process-manager', checkpoint: 'pm:referral-rewards', status: 'running', refused: 0, lastError: null });
    expect(listed.find((entry: { name: string }) => entry.name === 'loyalty_balances')).toMatchObject({ kind: 'projection' });
    expect((await eventsOf(referrer)).filter((event) => event.type === 'ReferralRewarded')).toHaveLength(1);
    // Both sides in the auditors' state view.
    const referrerState = await t.http().get(`/v1/customers/${referrer}/state`).set(t.as('auditor'));
    expect(referrerState.body.state.referral).toEqual({ referrerId: null, referredAt: null, qualifiedBy: null, rewarded: { [referred]: bought.body.purchaseId } });
    const referredState = await t.http().get(`/v1/customers/${referred}/state`).set(t.as('auditor'));
    expect(referredState.body.state.referral).toMatchObject({ referrerId: referrer, qualifiedBy: bought.body.purchaseId, rewarded: {} });
  });
});
