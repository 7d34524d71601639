import type { Response } from 'supertest';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const text = (res: Response, done: (error: Error | null, body: string) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
  stream.on('end', () => done(null, body));
};

async function exportLedger(query: string, role: 'auditor' | 'admin' | 'analyst' | 'writer' = 'auditor') {
  const response = await t.http().get(`/v1/events/export${query}`).set(t.as(role)).buffer(true).parse(text);
  const lines = response.status === 200 ? (response.body as string).split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  return { response, lines };
}

const seq = (position: string) => BigInt(position.split('/')[0]);

describe('GET /v1/events/export', () => {
  let customers: string[];
  beforeAll(async () => {
    customers = [];
    for (let c = 0; c < 3; c++) {
      const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
      customers.push(customerId);
    }
    // Interleaved across customers, and more events than one chunk of lines (256).
    for (let i = 0; i < 130; i++) {
      const customerId = customers[i % 3];
      const response = await purchase(t, customerId, { purchaseId: `p-${i}`, amount: 1000 + i, occurredAt: `2026-02-0${1 + (i % 9)}T00:00:00.000Z` });
      expect(response.status).toBe(201);
    }
  });

  it('streams every event of every stream as NDJSON, in global order, with position and stream on every line', async () => {
    const { response, lines } = await exportLedger('');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const perCustomer = await Promise.all(customers.map(async (customerId) => {
      const own = await t.http().get(`/v1/customers/${customerId}/events/export`).set(t.as('auditor')).buffer(true).parse(text);
      return (own.body as string).split('\n').filter(Boolean).map((line) => JSON.parse(line));
    }));
    // Every event of every stream, more than one chunk of lines (256), and the same lines as the per-customer export apart from the stream.
    expect(lines.length).toBeGreaterThan(256);
    expect(lines).toHaveLength(perCustomer.reduce((sum, own) => sum + own.length, 0));
    customers.forEach((customerId, i) => expect(lines.filter((line) => line.streamId === `customer-${customerId}`).map(({ streamId: _, ...rest }) => rest)).toEqual(perCustomer[i]));
    const positions = lines.map((line) => seq(line.position));
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    expect(lines[0]).toEqual(expect.objectContaining({ revision: 0, type: 'CustomerRegistered', data: expect.objectContaining({ customerId: customers[0] }), metadata: expect.objectContaining({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) }) }));
  });

  it('resumes after fromPosition (exclusive) and keeps only the given types', async () => {
    const { lines: all } = await exportLedger('');
    const { lines: rest } = await exportLedger(`?fromPosition=${encodeURIComponent(all[99].position)}`);
    expect(rest).toEqual(all.slice(100));
    const { lines: tiers } = await exportLedger('?types=CustomerRegistered,PointsEarned', 'admin');
    expect(tiers.map((line) => line.type)).toEqual(all.filter((line) => line.type === 'CustomerRegistered' || line.type === 'PointsEarned').map((line) => line.type));
    const { lines: beyond, response } = await exportLedger(`?fromPosition=${encodeURIComponent(all[all.length - 1].position)}`);
    expect(response.status).toBe(200);
    expect(beyond).toEqual([]);
  });

  it('refuses other roles, bad positions and unknown types', async () => {
    expect((await exportLedger('', 'analyst')).response.status).toBe(403);
    expect((await exportLedger('', 'writer')).response.status).toBe(403);
    const badPosition = await t.http().get('/v1/events/export?fromPosition=12').set(t.as('auditor'));
    expect(badPosition.status).toBe(400);
    expect(badPosition.body.errors).toEqual([expect.objectContaining({ field: 'fromPosition' })]);
    const badType = await t.http().get('/v1/events/export?types=PurchaseRecorded,Nope').set(t.as('auditor'));
    expect(badType.status).toBe(400);
    expect(badType.body.errors).toEqual([expect.objectContaining({ field: 'types' })]);
    const unknown = await t.http().get('/v1/events/export?limit=3').set(t.as('auditor'));
    expect(unknown.status).toBe(400);
  });
});
