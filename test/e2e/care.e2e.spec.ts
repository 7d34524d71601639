/** Customer care over real HTTP: complaint transitions, follow-ups (回访), surveys (满意度), worklists and complaint KPIs. */
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

const post = (path: string, body: Record<string, unknown>, role: KeyRole = 'writer') => t.http().post(path).set(t.as(role)).send(body);
const get = (path: string, query: Record<string, string | number>, role: KeyRole = 'analyst') => t.http().get(path).query(query).set(t.as(role));

async function customerWithComplaint(severity = 'normal', occurredAt = '2026-03-01T00:00:00.000Z') {
  const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
  const filed = await post(`/v1/customers/${customerId}/complaints`, { complaintId: 'k1', channel: 'phone', category: 'billing', severity, description: 'charged twice', outletId: 'o-1', occurredAt });
  expect(filed.status).toBe(201);
  return { customerId, base: `/v1/customers/${customerId}/complaints/k1` };
}

describe('complaint transitions', () => {
  it('assigns (201, then 200 for the same assignee), escalates, resolves, reopens', async () => {
    const { customerId, base } = await customerWithComplaint();
    const assigned = await post(`${base}/assignment`, { assignee: 'agent-1', occurredAt: '2026-03-01T01:00:00Z' });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({ customerId, complaintId: 'k1', revision: 2, position: expect.any(String) });
    const again = await post(`${base}/assignment`, { assignee: 'agent-1', occurredAt: '2026-03-01T02:00:00Z' });
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(2);
    const escalated = await post(`${base}/escalation`, { reason: 'called twice', severity: 'urgent', occurredAt: '2026-03-01T03:00:00Z' });
    expect(escalated.status).toBe(201);
    const lower = await post(`${base}/escalation`, { reason: 'calmer now', severity: 'low', occurredAt: '2026-03-01T03:00:00Z' });
    expect(lower.status).toBe(400);
    expect(lower.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'severity' })] });
    const reasonOnly = await post(`${base}/escalation`, { reason: 'manager asked', occurredAt: '2026-03-01T04:00:00Z' });
    expect(reasonOnly.status).toBe(201);
    const resolved = await post(`${base}/resolution`, { resolution: 'refunded', satisfaction: 4, occurredAt: '2026-03-01T05:00:00Z' });
    expect(resolved.status).toBe(201);
    for (const [path, body] of [
      ['assignment', { assignee: 'agent-2', occurredAt: '2026-03-01T06:00:00Z' }],
      ['escalation', { reason: 'again', severity: 'urgent', occurredAt: '2026-03-01T06:00:00Z' }],
    ] as const) {
      const refused = await post(`${base}/${path}`, body);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('COMPLAINT_ALREADY_RESOLVED');
    }
    const reopened = await post(`${base}/reopening`, { reason: 'refund never arrived', occurredAt: '2026-03-02T00:00:00Z' });
    expect(reopened.status).toBe(201);
    expect(reopened.body).toMatchObject({ customerId, complaintId: 'k1' });
    const twice = await post(`${base}/reopening`, { reason: 'still', occurredAt: '2026-03-02T01:00:00Z' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('COMPLAINT_NOT_RESOLVED');
    const state = await t.http().get(`/v1/customers/${customerId}/state`).set(t.as('auditor'));
    expect(state.body.state.complaints).toEqual([
      { complaintId: 'k1', severity: 'urgent', status: 'reopened', filedAt: '2026-03-01T00:00:00.000Z', resolvedAt: null, dueAt: '2026-03-02T04:00:00.000Z', slaBreached: false, assignee: 'agent-1', reopenCount: 1 },
    ]);
    expect(state.body.state.followUps).toEqual([{ followUpId: 'complaint-k1', reason: 'complaint', complaintId: 'k1', status: 'scheduled', dueAt: '2026-03-04T05:00:00.000Z' }]);
  });

  it('refuses a reopening after 30 days (409 REOPEN_WINDOW_CLOSED), an unknown complaint (404) and bad bodies (400)', async () => {
    const { customerId, base } = await customerWithComplaint();
    await post(`${base}/resolution`, { resolution: 'refunded', occurredAt: '2026-03-02T00:00:00Z' });
    const late = await post(`${base}/reopening`, { reason: 'again', occurredAt: '2026-04-05T00:00:00Z' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('REOPEN_WINDOW_CLOSED');
    for (const path of ['assignment', 'escalation', 'reopening']) {
      const unknown = await post(`/v1/customers/${customerId}/complaints/k9/${path}`, path === 'assignment' ? { assignee: 'a' } : { reason: 'r' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('COMPLAINT_NOT_FOUND');
    }
    expect((await post(`${base}/assignment`, {})).status).toBe(400);
    expect((await post(`${base}/escalation`, { reason: 'r', severity: 'extreme' })).status).toBe(400);
    expect((await post(`${base}/reopening`, { reason: 'r', occurredAt: '2026-W10' })).body.errors).toEqual([expect.objectContaining({ field: 'occurredAt' })]);
    expect((await post(`${base}/reopening`, { reason: 'r', extra: 1 })).status).toBe(400);
  });

  it('is for writers and admins only', async () => {
    const { base } = await customerWithComplaint();
    for (const role of ['analyst', 'auditor'] as const) expect((await post(`${base}/assignment`, { assignee: 'a' }, role)).status).toBe(403);
    expect((await post(`${base}/assignment`, { assignee: 'a', occurredAt: '2026-03-01T01:00:00Z' }, 'admin')).status).toBe(201);
    expect((await t.http().post(`${base}/assignment`).send({ assignee: 'a' })).status).toBe(401);
  });
});

describe('follow-ups (回访)', () => {
  it('schedules (201, 200 re-sent, 409 DUPLICATE_FOLLOW_UP), completes once (409 FOLLOW_UP_CLOSED after), 404 FOLLOW_UP_NOT_FOUND', async () => {
    const { customerId } = await customerWithComplaint();
    const path = `/v1/customers/${customerId}/follow-ups`;
    const body = { followUpId: 'f1', dueAt: '2026-03-05T00:00:00Z', reason: 'complaint', complaintId: 'k1', assignee: 'agent-1', occurredAt: '2026-03-01T01:00:00Z' };
    const first = await post(path, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId, followUpId: 'f1', complaintId: 'k1' });
    const again = await post(path, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await post(path, { ...body, dueAt: '2026-03-06T00:00:00Z' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('DUPLICATE_FOLLOW_UP');
    const completion = { outcome: 'reached', notes: 'fine now', satisfaction: 5, occurredAt: '2026-03-05T01:00:00Z' };
    const completed = await post(`${path}/f1/completion`, completion);
    expect(completed.status).toBe(201);
    expect(completed.body).toMatchObject({ followUpId: 'f1' });
    expect((await post(`${path}/f1/completion`, completion)).status).toBe(200);
    const cancel = await post(`${path}/f1/cancellation`, { reason: 'moved', occurredAt: '2026-03-05T02:00:00Z' });
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('FOLLOW_UP_CLOSED');
    for (const action of ['completion', 'cancellation']) {
      const unknown = await post(`${path}/f9/${action}`, action === 'completion' ? { outcome: 'reached' } : { reason: 'r' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('FOLLOW_UP_NOT_FOUND');
    }
    const noComplaint = await post(path, { dueAt: '2026-03-05T00:00:00Z', reason: 'complaint', complaintId: 'k9' });
    expect(noComplaint.status).toBe(404);
    expect(noComplaint.body.code).toBe('COMPLAINT_NOT_FOUND');
  });

  it('generates an id when none is given, cancels, and validates its body', async () => {
    const customerId = await registerCustomer(t);
    const path = `/v1/customers/${customerId}/follow-ups`;
    const scheduled = await post(path, { dueAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'birthday' });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.followUpId).toEqual(expect.any(String));
    expect((await post(`${path}/${scheduled.body.followUpId}/cancellation`, { reason: 'declined by phone' })).status).toBe(201);
    for (const bad of [{ dueAt: '2026-W10', reason: 'manual' }, { dueAt: '2026-03-05T00:00:00Z', reason: 'gossip' }, { reason: 'manual' }, { dueAt: '2026-03-05T00:00:00Z', reason: 'complaint' }])
      expect((await post(path, bad)).status).toBe(400);
    expect((await post(`${path}/x/completion`, { outcome: 'maybe' })).status).toBe(400);
    expect((await post(`${path}/x/completion`, { outcome: 'reached', satisfaction: 6 })).status).toBe(400);
    expect((await post(path, { dueAt: '2026-03-05T00:00:00Z', reason: 'manual' }, 'analyst')).status).toBe(403);
  });

  it('are scheduled on their own 3 days after a resolution, and listed in the follow-up worklist', async () => {
    const { customerId, base } = await customerWithComplaint();
    const resolved = await post(`${base}/resolution`, { resolution: 'refunded', occurredAt: '2026-03-02T00:00:00Z' });
    expect(resolved.status).toBe(201);
    const list = await get('/v1/follow-ups', { customerId, waitForPosition: resolved.body.position });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ _id: `${customerId}:complaint-k1`, followUpId: 'complaint-k1', reason: 'complaint', status: 'scheduled', dueAt: '2026-03-05T00:00:00.000Z', complaintId: 'k1' }),
    ]);
  });
});

describe('surveys (满意度)', () => {
  it('records an NPS answer (201), 200 re-sent, 409 DUPLICATE_SURVEY with other details, 400 out of range', async () => {
    const customerId = await registerCustomer(t);
    const path = `/v1/customers/${customerId}/surveys`;
    const body = { surveyId: 's1', score: 9, comment: 'quick refund', channel: 'wechat', outletId: 'o-1' };
    const first = await post(path, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId, surveyId: 's1' });
    expect((await post(path, body)).status).toBe(200);
    const other = await post(path, { ...body, score: 3 });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('DUPLICATE_SURVEY');
    for (const score of [-1, 11, 7.5, '9']) expect((await post(path, { ...body, surveyId: 's2', score })).status).toBe(400);
    expect((await post(path, { score: 5, channel: 'fax' })).status).toBe(400);
    const generated = await post(path, { score: 0, channel: 'store' });
    expect(generated.status).toBe(201);
    expect(generated.body.surveyId).toEqual(expect.any(String));
    expect((await post(path, { score: 5, channel: 'store' }, 'auditor')).status).toBe(403);
  });
});

