import Database from 'better-sqlite3';
import { join } from 'node:path';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

async function customerWithHistory(purchases: number): Promise<string> {
  const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
  for (let i = 0; i < purchases; i++) await purchase(t, customerId, { purchaseId: `p-${i}`, amount: 1000, occurredAt: `2026-02-0${1 + (i % 9)}T00:00:00.000Z` });
  return customerId;
}

describe('GET /v1/customers/{id}/events', () => {
  it('returns the history with full metadata, paged by fromRevision and limit', async () => {
    const customerId = await customerWithHistory(3);
    const all = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
    expect(all.status).toBe(200);
    const events = all.body.events as { revision: number; type: string; metadata: Record<string, unknown> }[];
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(events[0].type).toBe('CustomerRegistered');
    expect(events[0].metadata).toEqual(
      expect.objectContaining({
        eventId: expect.any(String),
        correlationId: expect.any(String),
        causationId: expect.any(String),
        actor: { name: 'test-writer', role: 'writer' },
        occurredAt: '2026-01-01T00:00:00.000Z',
        recordedAt: expect.any(String),
        schemaVersion: 1,
        prevHash: '0'.repeat(64),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    );
    expect(all.body.nextRevision).toBeUndefined();

    const page = await t.http().get(`/v1/customers/${customerId}/events?fromRevision=1&limit=2`).set(t.as('auditor'));
    expect(page.body.events.map((e: { revision: number }) => e.revision)).toEqual([1, 2]);
    expect(page.body.nextRevision).toBe(3);
  });

  it('answers 404 for an unknown customer and 400 for a limit over 1000', async () => {
    expect((await t.http().get(`/v1/customers/${uniqueId()}/events`).set(t.as('auditor'))).status).toBe(404);
    const customerId = await registerCustomer(t);
    expect((await t.http().get(`/v1/customers/${customerId}/events?limit=1001`).set(t.as('auditor'))).status).toBe(400);
  });
});

describe('GET /v1/customers/{id}/state', () => {
  it('folds up to a revision', async () => {
    const customerId = await customerWithHistory(2);
    const atRegistration = await t.http().get(`/v1/customers/${customerId}/state?revision=0`).set(t.as('auditor'));
    expect(atRegistration.body).toMatchObject({ customerId, revision: 0, state: { registered: true, purchases: [] } });
    const now = await t.http().get(`/v1/customers/${customerId}/state`).set(t.as('auditor'));
    expect(now.body.state.purchases).toHaveLength(2);
  });

  it('folds the events recorded up to asOf', async () => {
    const customerId = await registerCustomer(t);
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await purchase(t, customerId);
    const then = await t.http().get(`/v1/customers/${customerId}/state?asOf=${between}`).set(t.as('auditor'));
    expect(then.body).toMatchObject({ revision: 0, asOf: between });
    expect(then.body.state.purchases).toEqual([]);
  });

  it('rejects asOf and revision together', async () => {
    const customerId = await registerCustomer(t);
    expect((await t.http().get(`/v1/customers/${customerId}/state?asOf=2026-01-01T00:00:00Z&revision=0`).set(t.as('auditor'))).status).toBe(400);
  });
});

describe('GET /v1/customers/{id}/events/verify', () => {
  it('proves an untouched history valid', async () => {
    const customerId = await customerWithHistory(2);
    const response = await t.http().get(`/v1/customers/${customerId}/events/verify`).set(t.as('auditor'));
    expect(response.body).toMatchObject({ valid: true, events: 7, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(response.body.firstInvalidRevision).toBeUndefined();
  });

  it('reports the first invalid revision after an event was edited in the SQLite file', async () => {
    const customerId = await customerWithHistory(3);
    const db = new Database(join(t.dataDir, 'events.sqlite'));
    try {
      const changed = db
        .prepare(`UPDATE events SET data = json_set(data, '$.amount', 999999) WHERE stream_id = ? AND revision = 4`)
        .run(`customer-${customerId}`);
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    const response = await t.http().get(`/v1/customers/${customerId}/events/verify`).set(t.as('auditor'));
    // registered, 3 × (purchase + points), stage → new and → repeat: 9 events.
    expect(response.body).toMatchObject({ valid: false, events: 9, firstInvalidRevision: 4 });
  });
});

describe('GET /v1/customers/{id}/events/export', () => {
  it('streams the history as NDJSON, one event per line', async () => {
    const customerId = await customerWithHistory(2);
    const response = await t.http().get(`/v1/customers/${customerId}/events/export`).set(t.as('auditor')).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = (response.body as string).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lines[0].metadata.hash).toEqual(expect.any(String));
  });
});
