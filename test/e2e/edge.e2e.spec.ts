/** The HTTP edge: body limits and parsing, media types, unknown fields, query numbers, long URLs, auth on the matched route, 405, waits. */
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE } from '../../src/event-store/event-store.token';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

let t: TestApp;
let customerId: string;
beforeAll(async () => {
  t = await startTestApp(undefined, { WAIT_FOR_POSITION_MS: '300' });
  customerId = await registerCustomer(t);
});
afterAll(() => t.destroy());

type Response = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

const expectProblem = (response: Response, status: number, code: string) => {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
};

const fields = (response: Response) => ((response.body.errors ?? []) as { field: string }[]).map((e) => e.field);

const head = () => t.app.get<EventStore>(EVENT_STORE).headPosition();

const postJson = (path: string, text: string) => t.http().post(path).set(t.as('writer')).set('content-type', 'application/json').send(text);

/** `{"a":{"a":…{}…}}` nested `depth` objects deep. */
const nested = (depth: number, leaf = '{}') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);

describe('JSON bodies: limits before parsing', () => {
  it.each([
    ['an unknown field', (deep: string) => `{"name":"Deep","email":"d@example.com","x":${deep}}`],
    ['preferences', (deep: string) => `{"name":"Deep","email":"d@example.com","preferences":${deep}}`],
    ['items[]', (deep: string) => `{"purchaseId":"p-deep","amount":100,"currency":"CNY","items":[${deep}]}`],
  ])('refuses 5 000 nested objects in %s with 400, appending nothing', async (label, build) => {
    const before = await head();
    const path = label === 'items[]' ? `/v1/customers/${customerId}/purchases` : '/v1/customers';
    const response = await postJson(path, build(nested(5000)));
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.detail).toMatch(/nested deeper than 32/);
    expect(await head()).toBe(before);
  });

  it('accepts nesting up to 32 levels (then the DTO decides)', async () => {
    // depth 32 in an unknown field: parsed, then refused as an unknown field — not as too deep.
    const response = await postJson('/v1/customers', `{"name":"Deep","email":"d@example.com","x":${nested(30)}}`);
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fields(response)).toEqual(['x']);
  });

  it('refuses more than 10 000 keys and array items', async () => {
    const response = await postJson('/v1/customers', JSON.stringify({ name: 'Many', email: 'm@example.com', x: Array.from({ length: 10_001 }, () => 0) }));
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.detail).toMatch(/more than 10000 keys/);
  });

  it('refuses a string longer than 10 000 characters, naming it', async () => {
    const response = await postJson(`/v1/customers/${customerId}/complaints`, JSON.stringify({ channel: 'x', category: 'y', severity: 'low', description: 'd'.repeat(10_001) }));
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fields(response)).toEqual(['description']);
  });

  it('refuses a lone UTF-16 surrogate in an email (today a 500 URIError), naming the field', async () => {
    const before = await head();
    const response = await postJson('/v1/customers', '{"name":"Sur","email":"a\\ud800@example.com"}');
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fields(response)).toEqual(['email']);
    expect(await head()).toBe(before);
    // a lone low surrogate, and one in a key
    expectProblem(await postJson('/v1/customers', '{"name":"\\udc00x","email":"a@example.com"}'), 400, 'VALIDATION_FAILED');
    expectProblem(await postJson('/v1/customers', '{"name":"ok","email":"a@example.com","\\ud83d":1}'), 400, 'VALIDATION_FAILED');
  });

  it('accepts a well-formed surrogate pair', async () => {
    const response = await postJson('/v1/customers', '{"name":"Emoji \\ud83d\\ude00","email":"e@example.com"}');
    expect(response.status).toBe(201);
  });

  it.each([
    ['an array', '[{"name":"x","email":"x@example.com"}]'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['an empty body', ''],
    ['white space', '   '],
  ])('refuses %s as the body: "body must be a JSON object"', async (_label, text) => {
    const response = await postJson('/v1/customers', text);
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.detail).toBe('body must be a JSON object');
  });

  it('refuses whitespace-only strings anywhere, naming the path', async () => {
    const response = await postJson(
      `/v1/customers/${customerId}/purchases`,
      JSON.stringify({ purchaseId: uniqueId('p'), amount: 100, currency: 'CNY', items: [{ sku: ' \t ', quantity: 1, amount: 100 }] }),
    );
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors).toEqual([{ field: 'items.0.sku', message: 'items.0.sku: blank strings are not values' }]);
    const name = await postJson('/v1/customers', JSON.stringify({ name: '   ', email: 'b@example.com' }));
    expect(fields(name)).toEqual(['name']);
    expect(name.body.detail).toMatch(/blank strings are not values/);
  });

  it('refuses prototype keys', async () => {
    expectProblem(await postJson('/v1/customers', '{"name":"P","email":"p@example.com","__proto__":{"admin":true}}'), 400, 'VALIDATION_FAILED');
    expectProblem(await postJson('/v1/customers', '{"name":"P","email":"p@example.com","constructor":{"prototype":{"x":1}}}'), 400, 'VALIDATION_FAILED');
  });
});

