/** Complaints (assignment, escalation, reopening, SLA breaches), follow-ups (回访) and surveys (满意度), as given / when / then. */
import type { CustomerCommand } from '../../../src/customer/commands';
import type { ComplaintSeverity, CustomerEvent } from '../../../src/customer/events';
import { fold } from '../../../src/customer/evolve';
import { upcast } from '../../../src/customer/upcasters';
import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const FILED = '2026-02-01T00:00:00.000Z';
const registered = () => new History(C).register('2026-01-01T00:00:00.000Z');
const types = (events: CustomerEvent[]) => events.map((e) => e.type);
const ofType = <T extends CustomerEvent['type']>(events: CustomerEvent[], type: T) => events.filter((e) => e.type === type).map((e) => e.data as Extract<CustomerEvent, { type: T }>['data']);

const care = {
  file: (complaintId: string, occurredAt: string, severity: ComplaintSeverity = 'normal'): CustomerCommand => ({
    type: 'FileComplaint',
    data: { customerId: C, complaintId, channel: 'phone', category: 'billing', severity, description: 'charged twice', outletId: 'outlet-1', occurredAt },
  }),
  assign: (complaintId: string, assignee: string, occurredAt: string): CustomerCommand => ({ type: 'AssignComplaint', data: { customerId: C, complaintId, assignee, occurredAt } }),
  escalate: (complaintId: string, occurredAt: string, severity: ComplaintSeverity | null = null, reason = 'called back twice'): CustomerCommand => ({
    type: 'EscalateComplaint',
    data: { customerId: C, complaintId, reason, severity, occurredAt },
  }),
  reopen: (complaintId: string, occurredAt: string, reason = 'refund never arrived'): CustomerCommand => ({ type: 'ReopenComplaint', data: { customerId: C, complaintId, reason, occurredAt } }),
  schedule: (followUpId: string, dueAt: string, occurredAt: string, overrides: Partial<Extract<CustomerCommand, { type: 'ScheduleFollowUp' }>['data']> = {}): CustomerCommand => ({
    type: 'ScheduleFollowUp',
    data: { customerId: C, followUpId, dueAt, reason: 'manual', complaintId: null, assignee: 'agent-1', occurredAt, ...overrides },
  }),
  complete: (followUpId: string, occurredAt: string, overrides: Partial<Extract<CustomerCommand, { type: 'CompleteFollowUp' }>['data']> = {}): CustomerCommand => ({
    type: 'CompleteFollowUp',
    data: { customerId: C, followUpId, outcome: 'reached', notes: null, satisfaction: 5, occurredAt, ...overrides },
  }),
  cancel: (followUpId: string, occurredAt: string, reason = 'asked not to be called'): CustomerCommand => ({ type: 'CancelFollowUp', data: { customerId: C, followUpId, reason, occurredAt } }),
  survey: (surveyId: string, score: number, occurredAt: string, comment: string | null = null): CustomerCommand => ({
    type: 'AnswerSurvey',
    data: { customerId: C, surveyId, score, comment, channel: 'wechat', outletId: null, occurredAt },
  }),
};
const filed = (severity: ComplaintSeverity = 'normal') => registered().run(care.file('k1', FILED, severity));
const resolved = (at = '2026-02-02T00:00:00.000Z') => filed().run(commands.resolveComplaint(C, 'k1', at));

describe('FileComplaint: the SLA by severity', () => {
  it.each([
    ['urgent', '2026-02-01T04:00:00.000Z'],
    ['high', '2026-02-02T00:00:00.000Z'],
    ['normal', '2026-02-04T00:00:00.000Z'],
    ['low', '2026-02-08T00:00:00.000Z'],
  ] as const)('a %s complaint is due at %s', (severity, dueAt) => {
    expect(ofType(given(registered().events).when(care.file('k1', FILED, severity)).events(), 'ComplaintFiled')).toEqual([
      { customerId: C, complaintId: 'k1', channel: 'phone', category: 'billing', severity, description: 'charged twice', outletId: 'outlet-1', dueAt, occurredAt: FILED },
    ]);
  });

  it('takes the outlet into the filing: the same id from another outlet is a duplicate', () => {
    const other = care.file('k1', FILED) as Extract<CustomerCommand, { type: 'FileComplaint' }>;
    given(filed().events).when({ ...other, data: { ...other.data, outletId: 'outlet-2' } }).thenFails('DUPLICATE_COMPLAINT');
  });
});

