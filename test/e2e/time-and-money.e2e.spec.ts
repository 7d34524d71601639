/** Instants, bitemporal state, late facts and money over real HTTP. */
import fc from 'fast-check';
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE } from '../../src/event-store/event-store.token';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const head = () => t.app.get<EventStore>(EVENT_STORE).headPosition();

/** Instants in grammars ISO 8601 has and RFC 3339 forbids, out-of-range years and impossible dates. */
const badInstant = fc.oneof(
  fc.constantFrom('2026-W48', '2026-W48-2', '2026-328', '2026-11-24', '2026-11', '2026', '20261124T100000Z', '2026-11-24T10:00', '2026-11-24T10:00:00', '2026-11-24T10Z', '--11-24', 'T10:00:00Z', 'now', ''),
  fc.record({ y: fc.integer({ min: 0, max: 1969 }), m: fc.integer({ min: 1, max: 12 }) }).map(({ y, m }) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01T00:00:00Z`),
  fc.constantFrom('2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00').map((date) => `${date}T00:00:00Z`),
  fc.constantFrom('24:00:00', '23:60:00', '23:59:60', '10:00:00.1234', '10:00:00.').map((time) => `2026-11-24T${time}Z`),
  fc.constantFrom('+24:00', '+08', '+0800', '-25:00', '+08:60', ' Z').map((zone) => `2026-11-24T10:00:00${zone}`),
  fc.integer({ min: 10000, max: 99999 }).map((year) => `+${year}-01-01T00:00:00Z`),
);

describe('instants: one strict grammar on every route that takes one', () => {
  it('answers 400 VALIDATION_FAILED naming the field, and appends nothing (fuzz)', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    const complaint = await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).send({ complaintId: 'k1', channel: 'phone', category: 'billing', severity: 'normal', description: 'twice charged' });
    expect(complaint.status).toBe(201);
    const routes: { path: string; field: string; body: Record<string, unknown> }[] = [
      { path: '/v1/customers', field: 'occurredAt', body: { customerId: uniqueId(), name: 'Li Wei', email: 'li@example.com' } },
      { path: `/v1/customers/${customerId}/visits`, field: 'occurredAt', body: { outletId: 'o1', channel: 'store' } },
      { path: `/v1/customers/${customerId}/complaints`, field: 'occurredAt', body: { channel: 'phone', category: 'billing', severity: 'low', description: 'x' } },
      { path: `/v1/customers/${customerId}/complaints/k1/resolution`, field: 'occurredAt', body: { resolution: 'refunded' } },
      { path: `/v1/customers/${customerId}/purchases`, field: 'occurredAt', body: { purchaseId: 'p-x', amount: 100, currency: 'CNY' } },
      { path: `/v1/customers/${customerId}/tier`, field: 'occurredAt', body: { tier: 'gold', reason: 'vip' } },
      { path: `/v1/customers/${customerId}/evaluation`, field: 'asOf', body: {} },
      { path: `/v1/customers/${customerId}/lifecycle/evaluation`, field: 'asOf', body: {} },
      { path: `/v1/customers/${customerId}/complaints/k1/assignment`, field: 'occurredAt', body: { assignee: 'agent-1' } },
      { path: `/v1/customers/${customerId}/complaints/k1/escalation`, field: 'occurredAt', body: { reason: 'r', severity: 'urgent' } },
      { path: `/v1/customers/${customerId}/complaints/k1/reopening`, field: 'occurredAt', body: { reason: 'r' } },
      { path: `/v1/customers/${customerId}/follow-ups`, field: 'occurredAt', body: { dueAt: '2026-03-01T00:00:00Z', reason: 'manual' } },
      { path: `/v1/customers/${customerId}/follow-ups`, field: 'dueAt', body: { reason: 'manual' } },
      { path: `/v1/customers/${customerId}/follow-ups/f1/completion`, field: 'occurredAt', body: { outcome: 'reached' } },
      { path: `/v1/customers/${customerId}/follow-ups/f1/cancellation`, field: 'occurredAt', body: { reason: 'r' } },
      { path: `/v1/customers/${customerId}/surveys`, field: 'occurredAt', body: { score: 9, channel: 'store' } },
    ];
    const before = await head();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), badInstant, async (route, instant) => {
        const response = await t.http().post(route.path).set(t.as('writer')).send({ ...route.body, [route.field]: instant });
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: route.field })]));
      }),
      { numRuns: 120 },
    );
    for (const field of ['asOf', 'knownAt']) {
      const response = await t.http().get(`/v1/customers/${customerId}/state`).query({ [field]: '2026-W48' }).set(t.as('auditor'));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const reads: { path: string; field: string; query: Record<string, string> }[] = [
      { path: '/v1/follow-ups', field: 'dueBefore', query: {} },
      { path: '/v1/analytics/complaints', field: 'from', query: { to: '2026-02-01T00:00:00Z', groupBy: 'outlet' } },
      { path: '/v1/analytics/complaints', field: 'to', query: { from: '2026-01-01T00:00:00Z', groupBy: 'outlet' } },
    ];
    for (const { path, field, query } of reads) {
      const response = await t.http().get(path).query({ ...query, [field]: '2026-W48' }).set(t.as('analyst'));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect(await head()).toBe(before);
  });

  it('accepts offsets and answers in UTC with milliseconds', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T08:00:00+08:00' });
    const history = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
    expect(history.body.events[0].data.occurredAt).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('bitemporal /state', () => {
  it('asOf folds by business time (an imported history), knownAt by ledger time', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    await purchase(t, customerId, { purchaseId: 'p1', amount: 1000, occurredAt: '2026-01-02T00:00:00.000Z' });
    await purchase(t, customerId, { purchaseId: 'p2', amount: 1000, occurredAt: '2026-01-05T00:00:00.000Z' });
    const onThe3rd = await t.http().get(`/v1/customers/${customerId}/state`).query({ asOf: '2026-01-03T00:00:00Z' }).set(t.as('auditor'));
    expect(onThe3rd.status).toBe(200);
    expect(onThe3rd.body).toMatchObject({ asOf: '2026-01-03T00:00:00.000Z', knownAt: null });
    expect(onThe3rd.body.state.purchases.map((p: { purchaseId: string }) => p.purchaseId)).toEqual(['p1']);
    const beforeRecording = await t.http().get(`/v1/customers/${customerId}/state`).query({ asOf: '2026-01-03T00:00:00Z', knownAt: '2020-01-01T00:00:00Z' }).set(t.as('auditor'));
    expect(beforeRecording.body.state.registered).toBe(false);
    const now = await t.http().get(`/v1/customers/${customerId}/state`).set(t.as('auditor'));
    expect(now.body.state).toMatchObject({ stage: 'repeat', points: { balance: 20 } });
    expect(now.body.state).not.toHaveProperty('purchaseIndex');
  });
});

describe('late facts and money over HTTP', () => {
  it('refuses a purchase more than 90 days behind the customer clock with 422 OCCURRED_AT_TOO_OLD', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    await purchase(t, customerId, { occurredAt: '2026-06-01T00:00:00.000Z' });
    const late = await purchase(t, customerId, { occurredAt: '2026-03-01T00:00:00.000Z' });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('OCCURRED_AT_TOO_OLD');
  });

  it('needs exchangeRate for a foreign currency (422 EXCHANGE_RATE_REQUIRED) and answers with base-currency points and balance', async () => {
    const customerId = await registerCustomer(t);
    const missing = await purchase(t, customerId, { amount: 300000, currency: 'JPY' });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('EXCHANGE_RATE_REQUIRED');
    const unknown = await purchase(t, customerId, { amount: 300, currency: 'ZZZ', exchangeRate: '1' });
    expect(unknown.status).toBe(400);
    const ok = await purchase(t, customerId, { amount: 300000, currency: 'JPY', exchangeRate: '0.0482' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ pointsEarned: 14460, tier: 'gold', balance: 14460 });
    const items = await purchase(t, customerId, { amount: 1000, items: [{ sku: 'a', quantity: 1, amount: 999 }] });
    expect(items.status).toBe(400);
    expect(items.body.errors).toEqual([expect.objectContaining({ field: 'items' })]);
  });

  it('answers a re-sent identical resolution with the first response (200) and another one with 409', async () => {
    const customerId = await registerCustomer(t);
    await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).send({ complaintId: 'k1', channel: 'phone', category: 'billing', severity: 'normal', description: 'twice charged' });
    const body = { resolution: 'refunded', satisfaction: 4 };
    const first = await t.http().post(`/v1/customers/${customerId}/complaints/k1/resolution`).set(t.as('writer')).send(body);
    const again = await t.http().post(`/v1/customers/${customerId}/complaints/k1/resolution`).set(t.as('writer')).send(body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    const other = await t.http().post(`/v1/customers/${customerId}/complaints/k1/resolution`).set(t.as('writer')).send({ resolution: 'voucher' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('COMPLAINT_ALREADY_RESOLVED');
  });

  it('evaluates at /evaluation (and the lifecycle alias), 200 and nothing appended when nothing is due', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    await purchase(t, customerId, { occurredAt: '2026-01-02T00:00:00.000Z' });
    const due = await t.http().post(`/v1/customers/${customerId}/evaluation`).set(t.as('writer')).send({ asOf: '2026-05-01T00:00:00Z' });
    expect(due.status).toBe(201);
    expect(due.body).toMatchObject({ stage: 'at_risk', appended: ['LifecycleStageChanged', 'FollowUpScheduled'] });
    const again = await t.http().post(`/v1/customers/${customerId}/lifecycle/evaluation`).set(t.as('writer')).send({ asOf: '2026-05-01T00:00:00Z' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revision: due.body.revision, appended: [] });
  });
});
