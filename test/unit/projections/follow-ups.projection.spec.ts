import { followUps } from '../../../projections/follow-ups.projection';
import { complaintFiled, followUpCancelled, followUpCompleted, followUpScheduled, registered } from './fixtures';
import { asRecorded, project } from './project';

const only = (id: string) => (event: { data: unknown }) => (event.data as { followUpId?: string }).followUpId === id;

describe('follow_ups projection', () => {
  it('keeps one document per follow-up, keyed customerId:followUpId', () => {
    const events = asRecorded([registered(), complaintFiled('k1', '2026-01-06T00:00:00.000Z'), followUpScheduled('complaint-k1', '2026-01-10T00:00:00.000Z', '2026-01-07T00:00:00.000Z', 'k1')]);
    expect(followUps.documentId(events[2])).toBe('c1:complaint-k1');
    expect(project(followUps, events)).toEqual({
      _id: 'c1:complaint-k1', customerId: 'c1', followUpId: 'complaint-k1', reason: 'complaint', status: 'scheduled', dueAt: '2026-01-10T00:00:00.000Z', assignee: null, complaintId: 'k1',
      scheduledAt: '2026-01-07T00:00:00.000Z', outcome: null, notes: null, satisfaction: null, completedAt: null, cancelledAt: null, cancelReason: null, revision: 2,
    });
  });

  it('records the completion and the cancellation', () => {
    const events = asRecorded([
      registered(),
      followUpScheduled('f1', '2026-01-10T00:00:00.000Z', '2026-01-07T00:00:00.000Z'),
      followUpScheduled('f2', '2026-01-10T00:00:00.000Z', '2026-01-07T00:00:00.000Z'),
      followUpCompleted('f1', '2026-01-10T01:00:00.000Z'),
      followUpCancelled('f2', '2026-01-09T00:00:00.000Z'),
    ]);
    expect(project(followUps, events.filter(only('f1')))).toMatchObject({ status: 'completed', outcome: 'reached', notes: 'fine now', satisfaction: 5, completedAt: '2026-01-10T01:00:00.000Z', assignee: 'agent-1', revision: 3 });
    expect(project(followUps, events.filter(only('f2')))).toMatchObject({ status: 'cancelled', cancelledAt: '2026-01-09T00:00:00.000Z', cancelReason: 'moved away', outcome: null, revision: 4 });
  });
});
