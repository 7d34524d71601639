import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

/** MongoDB configured but unreachable (nothing listens on port 9): the service starts and degrades, never 500s. */
describe('read store down (READ_STORE=mongodb, server unreachable)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { READ_STORE: 'mongodb', MONGO_URL: 'mongodb://127.0.0.1:9/ledger?serverSelectionTimeoutMS=300' });
  });
  afterAll(() => t.destroy());

  it('reports it in /health with 503; a command carrying personal data answers 503 too (the data keys live beside the read models) and writes nothing', async () => {
    const health = await t.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', eventStore: 'up', readStore: 'down', keyStore: 'down' });
    const customerId = uniqueId();
    const refused = await t.http().post('/v1/customers').set(t.as('writer')).send({ customerId, name: 'Li Wei', email: 'li.wei@example.com' });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('STORE_UNAVAILABLE');
    const stored = new SqliteEventStore({ filename: join(t.dataDir, 'events.sqlite') });
    try {
      expect(await stored.countEventsAfter(null)).toBe(0);
    } finally {
      await stored.close();
    }
  });

  it('answers read-model queries with 503 STORE_UNAVAILABLE problem+json', async () => {
    const response = await t.http().get('/v1/read-models/customer_profiles').set(t.as('analyst'));
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('STORE_UNAVAILABLE');
  });
});

/** Same, with the driver's default server selection (5 s): /health has its own deadline (ping gives up at 800 ms). */
describe('read store down, default server selection timeout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { READ_STORE: 'mongodb', MONGO_URL: 'mongodb://127.0.0.1:9/ledger' });
  });
  afterAll(() => t.destroy());

  it('answers /health 503 well before server selection would give up', async () => {
    const started = Date.now();
    const health = await t.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ eventStore: 'up', readStore: 'down' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
