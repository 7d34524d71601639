/** Outlet ranking (outlet_activity) and RFM segmentation (customer_profiles) over real HTTP. */
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const post = (path: string, body: Record<string, unknown>) => t.http().post(path).set(t.as('writer')).send(body);
const get = (path: string, query: Record<string, string>, role: KeyRole = 'analyst') => t.http().get(path).query(query).set(t.as(role));
const bought = async (customerId: string, outletId: string, amount: number, occurredAt: string) => {
  const response = await purchase(t, customerId, { outletId, amount, occurredAt });
  expect(response.status).toBe(201);
  return response.body.position as string;
};

describe('GET /v1/analytics/outlets', () => {
  it('sums the outlet-days in [from, to] (Shanghai dates), ranks by net sales with rates, NPS and ABC classes', async () => {
    const a = await registerCustomer(t, { outletId: 'o-a', occurredAt: '2026-02-01T00:00:00.000Z' });
    await bought(a, 'o-a', 10_000, '2026-03-01T02:00:00.000Z');
    // 23:30 on 31 March in Shanghai: inside; 00:30 on 1 April: outside.
    await bought(a, 'o-a', 10_000, '2026-03-31T15:30:00.000Z');
    await bought(a, 'o-a', 99_999, '2026-03-31T16:30:00.000Z');
    // 07:30 on 1 March in Shanghai, 23:30 on 28 February in UTC: inside.
    await bought(a, 'o-b', 6_000, '2026-02-28T23:30:00.000Z');
    await bought(a, 'o-c', 4_000, '2026-03-10T00:00:00.000Z');
    const complaint = await post(`/v1/customers/${a}/complaints`, { complaintId: 'k1', channel: 'phone', category: 'billing', severity: 'normal', description: 'x', outletId: 'o-a', occurredAt: '2026-03-02T00:00:00.000Z' });
    expect(complaint.status).toBe(201);
    for (const [surveyId, score] of [['s1', 10], ['s2', 9], ['s3', 8], ['s4', 3]] as const)
      expect((await post(`/v1/customers/${a}/surveys`, { surveyId, score, channel: 'store', outletId: 'o-a', occurredAt: '2026-03-03T00:00:00.000Z' })).status).toBe(201);
    await registerCustomer(t, { outletId: 'o-b', occurredAt: '2026-03-05T00:00:00.000Z' });
    const visitor = await registerCustomer(t, { outletId: 'o-d', occurredAt: '2026-01-05T00:00:00.000Z' });
    const visit = await post(`/v1/customers/${visitor}/visits`, { outletId: 'o-d', channel: 'store', occurredAt: '2026-03-06T00:00:00.000Z' });
    expect(visit.status).toBe(201);

    const response = await get('/v1/analytics/outlets', { from: '2026-03-01', to: '2026-03-31', waitForPosition: visit.body.position });
    expect(response.status).toBe(200);
    expect(response.headers['x-projection-position']).toEqual(expect.any(String));
    expect(response.body).toEqual([
      { outletId: 'o-a', visits: 0, purchases: 2, netSales: 20_000, newCustomers: 0, complaints: 1, complaintRate: 500, nps: 25, abcClass: 'A' },
      // 20 000 of 30 000 before it: 66.7 % → A.
      { outletId: 'o-b', visits: 0, purchases: 1, netSales: 6_000, newCustomers: 1, complaints: 0, complaintRate: 0, nps: null, abcClass: 'A' },
      // 86.7 % before it → B; then 100 % → C.
      { outletId: 'o-c', visits: 0, purchases: 1, netSales: 4_000, newCustomers: 0, complaints: 0, complaintRate: 0, nps: null, abcClass: 'B' },
      { outletId: 'o-d', visits: 1, purchases: 0, netSales: 0, newCustomers: 0, complaints: 0, complaintRate: null, nps: null, abcClass: 'C' },
    ]);
    const april = await get('/v1/analytics/outlets', { from: '2026-04-01', to: '2026-04-01' });
    expect(april.body).toEqual([expect.objectContaining({ outletId: 'o-a', purchases: 1, netSales: 99_999, abcClass: 'A' })]);
    expect((await get('/v1/analytics/outlets', { from: '2025-01-01', to: '2025-01-31' })).body).toEqual([]);
  });

  it('refuses bad dates (400 VALIDATION_FAILED naming the field) and other roles (403)', async () => {
    for (const [query, field] of [
      [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
      [{ from: '2026-03-01', to: '2026-03-01T00:00:00Z' }, 'to'],
      [{ to: '2026-03-01' }, 'from'],
      [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
    ] as const) {
      const response = await get('/v1/analytics/outlets', query);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field })] });
    }
    for (const role of ['writer', 'auditor'] as const) expect((await get('/v1/analytics/outlets', { from: '2026-03-01', to: '2026-03-31' }, role)).status).toBe(403);
  });
});