describe('media types', () => {
  it.each([
    ['text/plain', '{"name":"T","email":"t@example.com"}'],
    ['application/x-www-form-urlencoded', 'name=T&email=t%40example.com'],
    ['application/xml', '<customer/>'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('answers %s with 415 UNSUPPORTED_MEDIA_TYPE', async (type, text) => {
    const before = await head();
    const response = await t.http().post('/v1/customers').set(t.as('writer')).set('content-type', type).send(text);
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(response.body.errors).toBeUndefined();
    expect(await head()).toBe(before);
  });

  it('answers JSON in another charset than UTF-8 with 415', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).set('content-type', 'application/json; charset=utf-16le').send('{"name":"C","email":"c@example.com"}');
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts application/json with a charset', async () => {
    const response = await t.http().post('/v1/customers').set(t.as('writer')).set('content-type', 'application/json; charset=utf-8').send('{"name":"C","email":"c@example.com"}');
    expect(response.status).toBe(201);
    const quoted = await t.http().post('/v1/customers').set(t.as('writer')).set('content-type', 'application/json;charset="UTF-8"').send('{"name":"C","email":"c@example.com"}');
    expect(quoted.status).toBe(201);
  });

  it('answers a POST without any body with 400 "body must be a JSON object"', async () => {
    for (const path of ['/v1/customers', `/v1/customers/${customerId}/visits`, `/v1/customers/${customerId}/lifecycle/evaluation`]) {
      const response = await t.http().post(path).set(t.as('writer'));
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.detail).toBe('body must be a JSON object');
    }
  });

  it('still serves a POST route that takes no body (projection rebuild) without one', async () => {
    expect((await t.http().post('/v1/projections/loyalty_balances/rebuild').set(t.as('admin'))).status).toBe(202);
  });
});

describe('unknown body fields', () => {
  it('refuses a typo such as ocurredAt instead of dropping it, naming each unknown field', async () => {
    const before = await head();
    const response = await purchase(t, customerId, { ocurredAt: '2026-01-01T00:00:00Z', colour: 'red' });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fields(response).sort()).toEqual(['colour', 'ocurredAt']);
    expect(await head()).toBe(before);
  });

  it('names unknown fields inside nested objects by their path', async () => {
    const response = await postJson('/v1/customers', JSON.stringify({ name: 'N', email: 'n@example.com', preferences: { channels: ['sms'], chanels: [] } }));
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fields(response)).toEqual(['preferences.chanels']);
  });
});

describe('query numbers', () => {
  const bad = ['0x10', '', '1e3', '-1', '99999999999999999999999', '1.5', ' 1', 'abc', '+1'];

  it.each(['fromRevision', 'limit'])('GET /events refuses a malformed %s, naming it', async (name) => {
    for (const value of bad) {
      const response = await t.http().get(`/v1/customers/${customerId}/events?${name}=${encodeURIComponent(value)}`).set(t.as('auditor'));
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fields(response)).toEqual([name]);
    }
  });

  it('GET /events?fromRevision=99999999999999999999999 is 400, not 503', async () => {
    const response = await t.http().get(`/v1/customers/${customerId}/events?fromRevision=99999999999999999999999`).set(t.as('auditor'));
    expectProblem(response, 400, 'VALIDATION_FAILED');
  });

  it('GET /state refuses a malformed revision, and one beyond the head', async () => {
    for (const value of bad) {
      const response = await t.http().get(`/v1/customers/${customerId}/state?revision=${encodeURIComponent(value)}`).set(t.as('auditor'));
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fields(response)).toEqual(['revision']);
    }
    const beyond = await t.http().get(`/v1/customers/${customerId}/state?revision=5`).set(t.as('auditor'));
    expectProblem(beyond, 400, 'VALIDATION_FAILED');
    expect(fields(beyond)).toEqual(['revision']);
    expect((await t.http().get(`/v1/customers/${customerId}/state?revision=0`).set(t.as('auditor'))).status).toBe(200);
  });

  it.each(['limit', 'skip'])('GET /read-models refuses a malformed %s, naming it', async (name) => {
    for (const value of bad) {
      const response = await t.http().get(`/v1/read-models/customer_profiles?${name}=${encodeURIComponent(value)}`).set(t.as('analyst'));
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(fields(response)).toEqual([name]);
    }
    expect((await t.http().get(`/v1/read-models/customer_profiles?${name}=007`).set(t.as('analyst'))).status).toBe(200);
  });

  it('refuses a repeated parameter and an unknown one', async () => {
    const repeated = await t.http().get(`/v1/customers/${customerId}/events?limit=1&limit=2`).set(t.as('auditor'));
    expectProblem(repeated, 400, 'VALIDATION_FAILED');
    const unknown = await t.http().get(`/v1/customers/${customerId}/events?limt=5`).set(t.as('auditor'));
    expectProblem(unknown, 400, 'VALIDATION_FAILED');
    expect(fields(unknown)).toEqual(['limt']);
  });
});