describe('AssignComplaint', () => {
  it('records ComplaintAssigned, and nothing when it is already assigned to the same person', () => {
    given(filed().events).when(care.assign('k1', 'agent-1', '2026-02-01T01:00:00.000Z')).then([
      { type: 'ComplaintAssigned', data: { customerId: C, complaintId: 'k1', assignee: 'agent-1', occurredAt: '2026-02-01T01:00:00.000Z' } },
    ]);
    const assigned = filed().run(care.assign('k1', 'agent-1', '2026-02-01T01:00:00.000Z')).events;
    given(assigned).when(care.assign('k1', 'agent-1', '2026-02-01T02:00:00.000Z')).then([]);
    expect(types(given(assigned).when(care.assign('k1', 'agent-2', '2026-02-01T02:00:00.000Z')).events())).toEqual(['ComplaintAssigned']);
  });

  it('refuses an unknown complaint (404), a resolved one (409), a blank assignee and a time before the filing', () => {
    given(filed().events).when(care.assign('k2', 'agent-1', '2026-02-01T01:00:00.000Z')).thenFails('COMPLAINT_NOT_FOUND');
    given(resolved().events).when(care.assign('k1', 'agent-1', '2026-02-03T00:00:00.000Z')).thenFails('COMPLAINT_ALREADY_RESOLVED');
    given(filed().events).when(care.assign('k1', ' ', '2026-02-01T01:00:00.000Z')).thenFails('VALIDATION_FAILED', 'assignee');
    given(filed().events).when(care.assign('k1', 'agent-1', '2026-01-31T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'occurredAt');
  });
});

describe('EscalateComplaint', () => {
  it('raises the severity and restarts the SLA from the escalation instant', () => {
    given(filed().events).when(care.escalate('k1', '2026-02-01T10:00:00.000Z', 'urgent')).then([
      { type: 'ComplaintEscalated', data: { customerId: C, complaintId: 'k1', reason: 'called back twice', from: 'normal', to: 'urgent', dueAt: '2026-02-01T14:00:00.000Z', occurredAt: '2026-02-01T10:00:00.000Z' } },
    ]);
  });

  it('keeps the severity when only a reason is given', () => {
    expect(ofType(given(filed().events).when(care.escalate('k1', '2026-02-01T10:00:00.000Z')).events(), 'ComplaintEscalated')).toEqual([
      { customerId: C, complaintId: 'k1', reason: 'called back twice', from: 'normal', to: 'normal', dueAt: '2026-02-04T10:00:00.000Z', occurredAt: '2026-02-01T10:00:00.000Z' },
    ]);
  });

  it('never lowers the severity, nor "raises" it to the same one', () => {
    given(filed().events).when(care.escalate('k1', '2026-02-01T10:00:00.000Z', 'low')).thenFails('VALIDATION_FAILED', 'severity');
    given(filed().events).when(care.escalate('k1', '2026-02-01T10:00:00.000Z', 'normal')).thenFails('VALIDATION_FAILED', 'severity');
    given(filed().events).when(care.escalate('k1', '2026-02-01T10:00:00.000Z', null, '  ')).thenFails('VALIDATION_FAILED', 'reason');
  });

  it('refuses an escalation after the resolution (409 COMPLAINT_ALREADY_RESOLVED) and of an unknown complaint (404)', () => {
    given(resolved().events).when(care.escalate('k1', '2026-02-03T00:00:00.000Z', 'high')).thenFails('COMPLAINT_ALREADY_RESOLVED');
    given(filed().events).when(care.escalate('k2', '2026-02-01T10:00:00.000Z', 'high')).thenFails('COMPLAINT_NOT_FOUND');
  });
});

describe('ReopenComplaint', () => {
  it('reopens a resolved complaint within 30 days; the SLA restarts from the reopening', () => {
    given(resolved().events).when(care.reopen('k1', '2026-02-10T00:00:00.000Z')).then([
      { type: 'ComplaintReopened', data: { customerId: C, complaintId: 'k1', reason: 'refund never arrived', dueAt: '2026-02-13T00:00:00.000Z', occurredAt: '2026-02-10T00:00:00.000Z' } },
    ]);
    expect(types(given(resolved().events).when(care.reopen('k1', '2026-03-04T00:00:00.000Z')).events())).toEqual(['ComplaintReopened']);
  });

  it('refuses after the 30-day window (409 REOPEN_WINDOW_CLOSED)', () => {
    given(resolved().events).when(care.reopen('k1', '2026-03-04T00:00:00.001Z')).thenFails('REOPEN_WINDOW_CLOSED');
  });

  it('refuses an open complaint and a reopened one (409 COMPLAINT_NOT_RESOLVED), and an unknown one (404)', () => {
    given(filed().events).when(care.reopen('k1', '2026-02-02T00:00:00.000Z')).thenFails('COMPLAINT_NOT_RESOLVED');
    const reopened = resolved().run(care.reopen('k1', '2026-02-10T00:00:00.000Z')).events;
    given(reopened).when(care.reopen('k1', '2026-02-11T00:00:00.000Z')).thenFails('COMPLAINT_NOT_RESOLVED');
    given(resolved().events).when(care.reopen('k2', '2026-02-10T00:00:00.000Z')).thenFails('COMPLAINT_NOT_FOUND');
    given(resolved().events).when(care.reopen('k1', '2026-02-10T00:00:00.000Z', '')).thenFails('VALIDATION_FAILED', 'reason');
  });

  it('keeps the follow-up already scheduled, and a second resolution does not schedule another', () => {
    const reopened = resolved().run(care.reopen('k1', '2026-02-03T00:00:00.000Z'));
    expect(fold(reopened.events).care.followUps['complaint-k1']).toMatchObject({ status: 'scheduled', dueAt: '2026-02-05T00:00:00.000Z' });
    expect(types(given(reopened.events).when(commands.resolveComplaint(C, 'k1', '2026-02-04T00:00:00.000Z', { resolution: 'refund sent again' })).events())).toEqual(['ComplaintResolved']);
  });

  it('resolves again after reopening, and can be assigned and escalated while reopened', () => {
    const reopened = resolved().run(care.reopen('k1', '2026-02-03T00:00:00.000Z')).events;
    expect(types(given(reopened).when(care.assign('k1', 'agent-9', '2026-02-03T01:00:00.000Z')).events())).toEqual(['ComplaintAssigned']);
    expect(types(given(reopened).when(care.escalate('k1', '2026-02-03T01:00:00.000Z', 'high')).events())).toEqual(['ComplaintEscalated']);
  });
});

describe('the complaint SLA (a due kind)', () => {
  it('records ComplaintSlaBreached at dueAt for a complaint still open then, and only once', () => {
    given(filed().events).when(commands.evaluate(C, '2026-02-03T23:59:59.999Z')).then([]);
    given(filed().events).when(commands.evaluate(C, '2026-02-05T00:00:00.000Z')).then([
      { type: 'ComplaintSlaBreached', data: { customerId: C, complaintId: 'k1', dueAt: '2026-02-04T00:00:00.000Z', occurredAt: '2026-02-04T00:00:00.000Z' } },
    ]);
    const breached = filed().run(commands.evaluate(C, '2026-02-05T00:00:00.000Z')).events;
    given(breached).when(commands.evaluate(C, '2026-03-01T00:00:00.000Z')).then([]);
    // An escalation after the breach moves dueAt but the opening has breached already.
    const escalated = [...breached, ...given(breached).when(care.escalate('k1', '2026-02-06T00:00:00.000Z', 'urgent')).events()];
    given(escalated).when(commands.evaluate(C, '2026-03-01T00:00:00.000Z')).then([]);
  });

  it('never breaches a complaint resolved before dueAt', () => {
    given(resolved('2026-02-03T23:00:00.000Z').events).when(commands.evaluate(C, '2026-03-01T00:00:00.000Z')).then([]);
  });

  it('records the breach before a resolution that comes after dueAt', () => {
    expect(types(given(filed().events).when(commands.resolveComplaint(C, 'k1', '2026-02-06T00:00:00.000Z')).events())).toEqual(['ComplaintSlaBreached', 'ComplaintResolved', 'FollowUpScheduled']);
  });

  it('breaches again after a reopening, at the new dueAt', () => {
    const breachedThenReopened = filed()
      .run(commands.evaluate(C, '2026-02-05T00:00:00.000Z'))
      .run(commands.resolveComplaint(C, 'k1', '2026-02-06T00:00:00.000Z'))
      .run(care.reopen('k1', '2026-02-10T00:00:00.000Z')).events;
    expect(ofType(breachedThenReopened, 'ComplaintSlaBreached')).toHaveLength(1);
    expect(ofType(given(breachedThenReopened).when(commands.evaluate(C, '2026-02-20T00:00:00.000Z')).events(), 'ComplaintSlaBreached')).toEqual([
      { customerId: C, complaintId: 'k1', dueAt: '2026-02-13T00:00:00.000Z', occurredAt: '2026-02-13T00:00:00.000Z' },
    ]);
  });

  it('follows an escalation: the urgent SLA from the escalation instant', () => {
    const escalated = filed().run(care.escalate('k1', '2026-02-01T10:00:00.000Z', 'urgent')).events;
    expect(ofType(given(escalated).when(commands.evaluate(C, '2026-02-01T15:00:00.000Z')).events(), 'ComplaintSlaBreached')).toEqual([
      { customerId: C, complaintId: 'k1', dueAt: '2026-02-01T14:00:00.000Z', occurredAt: '2026-02-01T14:00:00.000Z' },
    ]);
  });

  it('dates the breach of a complaint that arrived after its dueAt at the customer clock', () => {
    const late = registered().run(commands.visit(C, 'v1', '2026-03-01T00:00:00.000Z')).run(care.file('k1', FILED, 'urgent')).events;
    expect(ofType(given(late).when(commands.evaluate(C, '2026-03-02T00:00:00.000Z')).events(), 'ComplaintSlaBreached')).toEqual([
      { customerId: C, complaintId: 'k1', dueAt: '2026-02-01T04:00:00.000Z', occurredAt: '2026-03-01T00:00:00.000Z' },
    ]);
  });
});

describe('follow-ups (回访)', () => {
  const scheduled = () => registered().run(care.schedule('f1', '2026-02-10T00:00:00.000Z', '2026-02-01T00:00:00.000Z'));

  it('records FollowUpScheduled; the same id re-sent appends nothing, other details are DUPLICATE_FOLLOW_UP', () => {
    given(registered().events).when(care.schedule('f1', '2026-02-10T00:00:00.000Z', '2026-02-01T00:00:00.000Z')).then([
      { type: 'FollowUpScheduled', data: { customerId: C, followUpId: 'f1', dueAt: '2026-02-10T00:00:00.000Z', reason: 'manual', complaintId: null, assignee: 'agent-1', occurredAt: '2026-02-01T00:00:00.000Z' } },
    ]);
    given(scheduled().events).when(care.schedule('f1', '2026-02-10T00:00:00.000Z', '2026-02-02T00:00:00.000Z')).then([]);
    given(scheduled().events).when(care.schedule('f1', '2026-02-11T00:00:00.000Z', '2026-02-02T00:00:00.000Z')).thenFails('DUPLICATE_FOLLOW_UP');
  });

  it('needs a known complaint for a complaint follow-up', () => {
    given(registered().events).when(care.schedule('f1', '2026-02-10T00:00:00.000Z', '2026-02-01T00:00:00.000Z', { reason: 'complaint' })).thenFails('VALIDATION_FAILED', 'complaintId');
    given(registered().events).when(care.schedule('f1', '2026-02-10T00:00:00.000Z', '2026-02-01T00:00:00.000Z', { reason: 'complaint', complaintId: 'k9' })).thenFails('COMPLAINT_NOT_FOUND');
    expect(types(given(filed().events).when(care.schedule('f1', '2026-02-10T00:00:00.000Z', '2026-02-01T00:00:00.000Z', { reason: 'complaint', complaintId: 'k1' })).events())).toEqual(['FollowUpScheduled']);
  });

  it('completes once: the same completion re-sent appends nothing, another closing is FOLLOW_UP_CLOSED', () => {
    given(scheduled().events).when(care.complete('f1', '2026-02-10T01:00:00.000Z', { notes: 'happy now' })).then([
      { type: 'FollowUpCompleted', data: { customerId: C, followUpId: 'f1', outcome: 'reached', notes: 'happy now', satisfaction: 5, occurredAt: '2026-02-10T01:00:00.000Z' } },
    ]);
    const completed = scheduled().run(care.complete('f1', '2026-02-10T01:00:00.000Z')).events;
    given(completed).when(care.complete('f1', '2026-02-10T02:00:00.000Z')).then([]);
    given(completed).when(care.complete('f1', '2026-02-10T02:00:00.000Z', { outcome: 'no_answer' })).thenFails('FOLLOW_UP_CLOSED');
    given(completed).when(care.cancel('f1', '2026-02-10T02:00:00.000Z')).thenFails('FOLLOW_UP_CLOSED');
  });

  it('cancels once, and a cancelled follow-up cannot be completed', () => {
    given(scheduled().events).when(care.cancel('f1', '2026-02-05T00:00:00.000Z')).then([
      { type: 'FollowUpCancelled', data: { customerId: C, followUpId: 'f1', reason: 'asked not to be called', occurredAt: '2026-02-05T00:00:00.000Z' } },
    ]);
    const cancelled = scheduled().run(care.cancel('f1', '2026-02-05T00:00:00.000Z')).events;
    given(cancelled).when(care.cancel('f1', '2026-02-06T00:00:00.000Z')).then([]);
    given(cancelled).when(care.complete('f1', '2026-02-06T00:00:00.000Z')).thenFails('FOLLOW_UP_CLOSED');
  });

  it('refuses an unknown follow-up (404), a satisfaction outside 1–5 and blank reasons', () => {
    given(scheduled().events).when(care.complete('f9', '2026-02-10T00:00:00.000Z')).thenFails('FOLLOW_UP_NOT_FOUND');
    given(scheduled().events).when(care.cancel('f9', '2026-02-10T00:00:00.000Z')).thenFails('FOLLOW_UP_NOT_FOUND');
    for (const satisfaction of [0, 6, 1.5]) given(scheduled().events).when(care.complete('f1', '2026-02-10T00:00:00.000Z', { satisfaction })).thenFails('VALIDATION_FAILED', 'satisfaction');
    given(scheduled().events).when(care.cancel('f1', '2026-02-10T00:00:00.000Z', ' ')).thenFails('VALIDATION_FAILED', 'reason');
  });

  it('schedules the complaint follow-up anew once the first is closed (a deterministic new id)', () => {
    const history = resolved()
      .run(care.complete('complaint-k1', '2026-02-05T00:00:00.000Z'))
      .run(care.reopen('k1', '2026-02-06T00:00:00.000Z')).events;
    expect(ofType(given(history).when(commands.resolveComplaint(C, 'k1', '2026-02-07T00:00:00.000Z', { resolution: 'second try' })).events(), 'FollowUpScheduled')).toEqual([
      { customerId: C, followUpId: 'complaint-k1-2', dueAt: '2026-02-10T00:00:00.000Z', reason: 'complaint', complaintId: 'k1', assignee: null, occurredAt: '2026-02-07T00:00:00.000Z' },
    ]);
  });

  it('dates the automatic follow-up of a late resolution at the clock, due 3 days after the resolution', () => {
    const history = filed().run(commands.visit(C, 'v1', '2026-02-03T00:00:00.000Z')).events;
    expect(ofType(given(history).when(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z')).events(), 'FollowUpScheduled')).toEqual([
      expect.objectContaining({ dueAt: '2026-02-05T00:00:00.000Z', occurredAt: '2026-02-03T00:00:00.000Z' }),
    ]);
  });

  it('keeps a complaint id of 64 characters addressable: the follow-up id is cut to 64 with a digest', () => {
    const long = 'k'.repeat(64);
    const history = registered().run(care.file(long, FILED)).events;
    const [followUp] = ofType(given(history).when(commands.resolveComplaint(C, long, '2026-02-02T00:00:00.000Z')).events(), 'FollowUpScheduled');
    expect(followUp.followUpId).toMatch(/^complaint-k+-[0-9a-f]{16}$/);
    expect(followUp.followUpId).toHaveLength(64);
  });
});

describe('the win-back follow-up on entering at_risk', () => {
  const bought = () => registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z');

  it('is not scheduled again while one is still scheduled', () => {
    // At risk on 1 Apr (a follow-up), won back on 15 Apr, at risk again on 14 Jul: the first is still open.
    const history = bought().run(commands.evaluate(C, '2026-04-02T00:00:00.000Z')).purchase('p2', 1000, '2026-04-15T00:00:00.000Z').events;
    expect(ofType(history, 'FollowUpScheduled').map((f) => f.followUpId)).toEqual(['win-back-20260401000000']);
    const again = given(history).when(commands.evaluate(C, '2026-07-20T00:00:00.000Z')).events();
    expect(ofType(again, 'LifecycleStageChanged').map((c) => c.to)).toEqual(['at_risk']);
    expect(ofType(again, 'FollowUpScheduled')).toEqual([]);
  });

  it('is scheduled again once the first was closed', () => {
    const history = bought()
      .run(commands.evaluate(C, '2026-04-02T00:00:00.000Z'))
      .run(care.complete('win-back-20260401000000', '2026-04-03T00:00:00.000Z', { outcome: 'no_answer', satisfaction: null }))
      .purchase('p2', 1000, '2026-04-15T00:00:00.000Z').events;
    expect(ofType(given(history).when(commands.evaluate(C, '2026-07-20T00:00:00.000Z')).events(), 'FollowUpScheduled')).toEqual([
      { customerId: C, followUpId: 'win-back-20260714000000', dueAt: '2026-07-14T00:00:00.000Z', reason: 'win_back', complaintId: null, assignee: null, occurredAt: '2026-07-14T00:00:00.000Z' },
    ]);
  });

  it('is not scheduled when the customer churns (only on entering at_risk)', () => {
    const atRisk = bought().run(commands.evaluate(C, '2026-04-02T00:00:00.000Z'));
    expect(ofType(given(atRisk.events).when(commands.evaluate(C, '2026-07-01T00:00:00.000Z')).events(), 'FollowUpScheduled')).toEqual([]);
  });
});

describe('AnswerSurvey (满意度, NPS)', () => {
  it('records SurveyAnswered; the same id re-sent appends nothing, other details are DUPLICATE_SURVEY', () => {
    given(registered().events).when(care.survey('s1', 9, '2026-02-01T00:00:00.000Z', 'great')).then([
      { type: 'SurveyAnswered', data: { customerId: C, surveyId: 's1', score: 9, comment: 'great', channel: 'wechat', outletId: null, occurredAt: '2026-02-01T00:00:00.000Z' } },
    ]);
    const answered = registered().run(care.survey('s1', 9, '2026-02-01T00:00:00.000Z')).events;
    given(answered).when(care.survey('s1', 9, '2026-02-02T00:00:00.000Z')).then([]);
    given(answered).when(care.survey('s1', 3, '2026-02-02T00:00:00.000Z')).thenFails('DUPLICATE_SURVEY');
  });

  it('takes scores 0 to 10 only', () => {
    expect(types(given(registered().events).when(care.survey('s1', 0, '2026-02-01T00:00:00.000Z')).events())).toEqual(['SurveyAnswered']);
    for (const score of [-1, 11, 7.5]) given(registered().events).when(care.survey('s1', score, '2026-02-01T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'score');
  });

  it('needs a registered customer', () => {
    given([]).when(care.survey('s1', 9, '2026-02-01T00:00:00.000Z')).thenFails('CUSTOMER_NOT_FOUND');
  });
});

describe('ComplaintFiled v1 (before outlets and due dates)', () => {
  it('is upcast with no outlet and dueAt from its severity', () => {
    const v1 = { customerId: C, complaintId: 'k1', channel: 'phone', category: 'billing', severity: 'high', description: 'x', occurredAt: FILED };
    expect(upcast('ComplaintFiled', 1, v1)).toEqual({ ...v1, outletId: null, dueAt: '2026-02-02T00:00:00.000Z' });
    expect(upcast('ComplaintFiled', 2, { ...v1, outletId: 'o', dueAt: 'kept' })).toEqual({ ...v1, outletId: 'o', dueAt: 'kept' });
  });
});
