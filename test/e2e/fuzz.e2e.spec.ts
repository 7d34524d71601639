import fc from 'fast-check';
import type { EventStore } from '../../src/event-store/event-store.port';
import { EVENT_STORE } from '../../src/event-store/event-store.token';
import { registerCustomer } from '../support/customers';
import { startTestApp, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
let customerId: string;
/** The customer the erasure route may forget (the others' routes keep theirs). */
let erasableId: string;
beforeAll(async () => {
  // A short wait: a fuzzed waitForPosition beyond the head answers 504 POSITION_NOT_REACHED quickly.
  t = await startTestApp(undefined, { WAIT_FOR_POSITION_MS: '20' });
  customerId = await registerCustomer(t);
  erasableId = await registerCustomer(t);
});
afterAll(() => t.destroy());

const head = () => t.app.get<EventStore>(EVENT_STORE).headPosition();

type Response = { status: number; body: unknown; headers: Record<string, string>; text?: string };

/** What every response must be: no 5xx (but a 504 POSITION_NOT_REACHED, by design), and every 4xx a full problem+json body. */
function expectWellFormed(response: Response): void {
  const body = response.body as Record<string, unknown>;
  if (response.status === 504) expect(body.code).toBe('POSITION_NOT_REACHED');
  else expect(response.status).toBeLessThan(500);
  if (response.status < 400) return;
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: response.status, code: expect.stringMatching(/^[A-Z_]+$/), detail: expect.any(String) }));
  if (body.errors !== undefined) {
    expect(Array.isArray(body.errors)).toBe(true);
    for (const error of body.errors as unknown[]) expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
}

const ROUTES = () => [
  '/v1/customers',
  `/v1/customers/${customerId}/visits`,
  `/v1/customers/${customerId}/complaints`,
  `/v1/customers/${customerId}/complaints/k1/resolution`,
  `/v1/customers/${customerId}/purchases`,
  `/v1/customers/${customerId}/tier`,
  `/v1/customers/${customerId}/complaints/k1/assignment`,
  `/v1/customers/${customerId}/complaints/k1/escalation`,
  `/v1/customers/${customerId}/complaints/k1/reopening`,
  `/v1/customers/${customerId}/follow-ups`,
  `/v1/customers/${customerId}/follow-ups/f1/completion`,
  `/v1/customers/${customerId}/follow-ups/f1/cancellation`,
  `/v1/customers/${customerId}/surveys`,
];

/** Bodies near the real shapes: right and wrong field names with any JSON values. */
const body = fc.dictionary(
  fc.constantFrom('customerId', 'name', 'email', 'phone', 'purchaseId', 'amount', 'currency', 'items', 'occurredAt', 'tier', 'reason', 'channel', 'outletId', 'severity', 'category', 'description', 'resolution', 'satisfaction', 'assignee', 'followUpId', 'dueAt', 'outcome', 'notes', 'surveyId', 'score', 'comment', '__proto__', 'constructor'),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('any JSON body', () => {
  it('never gets a 5xx, and every refusal is problem+json with a code and appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES()), fc.oneof(body, fc.jsonValue({ maxDepth: 3 })), async (route, payload) => {
        const before = await head();
        const response = await t.http().post(route).set(t.as('writer')).set('content-type', 'application/json').send(JSON.stringify(payload));
        expectWellFormed(response);
        if (response.status >= 400) expect(await head()).toBe(before);
      }),
      { numRuns: 150 },
    );
  });
});

// ——— every route, every kind of bad input ———