describe('long URLs', () => {
  it('answers a 500-character projection name with 404 problem+json', async () => {
    expectProblem(await t.http().post(`/v1/projections/${'p'.repeat(500)}/rebuild`).set(t.as('admin')), 404, 'NOT_FOUND');
  });

  it('answers a 500-character customer id with 400 problem+json', async () => {
    expectProblem(await t.http().get(`/v1/customers/${'c'.repeat(500)}/events`).set(t.as('auditor')), 400, 'VALIDATION_FAILED');
  });

  it('answers a path parameter over the router limit with 414 URI_TOO_LONG problem+json', async () => {
    expectProblem(await t.http().get(`/v1/customers/${'c'.repeat(5000)}/events`).set(t.as('auditor')), 414, 'URI_TOO_LONG');
  });

  it('answers a URL larger than the header limit with 431 problem+json', async () => {
    const response = await t.http().get(`/v1/customers/${customerId}/events?x=${'y'.repeat(20_000)}`).set(t.as('auditor'));
    expectProblem(response, 431, 'HEADERS_TOO_LARGE');
  });

  it('answers a path that does not decode with 400 problem+json', async () => {
    expectProblem(await t.http().get('/v1/customers/%E0%A4%A/events').set(t.as('auditor')), 400, 'VALIDATION_FAILED');
  });
});

describe('auth on the matched route', () => {
  it.each(['/%64ocs-json', '/docs-json', '/docs%2Djson', '/%64%6F%63%73-json', '/docs', '/docs/', '/%64ocs', '/%64ocs/swagger-ui-init.js', '/docs-yaml', '/docs-json?x=1'])('GET %s without a key is 401', async (path) => {
    expectProblem(await t.http().get(path), 401, 'UNAUTHENTICATED');
  });

  it.each(['//docs-json', '/docs-json/', '/DOCS-json', '/./docs-json', '/v1/../docs-json'])('GET %s without a key never serves the document', async (path) => {
    const response = await t.http().get(path);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.paths).toBeUndefined();
  });

  it('GET /%64ocs-json with a key serves the document', async () => {
    const response = await t.http().get('/%64ocs-json').set(t.as('analyst'));
    expect(response.status).toBe(200);
    expect(response.body.paths).toBeDefined();
  });

  it('refuses a request without a key with 401 before reading its body', async () => {
    expectProblem(await t.http().post('/v1/customers').set('content-type', 'application/json').send(nested(5000)), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().post('/v1/customers').set('content-type', 'text/plain').send('x'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().get('/v1/customers/%63-1/events'), 401, 'UNAUTHENTICATED');
  });
});

describe('405 Method Not Allowed', () => {
  it.each([
    ['put', '/v1/customers', 'POST'],
    ['delete', () => `/v1/customers/${customerId}/events`, 'GET, HEAD'],
    ['get', () => `/v1/customers/${customerId}/purchases`, 'POST'],
    ['patch', '/v1/projections/loyalty_balances/rebuild', 'POST'],
    ['delete', '/health', 'GET, HEAD'],
  ] as const)('%s %s answers 405 with Allow', async (method, path, allow) => {
    const url = typeof path === 'function' ? path() : path;
    const response = await t.http()[method](url).set(t.as('admin'));
    expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe(allow);
  });

  it('tells the methods of the path itself: PUT /v1/customers/{id} lists GET (the profile) and PATCH (its update), not POST /v1/customers', async () => {
    const response = await t.http().put(`/v1/customers/${customerId}`).set(t.as('admin'));
    expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe('GET, HEAD, PATCH');
  });

  it('an unknown path stays 404', async () => {
    expectProblem(await t.http().put('/v1/nothing').set(t.as('admin')), 404, 'NOT_FOUND');
  });
});

