import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { purchase, registerCustomer } from '../support/customers';
import { KEYS, newDataDir, startTestApp, uniqueId, type TestApp } from '../support/test-app';

const eventCount = async (t: TestApp, customerId: string): Promise<number> =>
  (await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'))).body.events.length;

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('returns the first response for the same key and body, and appends nothing', async () => {
    const customerId = await registerCustomer(t);
    const body = { purchaseId: uniqueId('p'), amount: 20000, currency: 'CNY' };
    const first = await purchase(t, customerId, body).set('Idempotency-Key', 'key-1');
    const before = await eventCount(t, customerId);
    const again = await purchase(t, customerId, body).set('Idempotency-Key', 'key-1');
    expect(first.status).toBe(201);
    // Nothing was created this time: 200, with the first response's body.
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await eventCount(t, customerId)).toBe(before);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    const customerId = await registerCustomer(t);
    await purchase(t, customerId, { purchaseId: 'p-a', amount: 100 }).set('Idempotency-Key', 'key-2');
    const reused = await purchase(t, customerId, { purchaseId: 'p-b', amount: 100 }).set('Idempotency-Key', 'key-2');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('gives a retried registration without customerId the same generated customer', async () => {
    const body = { name: 'Retry', email: 'retry@example.com' };
    const first = await t.http().post('/v1/customers').set(t.as('writer')).set('Idempotency-Key', uniqueId('k')).send(body);
    const key = first.request.getHeader?.('Idempotency-Key');
    expect(first.status).toBe(201);
    const again = await t.http().post('/v1/customers').set(t.as('writer')).set('Idempotency-Key', String(key)).send(body);
    expect(again.body).toEqual(first.body);
  });

  it('gives a retried complaint without complaintId the same complaint', async () => {
    const customerId = await registerCustomer(t);
    const body = { channel: 'email', category: 'delivery', severity: 'normal', description: 'late' };
    const first = await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).set('Idempotency-Key', 'k-c').send(body);
    const again = await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).set('Idempotency-Key', 'k-c').send(body);
    expect(again.body).toEqual(first.body);
    expect(await eventCount(t, customerId)).toBe(2);
  });

  it('rejects an over-long key', async () => {
    const customerId = await registerCustomer(t);
    const response = await purchase(t, customerId).set('Idempotency-Key', 'k'.repeat(129));
    expect(response.status).toBe(400);
  });
});

/** The claims live beside the read models: on the embedded store, and on MongoDB when MONGO_URL is set (one database per run). */
const claimStores: [string, NodeJS.ProcessEnv][] = [['READ_STORE=sqlite', {}]];
if (process.env.MONGO_URL) {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(process.env.MONGO_URL);
  if (match) claimStores.push(['READ_STORE=mongodb', { READ_STORE: 'mongodb', MONGO_URL: `${match[1]}/customer_ledger_e2e_idem_${randomUUID().replace(/-/g, '').slice(0, 12)}${match[2] ?? ''}` }]);
}

