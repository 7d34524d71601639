/**
 * Crypto-shredding over HTTP: personal data never lies in clear in the event store's files; an
 * erasure leaves history, exports, state and read models without it, the hash chain valid, and
 * the customer closed to commands. Run on the embedded stores and, when MONGO_URL is set, with the
 * MongoDB read store and key store.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { purchase, registerCustomer } from '../support/customers';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { KEYS, newDataDir, startTestApp, uniqueId, type TestApp } from '../support/test-app';

const mongoUrl = process.env.MONGO_URL;
const withDatabase = (url: string, db: string) => url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?/, `$1/${db}`);

/** Values no other part of a stored event could hold by chance. */
function personalData() {
  const tag = randomUUID().replace(/-/g, '').slice(0, 12);
  return {
    name: `Zhang Wuji ${tag}`,
    email: `wuji.${tag}@example.org`,
    phone: `+86138${String(parseInt(tag.slice(0, 8), 16) % 1e8).padStart(8, '0')}`,
    address: `88 Hidden Lane ${tag}`,
    complaint: `he called me at home about ${tag}`,
    notes: `spoke to his wife ${tag}`,
  };
}

/** Every file of the event store (database, WAL, shared memory) and of the key store. */
function storeFiles(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => /^(events|keys)\.sqlite/.test(name) || name === 'master.key')
    .map((name) => join(dataDir, name));
}

