import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const registered = () => new History(C).register('2026-01-01T00:00:00.000Z');

describe('RecordVisit', () => {
  it('records CustomerVisited', () => {
    given(registered().events).when(commands.visit(C, 'v1', '2026-02-01T00:00:00.000Z')).then([
      { type: 'CustomerVisited', data: { customerId: C, visitId: 'v1', outletId: 'outlet-1', channel: 'store', purpose: null, occurredAt: '2026-02-01T00:00:00.000Z' } },
    ]);
  });

  it('appends nothing for a visit id re-sent with the same details, and refuses it with other details', () => {
    const history = registered().run(commands.visit(C, 'v1', '2026-02-01T00:00:00.000Z')).events;
    given(history).when(commands.visit(C, 'v1', '2026-02-01T00:00:00.000Z')).then([]);
    given(history).when(commands.visit(C, 'v1', '2026-02-01T00:00:00.000Z', 'outlet-2')).thenFails('DUPLICATE_VISIT');
  });
});

describe('FileComplaint', () => {
  it('records ComplaintFiled with severity, channel and category', () => {
    given(registered().events).when(commands.fileComplaint(C, 'k1', '2026-02-01T00:00:00.000Z')).then([
      { type: 'ComplaintFiled', data: { customerId: C, complaintId: 'k1', channel: 'store', category: 'service', severity: 'normal', description: 'cold coffee', outletId: null, dueAt: '2026-02-04T00:00:00.000Z', occurredAt: '2026-02-01T00:00:00.000Z' } },
    ]);
  });

  it('appends nothing for the same complaint re-sent, and refuses the id with other details', () => {
    const history = registered().run(commands.fileComplaint(C, 'k1', '2026-02-01T00:00:00.000Z')).events;
    given(history).when(commands.fileComplaint(C, 'k1', '2026-02-01T00:00:00.000Z')).then([]);
    given(history).when(commands.fileComplaint(C, 'k1', '2026-02-01T00:00:00.000Z', 'rude staff')).thenFails('DUPLICATE_COMPLAINT');
  });
});

describe('ResolveComplaint', () => {
  const filed = () => registered().run(commands.fileComplaint(C, 'k1', '2026-02-01T00:00:00.000Z'));

  it('records ComplaintResolved with the resolution and satisfaction, and a follow-up 3 days later', () => {
    given(filed().events).when(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z')).then([
      { type: 'ComplaintResolved', data: { customerId: C, complaintId: 'k1', resolution: 'refunded', satisfaction: 4, occurredAt: '2026-02-02T00:00:00.000Z' } },
      { type: 'FollowUpScheduled', data: { customerId: C, followUpId: 'complaint-k1', dueAt: '2026-02-05T00:00:00.000Z', reason: 'complaint', complaintId: 'k1', assignee: null, occurredAt: '2026-02-02T00:00:00.000Z' } },
    ]);
  });

  it('resolves a complaint once: the same resolution re-sent appends nothing, another one is refused', () => {
    const resolved = filed().run(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z')).events;
    given(resolved).when(commands.resolveComplaint(C, 'k1', '2026-02-03T00:00:00.000Z')).then([]);
    given(resolved).when(commands.resolveComplaint(C, 'k1', '2026-02-03T00:00:00.000Z', { satisfaction: 2 })).thenFails('COMPLAINT_ALREADY_RESOLVED');
    given(resolved).when(commands.resolveComplaint(C, 'k1', '2026-02-03T00:00:00.000Z', { resolution: 'voucher' })).thenFails('COMPLAINT_ALREADY_RESOLVED');
  });

  it('refuses an unknown complaint', () => {
    given(filed().events).when(commands.resolveComplaint(C, 'k2', '2026-02-02T00:00:00.000Z')).thenFails('COMPLAINT_NOT_FOUND');
  });

  it('needs a resolution text, a satisfaction from 1 to 5 when given, and a time after the filing', () => {
    const history = filed().events;
    given(history).when(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z', { resolution: ' ' })).thenFails('VALIDATION_FAILED', 'resolution');
    for (const satisfaction of [0, 6, 2.5]) given(history).when(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z', { satisfaction })).thenFails('VALIDATION_FAILED', 'satisfaction');
    expect(given(history).when(commands.resolveComplaint(C, 'k1', '2026-02-02T00:00:00.000Z', { satisfaction: null })).events().map((e) => e.type)).toEqual(['ComplaintResolved', 'FollowUpScheduled']);
    given(history).when(commands.resolveComplaint(C, 'k1', '2026-01-31T00:00:00.000Z')).thenFails('VALIDATION_FAILED', 'occurredAt');
  });
});
