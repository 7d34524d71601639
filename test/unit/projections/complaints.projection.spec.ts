import { complaints } from '../../../projections/complaints.projection';
import { customerProfiles } from '../../../projections/customer-profiles.projection';
import { purchases } from '../../../projections/purchases.projection';
import { complaintAssigned, complaintEscalated, complaintFiled, complaintReopened, complaintResolved, purchased, registered, slaBreached } from './fixtures';
import { asRecorded, project } from './project';
import type { ProjectionEvent } from '../../../projections/projection';

/** Every document a projection builds from `events`, by id (the engine's routing by documentId). */
function documents<D extends { _id: string; revision: number }>(definition: Parameters<typeof project<D>>[0], events: ProjectionEvent[]): Record<string, D> {
  const docs: Record<string, D> = {};
  for (const event of events) {
    if (!definition.handles.includes(event.type)) continue;
    const id = definition.documentId(event);
    const next = project(definition, [event], docs[id]);
    if (next) docs[id] = next;
  }
  return docs;
}

describe('complaints projection', () => {
  it('keeps one document per complaint, keyed customerId:complaintId', () => {
    const docs = documents(complaints, asRecorded([registered(), complaintFiled('k1', '2026-01-06T00:00:00.000Z'), complaintFiled('k2', '2026-01-07T00:00:00.000Z')]));
    expect(Object.keys(docs)).toEqual(['c1:k1', 'c1:k2']);
    expect(docs['c1:k1']).toEqual({
      _id: 'c1:k1', customerId: 'c1', complaintId: 'k1', status: 'open', severity: 'high', category: 'billing', channel: 'phone', outletId: 'o1',
      filedAt: '2026-01-06T00:00:00.000Z', dueAt: '2026-01-07T00:00:00.000Z', assignee: null, resolvedAt: null, hoursToResolve: null,
      slaBreached: false, breachCount: 0, satisfaction: null, reopenCount: 0, revision: 1,
    });
  });

  it('follows assignment, escalation, breach, resolution and reopening', () => {
    const events = asRecorded([
      registered(),
      complaintFiled('k1', '2026-01-06T00:00:00.000Z'),
      complaintAssigned('k1', 'agent-1', '2026-01-06T01:00:00.000Z'),
      complaintEscalated('k1', 'urgent', '2026-01-06T06:00:00.000Z', '2026-01-06T02:00:00.000Z'),
      slaBreached('k1', '2026-01-06T06:00:00.000Z'),
      complaintResolved('k1', '2026-01-06T12:30:00.000Z'),
    ]);
    expect(documents(complaints, events)['c1:k1']).toMatchObject({
      status: 'resolved', severity: 'urgent', assignee: 'agent-1', dueAt: '2026-01-06T06:00:00.000Z', slaBreached: true, breachCount: 1,
      resolvedAt: '2026-01-06T12:30:00.000Z', hoursToResolve: 12.5, satisfaction: 4, revision: 5,
    });
    const reopened = asRecorded([...events, complaintReopened('k1', '2026-01-11T00:00:00.000Z', '2026-01-08T00:00:00.000Z')].map(({ type, data }) => ({ type, data }) as never));
    expect(documents(complaints, reopened)['c1:k1']).toMatchObject({ status: 'reopened', dueAt: '2026-01-11T00:00:00.000Z', resolvedAt: null, hoursToResolve: null, reopenCount: 1, slaBreached: true });
  });

  it('never applies an event twice when a batch is replayed', () => {
    const events = asRecorded([registered(), complaintFiled('k1', '2026-01-06T00:00:00.000Z'), slaBreached('k1', '2026-01-07T00:00:00.000Z')]);
    const once = documents(complaints, events)['c1:k1'];
    expect(project(complaints, events, once)).toEqual(once);
  });

  it('keeps customer_profiles\' complaint stats in step: a reopened complaint is open again, still one complaint', () => {
    const doc = project(
      customerProfiles,
      asRecorded([registered(), complaintFiled('k1', '2026-01-06T00:00:00.000Z'), complaintResolved('k1', '2026-01-07T00:00:00.000Z'), complaintReopened('k1', '2026-01-11T00:00:00.000Z', '2026-01-08T00:00:00.000Z')]),
    );
    expect(doc?.stats).toMatchObject({ complaintCount: 1, openComplaints: 1 });
  });
});

describe('purchases projection', () => {
  it('keeps one document per purchase with its outlet and time', () => {
    const docs = documents(purchases, asRecorded([registered(), purchased('p1', 100, '2026-01-03T00:00:00.000Z')]));
    expect(docs).toEqual({ 'c1:p1': { _id: 'c1:p1', customerId: 'c1', purchaseId: 'p1', outletId: 'o1', occurredAt: '2026-01-03T00:00:00.000Z', baseAmount: 100, revision: 1 } });
  });
});
