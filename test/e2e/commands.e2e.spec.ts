import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const expectProblem = (response: { status: number; body: Record<string, unknown>; headers: Record<string, string> }, status: number, code: string) => {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
};

describe('POST /v1/customers', () => {
  it('registers a customer and answers 201 with revision 0, a position and an ETag', async () => {
    const customerId = uniqueId();
    const response = await t.http().post('/v1/customers').set(t.as('writer')).send({ customerId, name: 'Li Wei', phone: '+86 138 0000 0000' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customerId, revision: 0, position: expect.any(String) });
    expect(response.headers.etag).toBe('"0"');
  });

  it('generates a customer id when none is given', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).send({ name: 'Anon', email: 'a@example.com' });
    expect(response.status).toBe(201);
    expect(response.body.customerId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects registering an existing id with 409 CUSTOMER_ALREADY_REGISTERED', async () => {
    const customerId = await registerCustomer(t);
    expectProblem(await t.http().post('/v1/customers').set(t.as('writer')).send({ customerId, name: 'Again', email: 'x@example.com' }), 409, 'CUSTOMER_ALREADY_REGISTERED');
  });

  it('rejects a body without email and phone with 400 VALIDATION_FAILED', async () => {
    expectProblem(await t.http().post('/v1/customers').set(t.as('writer')).send({ name: 'No contact' }), 400, 'VALIDATION_FAILED');
  });

  it('lists every invalid field', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).send({ customerId: 'bad id!', name: '', email: 'not-an-email' });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect((response.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['customerId', 'email', 'name']);
  });

  it('rejects occurredAt more than 5 minutes in the future', async () => {
    const occurredAt = new Date(Date.now() + 10 * 60_000).toISOString();
    expectProblem(await t.http().post('/v1/customers').set(t.as('writer')).send({ name: 'Future', email: 'f@example.com', occurredAt }), 400, 'VALIDATION_FAILED');
  });
});

describe('POST /v1/customers/{id}/visits', () => {
  it('records a visit', async () => {
    const customerId = await registerCustomer(t);
    const response = await t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).send({ outletId: 'outlet-1', channel: 'store', purpose: 'browse' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customerId, revision: 1, visitId: expect.any(String) });
  });

  it('answers 404 CUSTOMER_NOT_FOUND for an unknown customer', async () => {
    expectProblem(await t.http().post(`/v1/customers/${uniqueId()}/visits`).set(t.as('writer')).send({ outletId: 'o1', channel: 'store' }), 404, 'CUSTOMER_NOT_FOUND');
  });

  it('rejects an unknown channel', async () => {
    const customerId = await registerCustomer(t);
    expectProblem(await t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).send({ outletId: 'o1', channel: 'carrier-pigeon' }), 400, 'VALIDATION_FAILED');
  });

  it('rejects a malformed customer id in the path', async () => {
    expectProblem(await t.http().post(`/v1/customers/${'x'.repeat(65)}/visits`).set(t.as('writer')).send({ outletId: 'o1', channel: 'store' }), 400, 'VALIDATION_FAILED');
  });
});

describe('complaints', () => {
  it('files a complaint, returns its id, and resolves it once', async () => {
    const customerId = await registerCustomer(t);
    const filed = await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).send({ channel: 'phone', category: 'billing', severity: 'high', description: 'charged twice' });
    expect(filed.status).toBe(201);
    const { complaintId } = filed.body as { complaintId: string };
    expect(complaintId).toEqual(expect.any(String));

    const resolved = await t.http().post(`/v1/customers/${customerId}/complaints/${complaintId}/resolution`).set(t.as('writer')).send({ resolution: 'refunded', satisfaction: 4 });
    expect(resolved.status).toBe(201);
    // The resolution appends its follow-up (回访) with it: revision 2 is the resolution, 3 the follow-up.
    expect(resolved.body).toMatchObject({ customerId, complaintId, revision: 3 });

    expectProblem(await t.http().post(`/v1/customers/${customerId}/complaints/${complaintId}/resolution`).set(t.as('writer')).send({ resolution: 'again' }), 409, 'COMPLAINT_ALREADY_RESOLVED');
  });

  it('answers 404 COMPLAINT_NOT_FOUND when resolving an unknown complaint', async () => {
    const customerId = await registerCustomer(t);
    expectProblem(await t.http().post(`/v1/customers/${customerId}/complaints/nope/resolution`).set(t.as('writer')).send({ resolution: 'x' }), 404, 'COMPLAINT_NOT_FOUND');
  });

  it('rejects a satisfaction outside 1..5 and an unknown severity', async () => {
    const customerId = await registerCustomer(t);
    expectProblem(await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).send({ channel: 'phone', category: 'x', severity: 'apocalyptic', description: 'd' }), 400, 'VALIDATION_FAILED');
    const filed = await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).send({ channel: 'phone', category: 'x', severity: 'low', description: 'd' });
    expectProblem(await t.http().post(`/v1/customers/${customerId}/complaints/${filed.body.complaintId}/resolution`).set(t.as('writer')).send({ resolution: 'ok', satisfaction: 6 }), 400, 'VALIDATION_FAILED');
  });
});