const cases: { name: string; env: () => NodeJS.ProcessEnv; cleanup?: (env: NodeJS.ProcessEnv) => Promise<void> }[] = [{ name: 'embedded stores', env: () => ({}) }];
if (mongoUrl)
  cases.push({
    name: `MongoDB read store and key store (${mongoUrl})`,
    env: () => ({ READ_STORE: 'mongodb', MONGO_URL: withDatabase(mongoUrl, `customer_ledger_privacy_${randomUUID().replace(/-/g, '').slice(0, 12)}`) }),
    cleanup: async (env) => {
      const client = new MongoClient(env.MONGO_URL as string, { serverSelectionTimeoutMS: 2000 });
      try {
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    },
  });

describe.each(cases)('personal data on the $name', ({ env: makeEnv, cleanup }) => {
  let t: TestApp;
  const env = makeEnv();
  beforeAll(async () => {
    t = await startTestApp(undefined, env);
  });
  afterAll(async () => {
    await t?.destroy();
    await cleanup?.(env);
  });

  async function customerWithPersonalData() {
    const pii = personalData();
    const customerId = await registerCustomer(t, { name: pii.name, email: pii.email, phone: pii.phone, address: pii.address, occurredAt: '2026-01-01T00:00:00.000Z' });
    expect((await t.http().post(`/v1/customers/${customerId}/complaints`).set(t.as('writer')).send({ complaintId: 'k1', channel: 'phone', category: 'service', severity: 'normal', description: pii.complaint, occurredAt: '2026-01-02T00:00:00.000Z' })).status).toBe(201);
    expect((await purchase(t, customerId, { purchaseId: 'p1', amount: 25_000, occurredAt: '2026-01-03T00:00:00.000Z' })).status).toBe(201);
    expect((await t.http().post(`/v1/customers/${customerId}/follow-ups`).set(t.as('writer')).send({ followUpId: 'f1', dueAt: '2026-01-10T00:00:00.000Z', reason: 'manual', occurredAt: '2026-01-04T00:00:00.000Z' })).status).toBe(201);
    const done = await t.http().post(`/v1/customers/${customerId}/follow-ups/f1/completion`).set(t.as('writer')).send({ outcome: 'reached', notes: pii.notes, occurredAt: '2026-01-05T00:00:00.000Z' });
    expect(done.status).toBe(201);
    return { customerId, pii, position: done.body.position as string };
  }

  const values = (pii: ReturnType<typeof personalData>) => [pii.name, pii.email, pii.address, pii.complaint, pii.notes];

  it("keeps no personal field in clear in the event store's or key store's files", async () => {
    const { pii } = await customerWithPersonalData();
    const files = storeFiles(t.dataDir);
    expect(files.some((file) => file.endsWith('events.sqlite-wal') || file.endsWith('events.sqlite'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const value of [...values(pii), pii.phone]) expect({ file, found: bytes.includes(Buffer.from(value, 'utf8')) }).toEqual({ file, found: false });
    }
  });

  it('shows the auditor the decrypted history, which verifies', async () => {
    const { customerId, pii } = await customerWithPersonalData();
    const history = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
    expect(history.status).toBe(200);
    expect(history.body.events[0].data).toMatchObject({ name: pii.name, email: pii.email, phone: pii.phone, address: pii.address });
    expect(history.body.events[0].data.sealed).toBeUndefined();
    expect(history.body.events.find((event: { type: string }) => event.type === 'ComplaintFiled').data.description).toBe(pii.complaint);
    expect((await t.http().get(`/v1/customers/${customerId}/events/verify`).set(t.as('auditor'))).body.valid).toBe(true);
    const profile = await t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: history.body.events.at(-1).position }).set(t.as('analyst'));
    expect(profile.body).toMatchObject({ name: pii.name, email: pii.email, forgotten: null });
  });

  it('forgets a customer: erased placeholders in history and exports, null in state and read models, the chain valid, later commands 410', async () => {
    const { customerId, pii, position } = await customerWithPersonalData();
    const path = `/v1/customers/${customerId}/personal-data`;
    expect((await t.http().delete(path).set(t.as('writer')).send({ reason: 'erasure request #1' })).status).toBe(403);
    expect((await t.http().delete(path).set(t.as('admin')).send({ reason: '' })).body.code).toBe('VALIDATION_FAILED');
    const forgotten = await t.http().delete(path).set(t.as('admin')).send({ reason: 'erasure request #1' });
    expect(forgotten.status).toBe(200);
    expect(forgotten.body).toMatchObject({ customerId, forgottenAt: expect.any(String) });

    if (env.READ_STORE === 'mongodb') {
      // The key store is the MongoDB collection: the customer's key is gone from it, a tombstone stays.
      const client = new MongoClient(env.MONGO_URL as string, { serverSelectionTimeoutMS: 2000 });
      try {
        expect(await client.db().collection('personal_data_keys').findOne({ _id: customerId as never })).toMatchObject({ wrappedKey: null, destroyedAt: expect.any(String) });
      } finally {
        await client.close();
      }
    } else expect(readdirSync(t.dataDir)).toContain('keys.sqlite');

    const history = await t.http().get(`/v1/customers/${customerId}/events`).set(t.as('auditor'));
    const events = history.body.events as { type: string; data: Record<string, unknown> }[];
    expect(events.at(-1)).toMatchObject({ type: 'CustomerForgotten', data: { reason: 'erasure request #1', followUpIds: expect.arrayContaining(['f1']) } });
    expect(events[0].data).toMatchObject({ name: '[erased]', email: '[erased]', phone: '[erased]', address: '[erased]', outletId: null });
    expect(events.find((event) => event.type === 'ComplaintFiled')?.data).toMatchObject({ description: '[erased]', category: 'service' });
    expect(events.find((event) => event.type === 'PurchaseRecorded')?.data).toMatchObject({ amount: 25_000 });
    const exported = await t.http().get(`/v1/customers/${customerId}/events/export`).set(t.as('auditor'));
    const ledger = await t.http().get('/v1/events/export').set(t.as('auditor'));
    for (const text of [JSON.stringify(history.body), exported.text, ledger.text]) for (const value of [...values(pii), pii.phone]) expect(text).not.toContain(value);
    expect(exported.text).toContain('[erased]');

    const state = await t.http().get(`/v1/customers/${customerId}/state`).set(t.as('auditor'));
    expect(state.body.state.profile).toMatchObject({ name: null, email: null, phone: null, address: null });
    expect((await t.http().get(`/v1/customers/${customerId}/events/verify`).set(t.as('auditor'))).body).toMatchObject({ valid: true, events: events.length });

    const waitFor = { waitForPosition: forgotten.body.position as string };
    const profile = await t.http().get(`/v1/customers/${customerId}`).query(waitFor).set(t.as('analyst'));
    expect(profile.body).toMatchObject({ name: null, email: null, phone: null, address: null, forgotten: { reason: 'erasure request #1' }, stats: { purchaseCount: 1, totalSpent: 25_000, complaintCount: 1 } });
    const followUps = await t.http().get('/v1/follow-ups').query({ customerId, ...waitFor }).set(t.as('analyst'));
    expect(followUps.body.items ?? followUps.body).toEqual(expect.arrayContaining([expect.objectContaining({ followUpId: 'f1', notes: null, status: 'completed' })]));
    expect(position).toBeDefined();

    for (const attempt of [
      t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).send({ outletId: 'o-1', channel: 'store' }),
      purchase(t, customerId, { purchaseId: 'p2', amount: 100 }),
      t.http().post('/v1/customers').set(t.as('writer')).send({ customerId, name: 'Someone Else', email: 'else@example.org' }),
      t.http().post(`/v1/customers/${customerId}/visits`).set(t.as('writer')).send({ outletId: 'o-1', channel: 'store', occurredAt: '1999-01-01T00:00:00Z' }),
      t.http().delete(path).set(t.as('admin')).send({ reason: 'again' }),
    ]) {
      const response = await attempt;
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 410, code: 'CUSTOMER_FORGOTTEN' });
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('keeps the personal fields null when the read models are rebuilt from the erased history', async () => {
    const { customerId } = await customerWithPersonalData();
    const forgotten = await t.http().delete(`/v1/customers/${customerId}/personal-data`).set(t.as('admin')).send({ reason: 'erasure request #2' });
    expect(forgotten.status).toBe(200);
    expect((await t.http().post('/v1/projections/customer_profiles/rebuild').set(t.as('admin'))).status).toBe(202);
    for (let attempt = 0; attempt < 200; attempt++) {
      const projections = await t.http().get('/v1/projections').set(t.as('admin'));
      const profiles = (projections.body as { name: string; status: string }[]).find((projection) => projection.name === 'customer_profiles');
      if (profiles?.status === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const profile = await t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: forgotten.body.position }).set(t.as('analyst'));
    expect(profile.body).toMatchObject({ name: null, email: null, forgotten: { reason: 'erasure request #2' }, stats: { purchaseCount: 1 } });
  });

  it('answers 404 for a customer that does not exist', async () => {
    const response = await t.http().delete(`/v1/customers/${uniqueId()}/personal-data`).set(t.as('admin')).send({ reason: 'request' });
    expect(response.body.code).toBe('CUSTOMER_NOT_FOUND');
  });
});

