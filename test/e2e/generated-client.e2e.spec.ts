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

  it('gets from every JSON route an answer its documented schema allows', async () => {
    const admin = clientAs('admin');
    const customerId = uniqueId('sweep');
    const path = { customerId };
    const ok = <R extends { response: Response; data?: unknown; error?: unknown }>(route: keyof paths, method: string, result: R): R => {
      expect({ route, method, status: result.response.status, error: result.error }).toEqual({ route, method, status: expect.any(Number), error: undefined });
      expectConforms(route, method, result);
      return result;
    };

    ok('/v1/customers', 'post', await admin.POST('/v1/customers', { body: { customerId, name: 'Wang Fang', phone: '+8613800000002', preferences: { channels: ['sms'] } } }));
    ok('/v1/customers/{customerId}', 'patch', await admin.PATCH('/v1/customers/{customerId}', { params: { path }, body: { tags: ['vip'], birthday: '1990-05-17' } }));
    ok('/v1/customers/{customerId}/consents/{channel}', 'put', await admin.PUT('/v1/customers/{customerId}/consents/{channel}', { params: { path: { customerId, channel: 'sms' } }, body: { purpose: 'marketing', granted: true, source: 'store form' } }));
    ok('/v1/customers/{customerId}/visits', 'post', await admin.POST('/v1/customers/{customerId}/visits', { params: { path }, body: { outletId: 'outlet-7', channel: 'store' } }));
    const purchase = ok('/v1/customers/{customerId}/purchases', 'post', await admin.POST('/v1/customers/{customerId}/purchases', { params: { path }, body: { purchaseId: 'p-sweep-1', amount: 50000, currency: 'CNY', outletId: 'outlet-7' } }));
    ok('/v1/customers/{customerId}/purchases/{purchaseId}/refunds', 'post', await admin.POST('/v1/customers/{customerId}/purchases/{purchaseId}/refunds', { params: { path: { customerId, purchaseId: purchase.data!.purchaseId } }, body: { refundId: 'r-sweep-1', amount: 1000, reason: 'damaged' } }));
    ok('/v1/customers/{customerId}/redemptions', 'post', await admin.POST('/v1/customers/{customerId}/redemptions', { params: { path }, body: { redemptionId: 'rd-sweep-1', points: 1, reason: 'gift' } }));
    ok('/v1/customers/{customerId}/points/adjustments', 'post', await admin.POST('/v1/customers/{customerId}/points/adjustments', { params: { path }, body: { adjustmentId: 'adj-sweep-1', points: 50, reason: 'goodwill' } }));
    const complaint = ok('/v1/customers/{customerId}/complaints', 'post', await admin.POST('/v1/customers/{customerId}/complaints', { params: { path }, body: { channel: 'store', category: 'service', severity: 'high', description: 'slow checkout' } }));
    const complaintId = complaint.data!.complaintId;
    ok('/v1/customers/{customerId}/complaints/{complaintId}/assignment', 'post', await admin.POST('/v1/customers/{customerId}/complaints/{complaintId}/assignment', { params: { path: { customerId, complaintId } }, body: { assignee: 'agent-3' } }));
    const followUp = ok('/v1/customers/{customerId}/follow-ups', 'post', await admin.POST('/v1/customers/{customerId}/follow-ups', { params: { path }, body: { dueAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'complaint', complaintId } }));
    ok('/v1/customers/{customerId}/complaints/{complaintId}/resolution', 'post', await admin.POST('/v1/customers/{customerId}/complaints/{complaintId}/resolution', { params: { path: { customerId, complaintId } }, body: { resolution: 'refunded', satisfaction: 4 } }));
    ok('/v1/customers/{customerId}/follow-ups/{followUpId}/completion', 'post', await admin.POST('/v1/customers/{customerId}/follow-ups/{followUpId}/completion', { params: { path: { customerId, followUpId: followUp.data!.followUpId } }, body: { outcome: 'reached', satisfaction: 5 } }));
    ok('/v1/customers/{customerId}/surveys', 'post', await admin.POST('/v1/customers/{customerId}/surveys', { params: { path }, body: { score: 9, channel: 'store' } }));
    ok('/v1/customers/{customerId}/tier', 'post', await admin.POST('/v1/customers/{customerId}/tier', { params: { path }, body: { tier: 'gold', reason: 'vip programme' } }));
    const evaluated = ok('/v1/customers/{customerId}/evaluation', 'post', await admin.POST('/v1/customers/{customerId}/evaluation', { params: { path }, body: {} }));
    const waitForPosition = evaluated.data!.position ?? undefined;

    ok('/v1/customers/{customerId}', 'get', await admin.GET('/v1/customers/{customerId}', { params: { path, query: { waitForPosition } } }));
    ok('/v1/customers/{customerId}/lifecycle', 'get', await admin.GET('/v1/customers/{customerId}/lifecycle', { params: { path, query: { waitForPosition } } }));
    ok('/v1/customers/{customerId}/loyalty', 'get', await admin.GET('/v1/customers/{customerId}/loyalty', { params: { path, query: { waitForPosition } } }));
    ok('/v1/read-models/{collection}', 'get', await admin.GET('/v1/read-models/{collection}', { params: { path: { collection: 'customer_profiles' }, query: { filter: JSON.stringify({ customerId }), waitForPosition } } }));
    ok('/v1/read-models/{collection}/aggregate', 'post', await admin.POST('/v1/read-models/{collection}/aggregate', { params: { path: { collection: 'customer_profiles' } }, body: { pipeline: [{ $match: { tier: 'gold' } }, { $count: 'customers' }] } }));
    ok('/v1/analytics/segments', 'get', await admin.GET('/v1/analytics/segments', { params: { query: { waitForPosition } } }));
    ok('/v1/complaints', 'get', await admin.GET('/v1/complaints', { params: { query: { customerId, waitForPosition } } }));
    ok('/v1/follow-ups', 'get', await admin.GET('/v1/follow-ups', { params: { query: { customerId, waitForPosition } } }));
    const year = new Date().getUTCFullYear();
    ok('/v1/analytics/complaints', 'get', await admin.GET('/v1/analytics/complaints', { params: { query: { from: `${year - 1}-01-01T00:00:00Z`, to: `${year + 1}-01-01T00:00:00Z`, groupBy: 'severity', waitForPosition } } }));
    ok('/v1/analytics/outlets', 'get', await admin.GET('/v1/analytics/outlets', { params: { query: { from: `${year - 1}-01-01`, to: `${year + 1}-12-31`, waitForPosition } } }));
    ok('/v1/analytics/rfm', 'get', await admin.GET('/v1/analytics/rfm', { params: { query: { waitForPosition } } }));

    ok('/v1/customers/{customerId}/events', 'get', await admin.GET('/v1/customers/{customerId}/events', { params: { path, query: { limit: 3 } } }));
    ok('/v1/customers/{customerId}/state', 'get', await admin.GET('/v1/customers/{customerId}/state', { params: { path, query: { revision: 2 } } }));
    ok('/v1/customers/{customerId}/events/verify', 'get', await admin.GET('/v1/customers/{customerId}/events/verify', { params: { path } }));

    const started = ok('/v1/evaluations', 'post', await admin.POST('/v1/evaluations', { body: {} }));
    expect(started.response.status).toBe(202);
    ok('/v1/evaluations/{evaluationId}', 'get', await admin.GET('/v1/evaluations/{evaluationId}', { params: { path: { evaluationId: started.data!.evaluationId } } }));
    ok('/v1/projections', 'get', await admin.GET('/v1/projections'));
    ok('/health', 'get', await createClient<paths>({ baseUrl }).GET('/health'));
    ok('/problems', 'get', await createClient<paths>({ baseUrl }).GET('/problems'));
    ok('/problems/{type}', 'get', await createClient<paths>({ baseUrl }).GET('/problems/{type}', { params: { path: { type: 'customer-not-found' } } }));

    const forgotten = ok('/v1/customers/{customerId}/personal-data', 'delete', await admin.DELETE('/v1/customers/{customerId}/personal-data', { params: { path }, body: { reason: 'erasure request #4711' } }));
    expect(forgotten.response.status).toBe(200);
    ok('/v1/customers/{customerId}', 'get', await admin.GET('/v1/customers/{customerId}', { params: { path, query: { waitForPosition: forgotten.data!.position ?? undefined } } }));
  });
});