describe('worklists', () => {
  it('lists complaints by dueAt, filtered by customer, status, severity, assignee and overdue', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    const path = `/v1/customers/${customerId}/complaints`;
    const file = (complaintId: string, severity: string, occurredAt: string) => post(path, { complaintId, channel: 'phone', category: 'billing', severity, description: 'x', occurredAt });
    await file('low', 'low', '2026-11-01T00:00:00Z');
    await file('urgent', 'urgent', '2026-11-01T00:00:00Z');
    const future = new Date(Date.now() + 60_000).toISOString();
    await file('fresh', 'low', future.replace(/\.\d+Z$/, 'Z'));
    const last = await post(`${path}/urgent/assignment`, { assignee: 'agent-7', occurredAt: '2026-11-01T01:00:00Z' });
    const wait = last.body.position as string;
    const all = await get('/v1/complaints', { customerId, waitForPosition: wait });
    expect(all.status).toBe(200);
    expect(all.body.items.map((c: { complaintId: string }) => c.complaintId)).toEqual(['urgent', 'low', 'fresh']);
    expect(all.body).toMatchObject({ limit: 100, skip: 0 });
    expect(all.body.items[0]).toMatchObject({ _id: `${customerId}:urgent`, status: 'assigned', severity: 'urgent', assignee: 'agent-7', dueAt: '2026-11-01T04:00:00.000Z', category: 'billing', channel: 'phone', slaBreached: true });
    // Filing 'fresh' (now) evaluated what came due before it: both November complaints had breached.
    expect(all.body.items.map((c: { slaBreached: boolean }) => c.slaBreached)).toEqual([true, true, false]);
    const ids = async (query: Record<string, string | number>, role: KeyRole = 'analyst') => {
      const response = await get('/v1/complaints', { customerId, ...query }, role);
      expect(response.status).toBe(200);
      return response.body.items.map((c: { complaintId: string }) => c.complaintId);
    };
    expect(await ids({ overdue: 'true' })).toEqual(['urgent', 'low']);
    expect(await ids({ overdue: 'false' })).toEqual(['fresh']);
    expect(await ids({ severity: 'low' })).toEqual(['low', 'fresh']);
    expect(await ids({ status: 'assigned' })).toEqual(['urgent']);
    expect(await ids({ assignee: 'agent-7' }, 'writer')).toEqual(['urgent']);
    expect(await ids({ limit: 1, skip: 1 }, 'admin')).toEqual(['low']);
    for (const bad of [{ status: 'lost' }, { severity: 'extreme' }, { overdue: 'yes' }, { limit: 0 }, { customerId: 'a b' }, { unknown: 1 }] as Record<string, string | number>[]) expect((await get('/v1/complaints', bad)).status).toBe(400);
    expect((await get('/v1/complaints', {}, 'auditor')).status).toBe(403);
  });

  it('lists follow-ups by dueAt, filtered by reason, status, assignee and dueBefore', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    const path = `/v1/customers/${customerId}/follow-ups`;
    await post(path, { followUpId: 'b', dueAt: '2026-03-10T00:00:00Z', reason: 'birthday', occurredAt: '2026-03-01T00:00:00Z' });
    await post(path, { followUpId: 'a', dueAt: '2026-03-05T00:00:00Z', reason: 'manual', assignee: 'agent-1', occurredAt: '2026-03-01T00:00:00Z' });
    const last = await post(`${path}/b/cancellation`, { reason: 'no need', occurredAt: '2026-03-02T00:00:00Z' });
    const ids = async (query: Record<string, string | number>, role: KeyRole = 'writer') => {
      const response = await get('/v1/follow-ups', { customerId, waitForPosition: last.body.position, ...query }, role);
      expect(response.status).toBe(200);
      return response.body.items.map((f: { followUpId: string }) => f.followUpId);
    };
    expect(await ids({})).toEqual(['a', 'b']);
    expect(await ids({ status: 'scheduled' }, 'analyst')).toEqual(['a']);
    expect(await ids({ reason: 'birthday' })).toEqual(['b']);
    expect(await ids({ assignee: 'agent-1' })).toEqual(['a']);
    expect(await ids({ dueBefore: '2026-03-06T00:00:00+00:00' }, 'admin')).toEqual(['a']);
    for (const bad of [{ dueBefore: '2026-W10' }, { reason: 'gossip' }, { status: 'open' }] as Record<string, string>[]) expect((await get('/v1/follow-ups', bad)).status).toBe(400);
    expect((await get('/v1/follow-ups', {}, 'auditor')).status).toBe(403);
  });
});

