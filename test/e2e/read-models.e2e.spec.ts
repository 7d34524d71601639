import { PROJECTIONS } from '../../projections';
import { EVENT_STORE } from '../../src/event-store/event-store.token';
import { ReadModels } from '../../src/projection-engine/read-models';
import type { ReadModelStore } from '../../src/read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../../src/read-store/read-model-store.token';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const ALL_ROLES: KeyRole[] = ['writer', 'auditor', 'analyst', 'admin'];

describe('read-your-writes with waitForPosition', () => {
  it('shows a purchase in all three read models once the projections passed its position', async () => {
    const customerId = await registerCustomer(t, { outletId: 'outlet-7' });
    const response = await purchase(t, customerId, { amount: 10099 });
    expect(response.status).toBe(201);
    const { position } = response.body as { position: string };

    const profile = await t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: position }).set(t.as('analyst'));
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ _id: customerId, outletId: 'outlet-7', tier: 'standard', stats: { purchaseCount: 1, totalSpent: 10099 } });
    expect(profile.headers['x-projection-position']).toMatch(/^\d+\/\d+$/);

    const loyalty = await t.http().get(`/v1/customers/${customerId}/loyalty`).query({ waitForPosition: position }).set(t.as('analyst'));
    expect(loyalty.body).toMatchObject({ _id: customerId, balance: 100, lifetimeEarned: 100 });

    const lifecycle = await t.http().get(`/v1/customers/${customerId}/lifecycle`).query({ waitForPosition: position }).set(t.as('analyst'));
    expect(lifecycle.status).toBe(200);
    expect(lifecycle.body._id).toBe(customerId);
  });

  it('answers 404 CUSTOMER_NOT_FOUND for a customer without documents, and 400 for a malformed position', async () => {
    const missing = await t.http().get(`/v1/customers/${uniqueId()}`).set(t.as('analyst'));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CUSTOMER_NOT_FOUND');
    const malformed = await t.http().get(`/v1/customers/${uniqueId()}`).query({ waitForPosition: '12' }).set(t.as('analyst'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /v1/read-models/{collection}', () => {
  let outlet: string;
  let position: string;
  beforeAll(async () => {
    outlet = uniqueId('outlet');
    for (const amount of [5000, 20000, 80000]) {
      const customerId = await registerCustomer(t, { outletId: outlet });
      position = (await purchase(t, customerId, { amount })).body.position;
    }
  });

  it('filters, sorts, skips and limits with the MongoDB query language', async () => {
    const response = await t
      .http()
      .get('/v1/read-models/customer_profiles')
      .query({ filter: JSON.stringify({ outletId: outlet, 'stats.totalSpent': { $gte: 10000 } }), sort: '{"stats.totalSpent":-1}', limit: 1, skip: 0, waitForPosition: position })
      .set(t.as('analyst'));
    expect(response.status).toBe(200);
    expect(response.body.limit).toBe(1);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0].stats.totalSpent).toBe(80000);
  });

  it.each([
    ['$where', { $where: 'sleep(5000) || true' }],
    ['$function', { tier: { $function: { body: 'function() { return true }', args: [], lang: 'js' } } }],
    ['$expr', { $expr: { $gt: ['$stats.totalSpent', 0] } }],
    ['$accumulator', { $or: [{ tier: { $accumulator: {} } }] }],
  ])('refuses %s with 400 VALIDATION_FAILED naming it', async (operator, filter) => {
    const response = await t.http().get('/v1/read-models/customer_profiles').query({ filter: JSON.stringify(filter) }).set(t.as('analyst'));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(response.body)).toContain(operator);
  });

  it('refuses malformed JSON, a limit over 1000 and an unknown collection', async () => {
    const bad = await t.http().get('/v1/read-models/customer_profiles').query({ filter: '{tier:' }).set(t.as('analyst'));
    expect(bad.status).toBe(400);
    const tooMany = await t.http().get('/v1/read-models/customer_profiles').query({ limit: 1001 }).set(t.as('analyst'));
    expect(tooMany.status).toBe(400);
    const unknown = await t.http().get('/v1/read-models/events').set(t.as('analyst'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
  });
});

describe('GET /v1/analytics/segments', () => {
  it('counts profiles by tier and stage', async () => {
    const customerId = await registerCustomer(t);
    const { position } = (await purchase(t, customerId, { amount: 1_500_000 })).body as { position: string };
    const response = await t.http().get('/v1/analytics/segments').query({ waitForPosition: position }).set(t.as('analyst'));
    expect(response.status).toBe(200);
    const segments = response.body.segments as { tier: string; stage: string; count: number }[];
    expect(segments.find((s) => s.tier === 'gold')?.count).toBeGreaterThanOrEqual(1);
    expect(response.body.total).toBe(segments.reduce((sum, s) => sum + s.count, 0));
  });
});

describe('projections (admin)', () => {
  it('lists every projection with position, lag and status, and rebuilds one without downtime', async () => {
    const customerId = await registerCustomer(t);
    const list = await t.http().get('/v1/projections').set(t.as('admin'));
    expect(list.status).toBe(200);
    // Projections first, then the process managers (kind 'process-manager', test/e2e/referrals.e2e.spec.ts).
    expect(list.body.filter((p: { kind: string }) => p.kind === 'projection').map((p: { name: string }) => p.name).sort()).toEqual(PROJECTIONS.map((p) => p.name).sort());
    expect(list.body.filter((p: { kind: string }) => p.kind === 'process-manager').map((p: { name: string }) => p.name)).toEqual(['referral-rewards']);
    for (const projection of list.body) expect(projection).toMatchObject({ status: expect.stringMatching(/running|rebuilding/), lag: expect.any(Number) });

    const rebuild = await t.http().post('/v1/projections/loyalty_balances/rebuild').set(t.as('admin'));
    expect(rebuild.status).toBe(202);
    const during = await t.http().get(`/v1/customers/${customerId}/loyalty`).set(t.as('analyst'));
    expect([200, 404]).toContain(during.status);
    const { position } = (await purchase(t, customerId, { amount: 1000 })).body as { position: string };
    const after = await t.http().get(`/v1/customers/${customerId}/loyalty`).query({ waitForPosition: position }).set(t.as('analyst'));
    expect(after.body).toMatchObject({ balance: 10 });
    expect((await t.http().post('/v1/projections/nope/rebuild').set(t.as('admin'))).status).toBe(404);
  });
});

describe.each([
  { path: () => `/v1/customers/${uniqueId()}`, roles: ['analyst', 'admin'] },
  { path: () => `/v1/customers/${uniqueId()}/lifecycle`, roles: ['analyst', 'admin'] },
  { path: () => `/v1/customers/${uniqueId()}/loyalty`, roles: ['analyst', 'admin'] },
  { path: () => '/v1/read-models/customer_profiles', roles: ['analyst', 'admin'] },
  { path: () => '/v1/analytics/segments', roles: ['analyst', 'admin'] },
  { path: () => '/v1/projections', roles: ['admin'] },
  { path: () => '/metrics', roles: ['admin'] },
])('roles on GET $path', ({ path, roles }) => {
  it('answers 401 without a key', async () => {
    expect((await t.http().get(path())).status).toBe(401);
  });
  it.each(ALL_ROLES)('as %s', async (role) => {
    const response = await t.http().get(path()).set(t.as(role));
    if (roles.includes(role)) expect([401, 403]).not.toContain(response.status);
    else expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});

it('reports both stores in /health and answers 503 STORE_UNAVAILABLE, appending nothing, once the event store is gone', async () => {
  const own = await startTestApp();
  try {
    const customerId = await registerCustomer(own);
    await own.app.get<{ close(): Promise<void> }>(EVENT_STORE).close();
    const command = await own.http().post(`/v1/customers/${customerId}/visits`).set(own.as('writer')).send({ outletId: 'o', channel: 'store' });
    expect(command.status).toBe(503);
    expect(command.body.code).toBe('STORE_UNAVAILABLE');
    const health = await own.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', eventStore: 'down', readStore: 'up' });
  } finally {
    await own.destroy();
  }
});

describe('a runaway regular expression from an analyst', () => {
  it('is answered in linear time while /health keeps answering', async () => {
    // (a|a)*b against 65 a's never finished on a backtracking engine; the process had to be killed.
    const customerId = await registerCustomer(t, { name: 'a'.repeat(65), address: 'b'.repeat(27) });
    const { position } = (await purchase(t, customerId)).body as { position: string };
    const queries = [{ name: { $regex: '(a|a)*b' } }, { address: { $regex: '(b|b)*c' } }, { _id: customerId, name: { $regex: '^(a|a)*$' } }].map((filter) =>
      t.http().get('/v1/read-models/customer_profiles').query({ filter: JSON.stringify(filter), waitForPosition: position }).set(t.as('analyst')),
    );
    const [health, ...answers] = await Promise.all([t.http().get('/health'), ...queries]);
    expect(health.status).toBe(200);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers[0].body.items).toEqual([]);
    expect(answers[1].body.items).toEqual([]);
    expect(answers[2].body.items.map((doc: { _id: string }) => doc._id)).toEqual([customerId]);
  });

  it('is refused when it is not RE2 syntax (backreferences, lookaround)', async () => {
    for (const pattern of ['(a)\\1', '(?=a)a']) {
      const response = await t.http().get('/v1/read-models/customer_profiles').query({ filter: JSON.stringify({ name: { $regex: pattern } }) }).set(t.as('analyst'));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });
});

it('answers a query past QUERY_TIMEOUT_MS with 422 QUERY_TIMEOUT, serving /health meanwhile', async () => {
  const own = await startTestApp(undefined, { QUERY_TIMEOUT_MS: '1' });
  try {
    const customerId = await registerCustomer(own, { name: 'Zhang Wei' });
    const { position } = (await purchase(own, customerId)).body as { position: string };
    // 40 000 more profiles, written straight into the active collection: an unindexed scan of them takes far more than 1 ms.
    const store = own.app.get<ReadModelStore>(READ_MODEL_STORE);
    const collection = await own.app.get(ReadModels).collectionOf('customer_profiles');
    for (let from = 0; from < 40_000; from += 10_000) {
      const writes = Array.from({ length: 10_000 }, (_, i) => ({ _id: `bulk-${from + i}`, doc: { _id: `bulk-${from + i}`, name: `Customer ${from + i}`, tier: 'standard', revision: 0 } }));
      await store.writeBatch(collection, writes, { name: `bulk-${from}`, position: '1/1' });
    }
    const slow = own
      .http()
      .get('/v1/read-models/customer_profiles')
      .query({ filter: JSON.stringify({ name: { $regex: 'x+y$' } }), waitForPosition: position })
      .set(own.as('analyst'));
    let healthAnswers = 0;
    let done = false;
    void slow.then(() => (done = true));
    while (!done) {
      const health = await own.http().get('/health');
      if (!done && health.status === 200) healthAnswers += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const response = await slow;
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 422, code: 'QUERY_TIMEOUT' });
    expect(healthAnswers).toBeGreaterThanOrEqual(1);
    const indexed = await own.http().get(`/v1/customers/${customerId}`).set(own.as('analyst'));
    expect(indexed.status).toBe(200);
  } finally {
    await own.destroy();
  }
});