/** Every route the API serves, with the role that may call it (so the fuzz reaches validation), path parameters as placeholders. */
const ALL_ROUTES: { method: 'get' | 'post' | 'patch' | 'put' | 'delete'; path: string; role: KeyRole }[] = [
  { method: 'post', path: '/v1/customers', role: 'writer' },
  { method: 'patch', path: '/v1/customers/{c}', role: 'writer' },
  { method: 'put', path: '/v1/customers/{c}/consents/{ch}', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/referrals', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/purchases/{p}/refunds', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/redemptions', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/points/adjustments', role: 'admin' },
  { method: 'delete', path: '/v1/customers/{e}/personal-data', role: 'admin' },
  { method: 'post', path: '/v1/evaluations', role: 'admin' },
  { method: 'post', path: '/v1/read-models/{rm}/aggregate', role: 'analyst' },
  { method: 'get', path: '/v1/analytics/outlets', role: 'analyst' },
  { method: 'get', path: '/v1/analytics/rfm', role: 'analyst' },
  { method: 'get', path: '/health/live', role: 'admin' },
  { method: 'get', path: '/health/ready', role: 'admin' },
  { method: 'get', path: '/problems/{pt}', role: 'admin' },
  { method: 'post', path: '/v1/customers/{c}/visits', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/complaints', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/complaints/{k}/resolution', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/purchases', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/tier', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/lifecycle/evaluation', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/evaluation', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/complaints/{k}/assignment', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/complaints/{k}/escalation', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/complaints/{k}/reopening', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/follow-ups', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/follow-ups/{f}/completion', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/follow-ups/{f}/cancellation', role: 'writer' },
  { method: 'post', path: '/v1/customers/{c}/surveys', role: 'writer' },
  { method: 'get', path: '/v1/customers/{c}/events', role: 'auditor' },
  { method: 'get', path: '/v1/customers/{c}/state', role: 'auditor' },
  { method: 'get', path: '/v1/customers/{c}/events/verify', role: 'auditor' },
  { method: 'get', path: '/v1/customers/{c}/events/export', role: 'auditor' },
  { method: 'get', path: '/v1/events/export', role: 'auditor' },
  { method: 'get', path: '/v1/customers/{c}', role: 'analyst' },
  { method: 'get', path: '/v1/customers/{c}/lifecycle', role: 'analyst' },
  { method: 'get', path: '/v1/customers/{c}/loyalty', role: 'analyst' },
  { method: 'get', path: '/v1/read-models/{p}', role: 'analyst' },
  { method: 'get', path: '/v1/analytics/segments', role: 'analyst' },
  { method: 'get', path: '/v1/analytics/complaints', role: 'analyst' },
  { method: 'get', path: '/v1/complaints', role: 'writer' },
  { method: 'get', path: '/v1/follow-ups', role: 'analyst' },
  { method: 'get', path: '/v1/projections', role: 'admin' },
  { method: 'get', path: '/health', role: 'admin' },
  { method: 'get', path: '/metrics', role: 'admin' },
  { method: 'get', path: '/docs-json', role: 'analyst' },
];

/** Instants a parser might choke on: impossible dates, out-of-range years, odd offsets, leap seconds. */
const oddInstant = fc.oneof(
  fc.constantFrom(
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2016-12-31T23:59:60Z',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '-000001-01-01T00:00:00Z',
    '2026-01-01T00:00:00+25:00',
    '2026-01-01T00:00:00.123456789Z',
    '2026-01-01',
    '20260101T000000Z',
    'now',
    '',
    ' ',
    '9'.repeat(400),
    '2026-01-01T00:00:00Z\u0000',
  ),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
);

/** Values of the wrong type or size for any field. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  oddInstant,
  fc.constantFrom(-1, 0, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '100', '1e3', '0x10', true, null, [], {}, ' ', '\t\n', '\u200b'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 10_001, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const FIELDS = ['referredCustomerId', 'granted', 'source', 'tags', 'birthday', 'accountManager', 'refundId', 'redemptionId', 'adjustmentId', 'points', 'pipeline', 'customerId', 'name', 'email', 'phone', 'address', 'outletId', 'preferences', 'purchaseId', 'amount', 'currency', 'items', 'occurredAt', 'ocurredAt', 'asOf', 'tier', 'reason', 'channel', 'purpose', 'visitId', 'severity', 'category', 'description', 'complaintId', 'resolution', 'satisfaction', 'assignee', 'followUpId', 'dueAt', 'outcome', 'notes', 'surveyId', 'score', 'comment', 'x'];

/** Any mix of fields with odd values. */
const fieldsBody = fc.dictionary(fc.constantFrom(...FIELDS), oddValue, { maxKeys: 8 }).map((fields) => JSON.stringify(fields));

