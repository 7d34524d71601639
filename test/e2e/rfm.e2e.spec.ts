/** RFM quintile scores and named segments over customer profiles, over real HTTP. */
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

/** A customer with a purchase of 10 000 on each date. */
async function customer(dates: string[]): Promise<string> {
  const customerId = await registerCustomer(t, { occurredAt: '2024-12-01T00:00:00.000Z' });
  let position = '';
  for (const occurredAt of dates) {
    const response = await purchase(t, customerId, { amount: 10_000, occurredAt });
    expect(response.status).toBe(201);
    position = response.body.position;
  }
  return position;
}

describe('GET /v1/analytics/rfm', () => {
  it('scores the customers with a purchase in the 365 days before asOf by quintile and counts the segments', async () => {
    await customer(['2026-05-27T00:00:00.000Z', '2026-05-28T00:00:00.000Z', '2026-05-29T00:00:00.000Z', '2026-05-30T00:00:00.000Z', '2026-05-31T00:00:00.000Z']);
    await customer(['2026-05-17T00:00:00.000Z', '2026-05-18T00:00:00.000Z', '2026-05-19T00:00:00.000Z', '2026-05-20T00:00:00.000Z']);
    await customer(['2026-05-30T00:00:00.000Z']);
    await customer(['2025-08-30T00:00:00.000Z', '2025-08-31T00:00:00.000Z', '2025-09-01T00:00:00.000Z']);
    await customer(['2025-08-01T00:00:00.000Z']);
    // Outside the window: before it, and after asOf.
    await customer(['2025-01-01T00:00:00.000Z']);
    const last = await customer(['2026-06-02T00:00:00.000Z']);

    const response = await t.http().get('/v1/analytics/rfm').query({ asOf: '2026-06-01T08:00:00+08:00', waitForPosition: last }).set(t.as('analyst'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      asOf: '2026-06-01T00:00:00.000Z',
      since: '2025-06-01T00:00:00.000Z',
      customers: 5,
      thresholds: { recencyDays: [1, 2, 12, 273], frequency: [1, 1, 3, 4], monetary: [10_000, 10_000, 30_000, 40_000] },
      segments: { champions: 1, loyal: 1, potential: 1, at_risk: 1, hibernating: 1, others: 0 },
      segmentRules: { champions: 'R>=4 and F>=4', loyal: 'F>=4', potential: 'R>=4 and F<=2', at_risk: 'R<=2 and F>=3', hibernating: 'R<=2 and F<=2', others: 'none of the above' },
    });
    expect(response.body.scores).toEqual([
      { r: 5, f: 5, m: 5, count: 1 },
      { r: 4, f: 1, m: 1, count: 1 },
      { r: 3, f: 4, m: 4, count: 1 },
      { r: 2, f: 3, m: 3, count: 1 },
      { r: 1, f: 1, m: 1, count: 1 },
    ]);
  });

  it('refuses a bad asOf (400 naming it) and other roles (403)', async () => {
    const bad = await t.http().get('/v1/analytics/rfm').query({ asOf: '2026-06-01' }).set(t.as('analyst'));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'asOf' })] });
    expect((await t.http().get('/v1/analytics/rfm').set(t.as('writer'))).status).toBe(403);
    expect((await t.http().get('/v1/analytics/rfm').set(t.as('analyst'))).status).toBe(200);
  });
});