describe('POST /v1/customers/{id}/purchases', () => {
  it('records a purchase and returns points, tier and stage', async () => {
    const customerId = await registerCustomer(t);
    const response = await purchase(t, customerId, { amount: 10099, items: [{ sku: 'sku-1', quantity: 1, amount: 10099 }] });
    expect(response.status).toBe(201);
    // PurchaseRecorded, PointsEarned, LifecycleStageChanged (prospect → new): revisions 1..3
    expect(response.body).toMatchObject({ customerId, revision: 3, pointsEarned: 100, tier: 'standard', stage: 'new' });
  });

  it('upgrades to silver inside the purchase that crosses 3 000.00, earning at the old tier', async () => {
    const customerId = await registerCustomer(t);
    const response = await purchase(t, customerId, { amount: 300_000 });
    expect(response.body).toMatchObject({ pointsEarned: 3000, tier: 'silver' });
    const next = await purchase(t, customerId, { amount: 10099 });
    expect(next.body).toMatchObject({ pointsEarned: 126, tier: 'silver', stage: 'repeat' });
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 10.5],
    ['a string', '100'],
  ])('rejects a %s amount with 400 and appends nothing', async (_label, amount) => {
    const customerId = await registerCustomer(t);
    expectProblem(await purchase(t, customerId, { amount }), 400, 'VALIDATION_FAILED');
    const history = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
    expect(history.body.events).toHaveLength(1);
  });

  it('answers 409 DUPLICATE_PURCHASE for a purchase id re-sent with another amount, and nothing for an identical re-send', async () => {
    const customerId = await registerCustomer(t);
    const first = await purchase(t, customerId, { purchaseId: 'p-dup', amount: 5000 });
    expect(first.status).toBe(201);
    const same = await purchase(t, customerId, { purchaseId: 'p-dup', amount: 5000 });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ revision: first.body.revision, pointsEarned: 50 });
    expectProblem(await purchase(t, customerId, { purchaseId: 'p-dup', amount: 6000 }), 409, 'DUPLICATE_PURCHASE');
  });

  it('rejects a lower-case currency', async () => {
    const customerId = await registerCustomer(t);
    expectProblem(await purchase(t, customerId, { currency: 'cny' }), 400, 'VALIDATION_FAILED');
  });
});

describe('POST /v1/customers/{id}/tier', () => {
  it('changes the tier by hand with a reason', async () => {
    const customerId = await registerCustomer(t);
    const response = await t.http().post(`/v1/customers/${customerId}/tier`).set(t.as('writer')).send({ tier: 'gold', reason: 'VIP agreement' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ tier: 'gold', revision: 1 });
  });

  it('rejects a tier that does not exist', async () => {
    const customerId = await registerCustomer(t);
    expectProblem(await t.http().post(`/v1/customers/${customerId}/tier`).set(t.as('writer')).send({ tier: 'platinum', reason: 'x' }), 400, 'VALIDATION_FAILED');
  });
});

describe('POST /v1/customers/{id}/lifecycle/evaluation', () => {
  it('records at_risk when the last purchase is more than 90 days before asOf', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    await purchase(t, customerId, { occurredAt: '2026-01-02T00:00:00.000Z' });
    const response = await t.http().post(`/v1/customers/${customerId}/lifecycle/evaluation`).set(t.as('writer')).send({ asOf: '2026-05-01T00:00:00.000Z' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ stage: 'at_risk' });
  });
});

describe('request bodies', () => {
  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).set('content-type', 'application/json').send('{"name": ');
    expectProblem(response, 400, 'VALIDATION_FAILED');
  });

  it('answers a body over 256 kB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).send({ name: 'Big', email: 'b@example.com', address: 'x'.repeat(300 * 1024) });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a JSON array body with 400', async () => {
    expectProblem(await t.http().post('/v1/customers').set(t.as('writer')).send([{ name: 'x', email: 'x@example.com' }]), 400, 'VALIDATION_FAILED');
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    expectProblem(await t.http().get('/v1/nothing-here').set(t.as('admin')), 404, 'NOT_FOUND');
  });

  it('echoes X-Correlation-Id and stores it in the events', async () => {
    const customerId = uniqueId();
    const response = await t.http().post('/v1/customers').set(t.as('writer')).set('X-Correlation-Id', 'corr-42').send({ customerId, name: 'C', email: 'c@example.com' });
    expect(response.headers['x-correlation-id']).toBe('corr-42');
    const history = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
    expect(history.body.events[0].metadata).toMatchObject({ correlationId: 'corr-42', actor: { name: 'test-writer', role: 'writer' } });
  });
});