/** A valid body of each command route, to be sent as is or with one field changed, added or removed. */
const NOW = new Date().toISOString();
const VALID: Record<string, Record<string, unknown>> = {
  '/v1/customers': { name: 'Fuzz', email: 'f@example.com', occurredAt: NOW },
  '/v1/customers/{c}': { phone: '+8613800000000', tags: ['fuzz'], birthday: '1990-01-01' },
  '/v1/customers/{c}/consents/{ch}': { purpose: 'marketing', granted: true, source: 'fuzz' },
  '/v1/customers/{c}/referrals': { referredCustomerId: 'c-unknown' },
  '/v1/customers/{c}/purchases/{p}/refunds': { refundId: 'r-fuzz', amount: 10, reason: 'r' },
  '/v1/customers/{c}/redemptions': { redemptionId: 'x-fuzz', points: 1, reason: 'r' },
  '/v1/customers/{c}/points/adjustments': { adjustmentId: 'a-fuzz', points: 5, reason: 'r' },
  '/v1/customers/{e}/personal-data': { reason: 'fuzz erasure' },
  '/v1/evaluations': { asOf: NOW },
  '/v1/read-models/{rm}/aggregate': { pipeline: [{ $match: { tier: 'gold' } }, { $count: 'n' }] },
  '/v1/customers/{c}/visits': { outletId: 'o', channel: 'store', occurredAt: NOW },
  '/v1/customers/{c}/complaints': { channel: 'phone', category: 'c', severity: 'low', description: 'd' },
  '/v1/customers/{c}/complaints/{k}/resolution': { resolution: 'r' },
  '/v1/customers/{c}/purchases': { purchaseId: 'p-fuzz', amount: 100, currency: 'CNY' },
  '/v1/customers/{c}/tier': { tier: 'gold', reason: 'r' },
  '/v1/customers/{c}/lifecycle/evaluation': { asOf: NOW },
  '/v1/customers/{c}/evaluation': { asOf: NOW },
  '/v1/customers/{c}/complaints/{k}/assignment': { assignee: 'agent-1' },
  '/v1/customers/{c}/complaints/{k}/escalation': { reason: 'r', severity: 'urgent' },
  '/v1/customers/{c}/complaints/{k}/reopening': { reason: 'r' },
  '/v1/customers/{c}/follow-ups': { followUpId: 'f1', dueAt: NOW, reason: 'manual' },
  '/v1/customers/{c}/follow-ups/{f}/completion': { outcome: 'reached', satisfaction: 4 },
  '/v1/customers/{c}/follow-ups/{f}/cancellation': { reason: 'r' },
  '/v1/customers/{c}/surveys': { score: 9, channel: 'store' },
};
const tweak = fc.record({ kind: fc.constantFrom('valid', 'replace', 'replace', 'add', 'remove'), field: fc.constantFrom(...FIELDS), index: fc.nat(), value: oddValue });
type Tweak = { kind: string; field: string; index: number; value: unknown };
function tweaked(route: string, { kind, field, index, value }: Tweak): string {
  const body: Record<string, unknown> = { ...(VALID[route] ?? {}) };
  const keys = Object.keys(body);
  const existing = keys.length > 0 ? keys[index % keys.length] : field;
  if (kind === 'replace') body[existing] = value;
  if (kind === 'add') body[field] = value;
  if (kind === 'remove') delete body[existing];
  return JSON.stringify(body);
}