describe('logs', () => {
  it('never carry personal data: requests, refusals and erasures logged at every level hold none of it', async () => {
    const lines: string[] = [];
    const capture = (...parts: unknown[]) => void lines.push(parts.map((part) => (part instanceof Error ? `${part.message} ${part.stack}` : JSON.stringify(part))).join(' '));
    const logger = { log: capture, error: capture, warn: capture, debug: capture, verbose: capture, fatal: capture };
    const dataDir = newDataDir();
    const { app } = await createApp(loadConfig({ DATA_DIR: dataDir, API_KEYS: `w:writer:${KEYS.writer},a:admin:${KEYS.admin}` }), logger);
    const pii = personalData();
    try {
      const http = () => request(app.getHttpServer());
      const writer = { Authorization: `Bearer ${KEYS.writer}` };
      const customerId = uniqueId();
      expect((await http().post('/v1/customers').set(writer).send({ customerId, name: pii.name, email: pii.email, address: pii.address })).status).toBe(201);
      expect((await http().post('/v1/customers').set(writer).send({ customerId: uniqueId(), name: pii.name, email: `not an email ${pii.email}` })).status).toBe(400);
      expect((await http().patch(`/v1/customers/${customerId}`).set(writer).send({ phone: `call ${pii.phone}` })).status).toBe(400);
      expect((await http().post('/v1/customers').set(writer).set('content-type', 'application/json').send(`{"name": "${pii.name}", broken`)).status).toBe(400);
      expect((await http().post(`/v1/customers/${customerId}/complaints`).set(writer).send({ channel: 'phone', category: 'service', severity: 'normal', description: pii.complaint })).status).toBe(201);
      expect((await http().delete(`/v1/customers/${customerId}/personal-data`).set({ Authorization: `Bearer ${KEYS.admin}` }).send({ reason: 'request #3' })).status).toBe(200);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    // The capture works: Nest logged its start-up and routes here.
    expect(lines.length).toBeGreaterThan(10);
    const logged = lines.join('\n');
    for (const value of [pii.name, pii.email, pii.address, pii.phone, pii.complaint]) expect(logged).not.toContain(value);
  });
});