describe('GET /v1/analytics/complaints', () => {
  it('counts complaints filed in [from, to) per outlet, with rates per 1 000 purchases, resolution, SLA breaches, median hours and satisfaction', async () => {
    const outlet = uniqueId('o');
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    for (let i = 0; i < 4; i++) await purchase(t, customerId, { outletId: outlet, occurredAt: `2026-02-0${i + 1}T00:00:00.000Z` });
    const path = `/v1/customers/${customerId}/complaints`;
    const file = (complaintId: string, occurredAt: string, severity = 'normal') => post(path, { complaintId, channel: 'phone', category: 'billing', severity, description: 'x', outletId: outlet, occurredAt });
    await file('k1', '2026-02-02T00:00:00Z');
    await file('k2', '2026-02-03T00:00:00Z', 'urgent');
    await post(`${path}/k1/resolution`, { resolution: 'r', satisfaction: 4, occurredAt: '2026-02-02T10:00:00Z' });
    // k2 breaches at 04:00 (urgent), then is resolved 20 h after its filing.
    await post(`${path}/k2/resolution`, { resolution: 'r', satisfaction: 2, occurredAt: '2026-02-03T20:00:00Z' });
    const last = await file('k-outside', '2026-03-01T00:00:00Z');
    const response = await get('/v1/analytics/complaints', { from: '2026-02-01T00:00:00Z', to: '2026-02-10T00:00:00Z', groupBy: 'outlet', waitForPosition: last.body.position });
    expect(response.status).toBe(200);
    expect(response.body.items.filter((item: { key: string }) => item.key === outlet)).toEqual([
      { key: outlet, filed: 2, resolved: 2, open: 0, breached: 1, complaintRate: 500, resolutionRate: 1, slaBreachRate: 0.5, medianHoursToResolve: 15, avgSatisfaction: 3 },
    ]);
    const bySeverity = await get('/v1/analytics/complaints', { from: '2026-02-01T00:00:00Z', to: '2026-02-10T00:00:00Z', groupBy: 'severity' });
    expect(bySeverity.body.items.map((item: { key: string }) => item.key)).toEqual(expect.arrayContaining(['normal', 'urgent']));
    for (const bad of [{ from: '2026-02-10T00:00:00Z', to: '2026-02-01T00:00:00Z', groupBy: 'outlet' }, { from: '2026-02-01', to: '2026-02-10T00:00:00Z', groupBy: 'outlet' }, { from: '2026-02-01T00:00:00Z', to: '2026-02-10T00:00:00Z', groupBy: 'tier' }])
      expect((await get('/v1/analytics/complaints', bad)).status).toBe(400);
    expect((await get('/v1/analytics/complaints', { from: '2026-02-01T00:00:00Z', to: '2026-02-10T00:00:00Z', groupBy: 'outlet' }, 'writer')).status).toBe(403);
  });
});

