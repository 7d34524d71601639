/**
 * A client generated from docs/openapi.json (openapi-typescript types, openapi-fetch) drives the
 * main flows against a listening app. The calls are type-checked (`npm test` runs tsc first): a
 * route or DTO that drifts from the committed document breaks the build, not just this test.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { ErrorCode } from '../../src/http/error-codes';
import type { components, paths } from '../support/generated/api';
import { nonConformance } from '../support/openapi-conformance';
import { KEYS, startTestApp, uniqueId, type KeyRole, type TestApp } from '../support/test-app';

type Profile = components['schemas']['CustomerProfileDto'];

let t: TestApp;
let baseUrl: string;
const clientAs = (role: KeyRole): Client<paths> => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${KEYS[role]}` } });

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  baseUrl = await t.app.getUrl();
});
afterAll(() => t.destroy());

/** The body is what docs/openapi.json says this route answers with this status. */
const expectConforms = (path: keyof paths, method: string, result: { response: Response; data?: unknown; error?: unknown }) =>
  expect({ path, method, status: result.response.status, errors: nonConformance(path, method, result.response.status, result.data ?? result.error) }).toEqual({ path, method, status: result.response.status, errors: [] });

describe('the generated client', () => {
  it('registers, records a purchase, reads the profile and the history, and gets typed problems', async () => {
    const writer = clientAs('writer');
    const customerId = uniqueId('gen');

    const registered = await writer.POST('/v1/customers', {
      body: { customerId, name: 'Li Wei', email: 'li.wei@example.com' },
      headers: { 'X-Correlation-Id': 'generated-client-1' },
    });
    expect(registered.response.status).toBe(201);
    expectConforms('/v1/customers', 'post', registered);
    expect(registered.response.headers.get('location')).toBe(`/v1/customers/${customerId}`);
    expect(registered.response.headers.get('x-correlation-id')).toBe('generated-client-1');
    const registration = registered.data!;
    const tier: 'standard' | 'silver' | 'gold' = registration.tier;
    expect({ customerId: registration.customerId, revision: registration.revision, tier, stage: registration.stage }).toEqual({ customerId, revision: 0, tier: 'standard', stage: 'prospect' });

    const purchased = await writer.POST('/v1/customers/{customerId}/purchases', {
      params: { path: { customerId } },
      body: { purchaseId: 'p-gen-1', amount: 10099, currency: 'CNY', items: [{ sku: 'shoe-42', quantity: 1, amount: 10099 }] },
      headers: { 'Idempotency-Key': `purchase-${customerId}`, 'If-Match': `"${registration.revision}"` },
    });
    expect(purchased.response.status).toBe(201);
    expectConforms('/v1/customers/{customerId}/purchases', 'post', purchased);
    const purchase = purchased.data!;
    const points: number = purchase.pointsEarned;
    expect(points).toBeGreaterThan(0);
    expect(purchased.response.headers.get('etag')).toBe(`"${purchase.revision}"`);

    // The same purchase again, with the same key: nothing changed, 200 and the same body.
    const replayed = await writer.POST('/v1/customers/{customerId}/purchases', {
      params: { path: { customerId } },
      body: { purchaseId: 'p-gen-1', amount: 10099, currency: 'CNY', items: [{ sku: 'shoe-42', quantity: 1, amount: 10099 }] },
      headers: { 'Idempotency-Key': `purchase-${customerId}`, 'If-Match': `"${registration.revision}"` },
    });
    expect(replayed.response.status).toBe(200);
    expectConforms('/v1/customers/{customerId}/purchases', 'post', replayed);
    expect(replayed.data).toEqual(purchase);

    const read = await clientAs('analyst').GET('/v1/customers/{customerId}', { params: { path: { customerId }, query: { waitForPosition: purchase.position ?? undefined } } });
    expect(read.response.status).toBe(200);
    expectConforms('/v1/customers/{customerId}', 'get', read);
    expect(read.response.headers.get('x-projection-position')).toBeTruthy();
    const profile: Profile = read.data!;
    expect({ name: profile.name, tier: profile.tier, purchases: profile.stats.purchaseCount, spent: profile.stats.totalSpent }).toEqual({ name: 'Li Wei', tier: 'standard', purchases: 1, spent: 10099 });

    const history = await clientAs('auditor').GET('/v1/customers/{customerId}/events', { params: { path: { customerId }, query: { limit: 100 } } });
    expect(history.response.status).toBe(200);
    expectConforms('/v1/customers/{customerId}/events', 'get', history);
    const types: string[] = history.data!.events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['CustomerRegistered', 'PurchaseRecorded']));
    expect(history.data!.events[0].metadata.correlationId).toBe('generated-client-1');

    const again = await writer.POST('/v1/customers', { body: { customerId, name: 'Someone Else', phone: '+8613800000001' } });
    expect(again.response.status).toBe(409);
    expectConforms('/v1/customers', 'post', again);
    expect(again.data).toBeUndefined();
    // The error is typed from the document: its code is one of the server's codes.
    const code: ErrorCode | undefined = again.error?.code;
    expect({ code, type: again.error?.type, status: again.error?.status }).toEqual({ code: 'CUSTOMER_ALREADY_REGISTERED', type: '/problems/customer-already-registered', status: 409 });

    const missing = await clientAs('analyst').GET('/v1/customers/{customerId}', { params: { path: { customerId: uniqueId('nobody') } } });
    expect(missing.response.status).toBe(404);
    expectConforms('/v1/customers/{customerId}', 'get', missing);
    expect(missing.error?.code).toBe('CUSTOMER_NOT_FOUND');
  });
});
