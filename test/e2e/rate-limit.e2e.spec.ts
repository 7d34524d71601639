/** Per-API-key token buckets (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST, RATE_LIMIT_ADMIN). */
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE } from '../../src/event-store/event-store.token';
import { startTestApp, type TestApp } from '../support/test-app';

const expect429 = (response: { status: number; body: Record<string, unknown>; headers: Record<string, string> }) => {
  expect({ status: response.status, code: response.body.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: 'Too Many Requests', status: 429, detail: expect.any(String) });
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
};

describe('rate limited keys (1 a second, bursts of 3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => t.destroy());

  it('lets a burst through, then answers 429 RATE_LIMITED with Retry-After, per key; a token comes back after a second', async () => {
    const segments = () => t.http().get('/v1/analytics/segments').set(t.as('analyst'));
    for (let i = 0; i < 3; i++) expect((await segments()).status).toBe(200);
    const limited = await segments();
    expect429(limited);
    expect(limited.headers['retry-after']).toBe('1');
    // another key has its own bucket
    expect((await t.http().get('/v1/customers/c-none/events').set(t.as('auditor'))).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await segments()).status).toBe(200);
    expect429(await segments());
  });

  it('never limits /health, nor admin keys', async () => {
    for (let i = 0; i < 10; i++) expect((await t.http().get('/health')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await t.http().get('/v1/projections').set(t.as('admin'))).status).toBe(200);
  });

  it('limits before the body is read or the route runs: a limited write appends nothing', async () => {
    const register = () => t.http().post('/v1/customers').set(t.as('writer')).send({ name: 'R', email: 'r@example.com' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await register()).status);
    const head = await t.app.get<EventStore>(EVENT_STORE).headPosition();
    for (let i = 0; i < 2; i++) statuses.push((await register()).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(await t.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
  });
});

describe('RATE_LIMIT_ADMIN=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2', RATE_LIMIT_ADMIN: 'true' });
  });
  afterAll(() => t.destroy());

  it('limits admin keys too, and still never /health', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.http().get('/v1/projections').set(t.as('admin'))).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await t.http().get('/health')).status).toBe(200);
  });
});

describe('off by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('serves many requests of one key without 429', async () => {
    for (let i = 0; i < 30; i++) expect((await t.http().get('/v1/analytics/segments').set(t.as('analyst'))).status).toBe(200);
  });
});