describe.each(claimStores)('Idempotency-Key scoped per API key (across customers and routes), %s', (_, storeEnv) => {
  // Two writer keys: test-writer (t.as('writer')) and other-writer.
  const OTHER_WRITER = 'other-writer-secret-0001';
  const API_KEYS = `test-writer:writer:${KEYS.writer},other-writer:writer:${OTHER_WRITER},test-auditor:auditor:${KEYS.auditor}`;
  const env = { ...storeEnv, API_KEYS };
  const asOther = { Authorization: `Bearer ${OTHER_WRITER}` };
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(newDataDir(), env);
  });
  afterAll(async () => {
    await t.destroy();
    if (storeEnv.MONGO_URL) {
      const client = new MongoClient(storeEnv.MONGO_URL);
      await client.db().dropDatabase().finally(() => client.close());
    }
  });

  const visit = (customerId: string) => t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).send({ outletId: 'o-1', channel: 'store' });

  it('refuses the same key and body on a second customer with 422 IDEMPOTENCY_KEY_REUSED, and appends nothing there', async () => {
    const [a, b] = [await registerCustomer(t), await registerCustomer(t)];
    const key = uniqueId('k');
    const body = { purchaseId: uniqueId('p'), amount: 5000, currency: 'CNY' };
    const first = await purchase(t, a, body).set('Idempotency-Key', key);
    expect(first.status).toBe(201);
    const before = await eventCount(t, b);
    const reused = await purchase(t, b, body).set('Idempotency-Key', key);
    expect(reused.status).toBe(422);
    expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reused.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', type: '/problems/idempotency-key-reused' });
    expect(await eventCount(t, b)).toBe(before);
    // The first customer's retry still gets the first response.
    const retry = await purchase(t, a, body).set('Idempotency-Key', key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });

  it('refuses the same key on another route of the same customer', async () => {
    const customerId = await registerCustomer(t);
    const key = uniqueId('k');
    expect((await purchase(t, customerId).set('Idempotency-Key', key)).status).toBe(201);
    const before = await eventCount(t, customerId);
    const reused = await visit(customerId).set('Idempotency-Key', key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await eventCount(t, customerId)).toBe(before);
  });

  it('refuses a key first used on a registration for a command on another customer', async () => {
    const key = uniqueId('k');
    const registered = await t.http().post('/v1/customers').set(t.as('writer')).set('Idempotency-Key', key).send({ name: 'Ann', email: 'ann@example.com' });
    expect(registered.status).toBe(201);
    const other = await registerCustomer(t);
    const reused = await visit(other).set('Idempotency-Key', key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets two API keys use the same key independently, on two customers and on one', async () => {
    const [a, b] = [await registerCustomer(t), await registerCustomer(t)];
    const key = uniqueId('k');
    const mine = await purchase(t, a, { amount: 1000 }).set('Idempotency-Key', key);
    const theirs = await t.http().post(`/v1/customers/${b}/purchases`).set(asOther).set('Idempotency-Key', key).send({ purchaseId: uniqueId('p'), amount: 1000, currency: 'CNY' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);

    // On one customer, with the same body: each key's own command, each one's own first response.
    const shared = uniqueId('k');
    const visitBody = { outletId: 'o-1', channel: 'store' };
    const first = await t.http().post(`/v1/customers/${a}/visits`).set(t.as('writer')).set('Idempotency-Key', shared).send(visitBody);
    const second = await t.http().post(`/v1/customers/${a}/visits`).set(asOther).set('Idempotency-Key', shared).send(visitBody);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.revision).toBe(first.body.revision + 1);
    const retryFirst = await t.http().post(`/v1/customers/${a}/visits`).set(t.as('writer')).set('Idempotency-Key', shared).send(visitBody);
    const retrySecond = await t.http().post(`/v1/customers/${a}/visits`).set(asOther).set('Idempotency-Key', shared).send(visitBody);
    expect([retryFirst.status, retrySecond.status]).toEqual([200, 200]);
    expect(retryFirst.body).toEqual(first.body);
    expect(retrySecond.body).toEqual(second.body);
    const history = await t.http().get(`/v1/customers/${a}/events`).set(t.as('auditor'));
    const ids = (history.body.events as { eventId?: string; metadata?: { eventId: string } }[]).map((e) => e.eventId ?? e.metadata?.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers a retry with the first response (200, same body)', async () => {
    const customerId = await registerCustomer(t);
    const key = uniqueId('k');
    const body = { purchaseId: uniqueId('p'), amount: 7000, currency: 'CNY' };
    const first = await purchase(t, customerId, body).set('Idempotency-Key', key);
    const retry = await purchase(t, customerId, body).set('Idempotency-Key', key);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body).toEqual(first.body);
  });

  it('appends exactly once for ten concurrent identical requests', async () => {
    const customerId = await registerCustomer(t);
    const before = await eventCount(t, customerId);
    const key = uniqueId('k');
    const body = { outletId: 'o-2', channel: 'app' };
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).set('Idempotency-Key', key).send(body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    for (const response of responses) expect(response.body).toEqual(responses[0].body);
    expect(await eventCount(t, customerId)).toBe(before + 1);
  });

  it('refuses the same key on another customer from another service instance on the same data (the claim is shared)', async () => {
    const other = await startTestApp(t.dataDir, env);
    try {
      const [a, b] = [await registerCustomer(t), await registerCustomer(t)];
      const key = uniqueId('k');
      expect((await visit(a).set('Idempotency-Key', key)).status).toBe(201);
      const reused = await other.http().post(`/v1/customers/${b}/visits`).set(other.as('writer')).set('Idempotency-Key', key).send({ outletId: 'o-1', channel: 'store' });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    } finally {
      await other.close();
    }
  });
});

describe('Idempotency-Key across a restart', () => {
  it('still returns the first response after the app restarts on the same data directory', async () => {
    const dataDir = newDataDir();
    const first = await startTestApp(dataDir);
    const customerId = await registerCustomer(first);
    const body = { purchaseId: 'p-restart', amount: 12345, currency: 'CNY' };
    const original = await purchase(first, customerId, body).set('Idempotency-Key', 'restart-key');
    await first.close();

    const second = await startTestApp(dataDir);
    try {
      const replay = await purchase(second, customerId, body).set('Idempotency-Key', 'restart-key');
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(original.body);
      expect(await eventCount(second, customerId)).toBe(original.body.revision + 1);
      const reused = await purchase(second, customerId, { ...body, amount: 1 }).set('Idempotency-Key', 'restart-key');
      expect(reused.status).toBe(422);
    } finally {
      await second.destroy();
    }
  });
});

