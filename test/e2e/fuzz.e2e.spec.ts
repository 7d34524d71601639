import fc from 'fast-check';
import { registerCustomer } from '../support/customers';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp();
  customerId = await registerCustomer(t);
});
afterAll(() => t.destroy());

const ROUTES = () => [
  '/v1/customers',
  `/v1/customers/${customerId}/visits`,
  `/v1/customers/${customerId}/complaints`,
  `/v1/customers/${customerId}/complaints/k1/resolution`,
  `/v1/customers/${customerId}/purchases`,
  `/v1/customers/${customerId}/tier`,
];

/** Bodies near the real shapes: right and wrong field names with any JSON values. */
const body = fc.dictionary(
  fc.constantFrom('customerId', 'name', 'email', 'phone', 'purchaseId', 'amount', 'currency', 'items', 'occurredAt', 'tier', 'reason', 'channel', 'outletId', 'severity', 'category', 'description', 'resolution', 'satisfaction', '__proto__', 'constructor'),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('any JSON body', () => {
  it('never gets a 5xx, and every refusal is problem+json with a code and appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES()), fc.oneof(body, fc.jsonValue({ maxDepth: 3 })), async (route, payload) => {
        const before = (await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'))).body.events.length;
        const response = await t.http().post(route).set(t.as('writer')).set('content-type', 'application/json').send(JSON.stringify(payload));
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.body.code).toMatch(/^[A-Z_]+$/);
          const after = (await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'))).body.events.length;
          expect(after).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
  });
});