describe('waitForPosition', () => {
  it('answers 504 POSITION_NOT_REACHED with the position reached when the wait ends first', async () => {
    const { position } = (await purchase(t, customerId)).body as { position: string };
    expect((await t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: position }).set(t.as('analyst'))).status).toBe(200);
    const started = Date.now();
    const response = await t.http().get(`/v1/customers/${customerId}`).query({ waitForPosition: '999999999999/999999999999' }).set(t.as('analyst'));
    expectProblem(response, 504, 'POSITION_NOT_REACHED');
    // WAIT_FOR_POSITION_MS=300 here: the wait is bounded by the configuration
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response.body.position).toEqual(expect.stringMatching(/^\d+\/\d+$/));
    expect(BigInt((response.body.position as string).split('/')[0])).toBeGreaterThanOrEqual(BigInt(position.split('/')[0]));
    expect(response.body.detail).toMatch(/999999999999\/999999999999/);
    for (const path of ['/v1/analytics/segments', '/v1/read-models/customer_profiles', `/v1/customers/${customerId}/loyalty`, `/v1/customers/${customerId}/lifecycle`]) {
      const late = await t.http().get(path).query({ waitForPosition: '999999999999/999999999999' }).set(t.as('analyst'));
      expectProblem(late, 504, 'POSITION_NOT_REACHED');
    }
  });
});

describe('odd instants', () => {
  const INSTANTS = [
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:59:60Z',
    '2016-12-31T23:59:60Z',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '+275760-09-13T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2026-01-01T00:00:00+25:00',
    '2026-01-01T00:00:00+14:00',
    '2026-01-01T00:00:00.1234567890123Z',
    '2026-01-01',
    '2026-W01-1',
    '2026-001',
    '20260101T000000Z',
    '2026-01-01T00:00Z',
    '1970-01-01T00:00:00Z',
  ];

  it('refuses ISO-8601 forms Date cannot read (a week date, the basic format), naming the field: they were 500 RangeError', async () => {
    for (const instant of ['2026-W01-1', '20260101T000000Z']) {
      const before = await head();
      const register = await postJson('/v1/customers', JSON.stringify({ name: 'Odd', email: 'o@example.com', occurredAt: instant }));
      expectProblem(register, 400, 'VALIDATION_FAILED');
      expect(fields(register)).toEqual(['occurredAt']);
      const evaluation = await postJson(`/v1/customers/${customerId}/lifecycle/evaluation`, JSON.stringify({ asOf: instant }));
      expect(fields(evaluation)).toEqual(['asOf']);
      expect(await head()).toBe(before);
      const state = await t.http().get(`/v1/customers/${customerId}/state`).query({ asOf: instant }).set(t.as('auditor'));
      expectProblem(state, 400, 'VALIDATION_FAILED');
      expect(fields(state)).toEqual(['asOf']);
    }
  });

  it.each(INSTANTS)('%s: commands and audit answer it without a 5xx; a refusal appends nothing', async (instant) => {
    const before = await head();
    const register = await postJson('/v1/customers', JSON.stringify({ name: 'Odd', email: 'o@example.com', occurredAt: instant }));
    expect(register.status).toBeLessThan(500);
    if (register.status >= 400) {
      expectProblem(register, 400, 'VALIDATION_FAILED');
      expect(await head()).toBe(before);
    }
    const evaluation = await postJson(`/v1/customers/${customerId}/lifecycle/evaluation`, JSON.stringify({ asOf: instant }));
    expect(evaluation.status).toBeLessThan(500);
    const state = await t.http().get(`/v1/customers/${customerId}/state`).query({ asOf: instant }).set(t.as('auditor'));
    expect(state.status).toBeLessThan(500);
    if (state.status >= 400) expectProblem(state, 400, 'VALIDATION_FAILED');
  });
});

describe('answers stay small', () => {
  it('lists at most 50 field errors, saying how many more there were', async () => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`unknown${i}`, 1]));
    const response = await postJson('/v1/customers', JSON.stringify({ name: 'Wide', email: 'w@example.com', ...body }));
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fields(response)).toHaveLength(50);
    expect(response.body.detail).toMatch(/and 4950 more$/);
    const query = Array.from({ length: 500 }, (_, i) => `q${i}=1`).join('&');
    const wide = await t.http().get(`/v1/customers/${customerId}/events?${query}`).set(t.as('auditor'));
    expectProblem(wide, 400, 'VALIDATION_FAILED');
    expect(fields(wide)).toHaveLength(50);
  });
});