describe('concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('accepts 25 parallel purchases on one customer and loses none', async () => {
    const customerId = await registerCustomer(t);
    const responses = await Promise.all(Array.from({ length: 25 }, (_, i) => purchase(t, customerId, { purchaseId: `p-par-${i}`, amount: 1000 })));
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(201));
    const revisions = responses.map((r) => r.body.revision as number);
    expect(new Set(revisions).size).toBe(25);
    const state = await t.http().get(`/v1/customers/${customerId}/state`).set(t.as('auditor'));
    expect(state.body.state.purchases).toHaveLength(25);
    expect(state.body.state.points.balance).toBe(25 * 10);
  });

  it('runs a command with a matching If-Match and answers 412 REVISION_CONFLICT otherwise', async () => {
    const customerId = await registerCustomer(t);
    const stale = await t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).set('If-Match', '"5"').send({ outletId: 'o', channel: 'store' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('REVISION_CONFLICT');
    const fresh = await t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).set('If-Match', '"0"').send({ outletId: 'o', channel: 'store' });
    expect(fresh.status).toBe(201);
    expect(fresh.headers.etag).toBe('"1"');
  });

  it('takes If-Match: * as "the customer exists": 412 for a customer that does not, the command otherwise', async () => {
    const missing = await t.http().post(`/v1/customers/${uniqueId()}/visits`).set(t.as('writer')).set('If-Match', '*').send({ outletId: 'o', channel: 'store' });
    expect(missing.status).toBe(412);
    expect(missing.body.code).toBe('REVISION_CONFLICT');
    const registerOverExisting = await t.http().post('/v1/customers').set(t.as('writer')).set('If-Match', '*').send({ customerId: uniqueId(), name: 'Li Wei', email: 'li@example.com' });
    expect(registerOverExisting.status).toBe(412);
    const customerId = await registerCustomer(t);
    const visit = await t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).set('If-Match', '*').send({ outletId: 'o', channel: 'store' });
    expect(visit.status).toBe(201);
  });

  it('answers a registration with Location (201), and a replay without one (200)', async () => {
    const body = { customerId: uniqueId(), name: 'Li Wei', email: 'li@example.com' };
    const created = await t.http().post('/v1/customers').set(t.as('writer')).set('Idempotency-Key', `loc-${body.customerId}`).send(body);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/v1/customers/${body.customerId}`);
    const replay = await t.http().post('/v1/customers').set(t.as('writer')).set('Idempotency-Key', `loc-${body.customerId}`).send(body);
    expect(replay.status).toBe(200);
    expect(replay.headers.location).toBeUndefined();
    const visit = await t.http().post(`/v1/customers/${body.customerId}/visits`).set(t.as('writer')).send({ outletId: 'o', channel: 'store' });
    expect(visit.status).toBe(201);
    expect(visit.headers.location).toBeUndefined();
  });

  it('lets exactly one of two commands with the same If-Match win', async () => {
    const customerId = await registerCustomer(t);
    const send = () => t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).set('If-Match', '"0"').send({ outletId: 'o', channel: 'app' });
    const statuses = (await Promise.all([send(), send()])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 412]);
  });

  it('rejects a malformed If-Match', async () => {
    const customerId = await registerCustomer(t);
    const response = await t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).set('If-Match', 'banana').send({ outletId: 'o', channel: 'store' });
    expect(response.status).toBe(400);
  });
});

describe('two service instances on one data directory (each with its own cache)', () => {
  it('decides on the store, never on a stale cache: errors are rechecked and appends verified by revision', async () => {
    const t = await startTestApp();
    const other = await startTestApp(t.dataDir);
    try {
      const customerId = await registerCustomer(t);
      await purchase(t, customerId, { amount: 1000 }); // t caches the customer at this revision
      const filed = await other.http().post(`/v1/customers/${customerId}/complaints`).set(other.as('writer')).send({ channel: 'store', category: 'service', severity: 'low', description: 'slow' });
      expect(filed.status).toBe(201);
      const resolved = await t.http().post(`/v1/customers/${customerId}/complaints/${filed.body.complaintId}/resolution`).set(t.as('writer')).send({ resolution: 'apologised' });
      expect(resolved.status).toBe(201);
      await purchase(other, customerId, { amount: 2000 });
      const stalePurchase = await purchase(t, customerId, { amount: 3000 });
      expect(stalePurchase.status).toBe(201);
      const history = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
      const revisions = (history.body.events as { revision: number }[]).map((e) => e.revision);
      expect(revisions).toEqual(revisions.map((_, i) => i));
      expect((await t.http().get(`/v1/customers/${customerId}/events/verify`).set(t.as('auditor'))).body.valid).toBe(true);
    } finally {
      await other.close();
      await t.destroy();
    }
  });
});