/** Bodies that are not JSON objects, not JSON at all, or too big or deep for the edge. */
const rawBody = fc.oneof(
  fc.constantFrom('', ' ', 'null', '[]', '[{}]', '"x"', '42', 'true', '{', '{"name":', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '\ufeff{}', '{"email":"a\\ud800@b.c","name":"x"}', '{"name":"\\udfff"}', '{"__proto__":{"x":1}}'),
  fc.integer({ min: 30, max: 6000 }).map((depth) => '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth)),
  fc.integer({ min: 30, max: 6000 }).map((depth) => `{"items":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: 9000, max: 12_000 }).map((n) => JSON.stringify({ x: Array.from({ length: n }, (_, i) => i) })),
  fc.constant(JSON.stringify({ name: 'Big', address: 'x'.repeat(300 * 1024) })),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const anyBody: fc.Arbitrary<string | Tweak> = fc.oneof(
  { weight: 4, arbitrary: tweak },
  { weight: 2, arbitrary: fieldsBody },
  { weight: 3, arbitrary: rawBody },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/problem+json', 'APPLICATION/JSON', 'application/json;;', '*/*', '') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Query strings: the real parameters with odd values, unknown ones, repeats, bad escapes. */
const QUERY_NAMES = ['fromRevision', 'limit', 'revision', 'skip', 'asOf', 'filter', 'sort', 'waitForPosition', 'customerId', 'status', 'severity', 'reason', 'assignee', 'overdue', 'dueBefore', 'from', 'to', 'groupBy', 'x'];
const queryValue = fc.oneof(
  fc.constantFrom('', '0', '1', '-1', '0x10', '1e3', '1.5', '99999999999999999999999', '007', '1000', '1001', ' 1', 'NaN', 'Infinity', '%', '%ZZ', '%00', '{}', '{"tier":"gold"}', '{"$where":"1"}', '{"a":{"$regex":"(a+)+$"}}', '[', '1/1', '999999999/999999999', '0/0', '18446744073709551616/1'),
  oddInstant.map((s) => encodeURIComponent(s)),
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
);
const queryString = fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

/** Path parameters: the known customer, unknown ones, and ids no route should accept. */
const pathParam = fc.oneof(
  { weight: 4, arbitrary: fc.constant('{known}') },
  { weight: 3, arbitrary: fc.constantFrom('c-unknown', 'customer_profiles', 'loyalty_balances', 'events', 'x'.repeat(65), 'p'.repeat(500), '%2e%2e', '..', '%00', '%', '%E0%A4%A', '%ED%A0%80', '%F0%9F%98%80', 'a%2Fb', '%20', '😀') },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }).map((s) => encodeURIComponent(s)) },
);

/** Command headers with odd values (no control characters: the client refuses to send those). */
const headerValue = fc.oneof(
  fc.constantFrom('"0"', '"3"', '*', 'W/"1"', '"99999999999999999999999"', '"-1"', '""', ' ', 'k'.repeat(129), 'é', 'k-1'),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).filter((v) => !/[\x00-\x1f\x7f]/.test(v)),
);
const headers = fc.record({ 'if-match': headerValue, 'idempotency-key': headerValue, 'x-correlation-id': headerValue }, { requiredKeys: [] });

const request = fc.record({
  headers,
  route: fc.constantFrom(...ALL_ROUTES),
  // mostly the route's own method and role, sometimes another (405, 401, 403)
  method: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('put', 'patch', 'delete', 'post', 'get') }),
  param: pathParam,
  query: queryString,
  body: anyBody,
  contentType,
  role: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<KeyRole | 'none'>('writer', 'auditor', 'analyst', 'admin', 'none') }),
});

describe('every route, well-formed and malformed input', () => {
  it('never answers 5xx, answers every 4xx with problem+json, and a refused request changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const param = r.param === '{known}' ? customerId : r.param;
        const known = param === customerId;
        const path =
          r.route.path
            .replace('{c}', param)
            .replace('{e}', known ? erasableId : param)
            .replace('{k}', known ? 'k1' : param)
            .replace('{f}', known ? 'f1' : param)
            .replace('{ch}', known ? 'email' : param)
            .replace('{pt}', known ? 'customer-not-found' : param)
            .replace('{rm}', known ? 'customer_profiles' : param)
            .replace('{p}', known ? (r.route.path.includes('/purchases/') ? 'p-fuzz' : 'customer_profiles') : param) + r.query;
        const method = r.method ?? r.route.method;
        const role = r.role ?? r.route.role;
        const before = await head();
        let call = t.http()[method](path);
        if (role !== 'none') call = call.set(t.as(role));
        for (const [name, value] of Object.entries(r.headers)) call = call.set(name, value as string);
        if (method !== 'get') {
          if (r.contentType !== undefined) call = call.set('content-type', r.contentType);
          call = call.send(typeof r.body === 'string' ? r.body : tweaked(r.route.path, r.body));
        }
        const response = await call.buffer(true).parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            // JSON bodies decoded (not NDJSON); a body that does not parse stays text and fails the checks
            const type = String(res.headers['content-type'] ?? '');
            let parsed: unknown = text;
            try {
              if (/^application\/(problem\+)?json/.test(type) && text) parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
            done(null, parsed);
          });
        });
        expectWellFormed(response);
        if (response.status >= 400) expect(await head()).toBe(before);
      }),
      // Bounded: as many runs as fit in 40 s (an interrupted run passes when nothing failed).
      { numRuns: 3000, interruptAfterTimeLimit: 40_000 },
    );
  }, 90_000);
});
