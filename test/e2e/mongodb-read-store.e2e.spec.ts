/**
 * The app on the embedded event store and the MongoDB read store (READ_STORE=mongodb), when
 * MONGO_URL is set: a real server, or the wire-protocol bridge CI starts (docs/testing-mongodb.md).
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

const url = process.env.MONGO_URL;

/** The same server, another database: `mongodb://hosts[/db][?options]` with the path replaced. */
function withDatabase(mongoUrl: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(mongoUrl);
  if (!match) throw new Error(`not a MongoDB connection string: ${mongoUrl}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

if (url) {
  describe(`app on READ_STORE=mongodb (${url})`, () => {
    // One database per run, so runs on a shared server never see each other's documents.
    const dbName = `customer_ledger_e2e_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const mongoUrl = withDatabase(url, dbName);
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp(undefined, { READ_STORE: 'mongodb', MONGO_URL: mongoUrl });
    });
    afterAll(async () => {
      await t?.destroy();
      const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 2000 });
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    });

    it('reports the read store up in /health', async () => {
      const health = await t.http().get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', eventStore: 'up', readStore: 'up' });
    });

    it('projects a registration and a purchase into profile, lifecycle and loyalty documents in MongoDB', async () => {
      const customerId = await registerCustomer(t, { outletId: 'outlet-m' });
      const response = await purchase(t, customerId, { amount: 10099 });
      expect(response.status).toBe(201);
      const { position } = response.body as { position: string };

      const profile = await t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: position }).set(t.as('analyst'));
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ _id: customerId, outletId: 'outlet-m', tier: 'standard', stats: { purchaseCount: 1, totalSpent: 10099 } });
      expect(profile.headers['x-projection-position']).toMatch(/^\d+\/\d+$/);

      const lifecycle = await t.http().get(`/v1/customers/${customerId}/lifecycle`).query({ waitForPosition: position }).set(t.as('analyst'));
      expect(lifecycle.status).toBe(200);
      expect(lifecycle.body._id).toBe(customerId);

      const loyalty = await t.http().get(`/v1/customers/${customerId}/loyalty`).query({ waitForPosition: position }).set(t.as('analyst'));
      expect(loyalty.status).toBe(200);
      expect(loyalty.body).toMatchObject({ _id: customerId, balance: 100, lifetimeEarned: 100 });

      // The documents really are in this run's database, not in an embedded store.
      const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 2000 });
      try {
        const names = (await client.db(dbName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
        expect(names.some((name) => name.startsWith('customer_profiles'))).toBe(true);
      } finally {
        await client.close();
      }
    });

    it('answers /v1/read-models/customer_profiles?filter=... from MongoDB', async () => {
      const outlet = uniqueId('outlet');
      let position = '';
      for (const amount of [5000, 20000, 80000]) {
        const customerId = await registerCustomer(t, { outletId: outlet });
        position = (await purchase(t, customerId, { amount })).body.position;
      }
      const response = await t
        .http()
        .get('/v1/read-models/customer_profiles')
        .query({ filter: JSON.stringify({ outletId: outlet, 'stats.totalSpent': { $gte: 10000 } }), sort: '{"stats.totalSpent":-1}', waitForPosition: position })
        .set(t.as('analyst'));
      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { stats: { totalSpent: number } }) => item.stats.totalSpent)).toEqual([80000, 20000]);
    });
  });
} else {
  // The reason is printed once by test/support/skip-reasons.ts (jest's globalSetup).
  describe.skip('app on READ_STORE=mongodb (MONGO_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