describe('evaluation appends SLA breaches', () => {
  it('lists ComplaintSlaBreached among the appended events, once', async () => {
    const { customerId } = await customerWithComplaint('urgent', '2026-03-01T00:00:00Z');
    const due = await post(`/v1/customers/${customerId}/evaluation`, { asOf: '2026-03-02T00:00:00Z' });
    expect(due.status).toBe(201);
    expect(due.body.appended).toEqual(['ComplaintSlaBreached']);
    const again = await post(`/v1/customers/${customerId}/evaluation`, { asOf: '2026-03-03T00:00:00Z' });
    expect(again.status).toBe(200);
    const list = await get('/v1/complaints', { customerId, waitForPosition: due.body.position });
    expect(list.body.items).toEqual([expect.objectContaining({ complaintId: 'k1', slaBreached: true })]);
  });
});

describe('read models stay in step with the stream', () => {
  it('schedules the win-back follow-up when evaluation finds the customer at risk, and counts a reopened complaint as open in the profile', async () => {
    const customerId = await registerCustomer(t, { occurredAt: '2026-01-01T00:00:00.000Z' });
    await purchase(t, customerId, { occurredAt: '2026-01-02T00:00:00.000Z' });
    const evaluated = await post(`/v1/customers/${customerId}/evaluation`, { asOf: '2026-05-01T00:00:00Z' });
    expect(evaluated.body.appended).toEqual(['LifecycleStageChanged', 'FollowUpScheduled']);
    const winBack = await get('/v1/follow-ups', { customerId, reason: 'win_back', status: 'scheduled', waitForPosition: evaluated.body.position }, 'writer');
    expect(winBack.body.items).toEqual([expect.objectContaining({ followUpId: 'win-back-20260402000000', dueAt: '2026-04-02T00:00:00.000Z', reason: 'win_back' })]);

    const path = `/v1/customers/${customerId}/complaints`;
    await post(path, { complaintId: 'k1', channel: 'phone', category: 'billing', severity: 'low', description: 'x', occurredAt: '2026-05-01T00:00:00Z' });
    await post(`${path}/k1/resolution`, { resolution: 'r', occurredAt: '2026-05-02T00:00:00Z' });
    const reopened = await post(`${path}/k1/reopening`, { reason: 'again', occurredAt: '2026-05-03T00:00:00Z' });
    const profile = await get(`/v1/customers/${customerId}`, { waitForPosition: reopened.body.position });
    expect(profile.body.stats).toMatchObject({ complaintCount: 1, openComplaints: 1 });
    const complaint = await get('/v1/complaints', { customerId, waitForPosition: reopened.body.position });
    expect(complaint.body.items).toEqual([expect.objectContaining({ status: 'reopened', reopenCount: 1, resolvedAt: null, dueAt: '2026-05-10T00:00:00.000Z' })]);
  });
});
