import { ERROR_CODES } from '../../src/http/error-codes';
import { registerCustomer } from '../support/customers';
import { startTestApp, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp();
  customerId = await registerCustomer(t);
});
afterAll(() => t.destroy());

type Route = { method: 'get' | 'post'; path: () => string; roles: KeyRole[]; body?: object };

const ROUTES: Route[] = [
  { method: 'post', path: () => '/v1/customers', roles: ['writer', 'admin'], body: { name: 'Auth', email: 'auth@example.com' } },
  { method: 'post', path: () => `/v1/customers/${customerId}/visits`, roles: ['writer', 'admin'], body: { outletId: 'o', channel: 'store' } },
  { method: 'post', path: () => `/v1/customers/${customerId}/complaints`, roles: ['writer', 'admin'], body: { channel: 'x', category: 'y', severity: 'low', description: 'z' } },
  { method: 'post', path: () => `/v1/customers/${customerId}/complaints/unknown/resolution`, roles: ['writer', 'admin'], body: { resolution: 'r' } },
  { method: 'post', path: () => `/v1/customers/${customerId}/purchases`, roles: ['writer', 'admin'], body: { purchaseId: `p-${Math.random().toString(36).slice(2)}`, amount: 100, currency: 'CNY' } },
  { method: 'post', path: () => `/v1/customers/${customerId}/tier`, roles: ['writer', 'admin'], body: { tier: 'silver', reason: 'r' } },
  { method: 'post', path: () => `/v1/customers/${customerId}/lifecycle/evaluation`, roles: ['writer', 'admin'], body: {} },
  { method: 'get', path: () => `/v1/customers/${customerId}/events`, roles: ['auditor', 'admin'] },
  { method: 'get', path: () => `/v1/customers/${customerId}/state`, roles: ['auditor', 'admin'] },
  { method: 'get', path: () => `/v1/customers/${customerId}/events/verify`, roles: ['auditor', 'admin'] },
  { method: 'get', path: () => `/v1/customers/${customerId}/events/export`, roles: ['auditor', 'admin'] },
];

const ALL_ROLES: KeyRole[] = ['writer', 'auditor', 'analyst', 'admin'];

describe.each(ROUTES)('$method $path', (route) => {
  const call = () => {
    const req = t.http()[route.method](route.path());
    return route.body ? req.send(route.body) : req;
  };

  it('answers 401 UNAUTHENTICATED without a key and with an unknown key', async () => {
    for (const response of [await call(), await call().set('Authorization', 'Bearer not-a-key')]) {
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it.each(ALL_ROLES)('as %s: allowed only for its roles', async (role) => {
    const response = await call().set(t.as(role));
    if (route.roles.includes(role)) {
      expect([401, 403]).not.toContain(response.status);
    } else {
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
  });
});

it('serves /health without a key', async () => {
  const response = await t.http().get('/health');
  expect(response.status).toBe(200);
  expect(response.body.status).toBe('ok');
});

it('serves the OpenAPI document at /docs', async () => {
  expect((await t.http().get('/docs-json')).status).toBe(401);
  const response = await t.http().get('/docs-json').set(t.as('analyst'));
  expect(response.status).toBe(200);
  expect(Object.keys(response.body.paths)).toContain('/v1/customers/{customerId}/purchases');
});

it('lists every error code in the OpenAPI document, and every operation answers problem+json on error', async () => {
  const response = await t.http().get('/docs-json').set(t.as('analyst'));
  const codes = response.body.components.schemas.Problem.properties.code.enum as string[];
  expect([...codes].sort()).toEqual([...ERROR_CODES].sort());
  for (const code of ['DUPLICATE_VISIT', 'DUPLICATE_COMPLAINT', 'INSUFFICIENT_POINTS', 'OCCURRED_AT_TOO_OLD', 'EXCHANGE_RATE_REQUIRED', 'EVALUATION_RUNNING']) expect(codes).toContain(code);
  for (const [path, item] of Object.entries(response.body.paths as Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>)) {
    for (const operation of Object.values(item)) {
      expect(operation.responses['4XX']).toBeDefined();
      if (path.startsWith('/health')) expect(operation.security).toEqual([]);
    }
  }
  expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/v1/customers/{customerId}/evaluation', '/v1/evaluations', '/v1/customers/{customerId}/redemptions']));
});
