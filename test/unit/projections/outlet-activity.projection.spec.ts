import type { CustomerEvent } from '../../../src/customer/events';
import { localDay } from '../../../projections/local-day';
import { outletActivity, type OutletActivityDocument } from '../../../projections/outlet-activity.projection';
import type { ProjectionEvent } from '../../../projections/projection';
import { complaintFiled, purchased, registered, visited } from './fixtures';

/** Events from several streams, in log order, with global positions. */
function recorded(events: CustomerEvent[]): ProjectionEvent[] {
  return events.map((event, index) => ({ ...event, streamId: `customer-${event.data.customerId}`, revision: index, position: `${index + 1}/${index + 1}`, recordedAt: '2026-06-01T00:00:00.000Z' }));
}

/** The engine's routing and position guard. */
function documents(events: ProjectionEvent[]): Record<string, OutletActivityDocument> {
  const docs: Record<string, OutletActivityDocument> = {};
  for (const event of events) {
    if (!outletActivity.handles.includes(event.type)) continue;
    const id = outletActivity.documentId(event);
    const current = docs[id];
    const next = outletActivity.apply(current, event);
    if (next !== current && next) docs[id] = { ...next, position: event.position };
  }
  return docs;
}

const survey = (score: number, at: string, outletId: string | null = 'o1'): CustomerEvent => ({
  type: 'SurveyAnswered',
  data: { customerId: 'c1', surveyId: `s${score}`, score, comment: null, channel: 'store', outletId, occurredAt: at },
});
const refunded = (baseAmount: number, at: string, outletId?: string): CustomerEvent =>
  ({ type: 'PurchaseRefunded', data: { customerId: 'c1', purchaseId: 'p1', refundId: 'r1', amount: baseAmount, baseAmount, reason: 'broken', occurredAt: at, ...(outletId ? { outletId } : {}) } }) as CustomerEvent;
const redeemed = (at: string, outletId: string | null): CustomerEvent => ({
  type: 'PointsRedeemed',
  data: { customerId: 'c1', redemptionId: 'x1', points: 100, reason: 'gift', outletId, lots: [], occurredAt: at },
});

describe('localDay', () => {
  it('gives the date in the zone, around midnight', () => {
    expect(localDay('2026-03-01T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(localDay('2026-03-01T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDay('2026-03-01T23:30:00.000Z', 'UTC')).toBe('2026-03-01');
    expect(localDay('2026-03-02T00:00:00.000Z', 'UTC')).toBe('2026-03-02');
    expect(localDay('2026-03-02T04:59:59.000Z', 'America/New_York')).toBe('2026-03-01');
    expect(localDay('2026-03-02T05:00:00.000Z', 'America/New_York')).toBe('2026-03-02');
    expect(localDay('2026-12-31T16:00:00.000Z', 'Asia/Shanghai')).toBe('2027-01-01');
  });
});

describe('outlet_activity projection', () => {
  it('counts one outlet-day from many streams, by the Shanghai date', () => {
    const other = (event: CustomerEvent): CustomerEvent => ({ ...event, data: { ...event.data, customerId: 'c2' } }) as CustomerEvent;
    const docs = documents(
      recorded([
        registered('2026-03-01T02:00:00.000Z'),
        purchased('p1', 10_000, '2026-03-01T03:00:00.000Z'),
        other(purchased('p2', 5_000, '2026-03-01T15:59:00.000Z')),
        // 00:30 on 2 March in Shanghai: the next day.
        purchased('p3', 700, '2026-03-01T16:30:00.000Z'),
        refunded(2_000, '2026-03-01T05:00:00.000Z', 'o1'),
        refunded(1_000, '2026-03-01T05:00:00.000Z'),
        complaintFiled('k1', '2026-03-01T06:00:00.000Z'),
        redeemed('2026-03-01T07:00:00.000Z', 'o1'),
        redeemed('2026-03-01T07:00:00.000Z', null),
        survey(10, '2026-03-01T08:00:00.000Z'),
        survey(9, '2026-03-01T08:00:00.000Z'),
        survey(7, '2026-03-01T08:00:00.000Z'),
        survey(6, '2026-03-01T08:00:00.000Z'),
        survey(3, '2026-03-01T08:00:00.000Z', null),
        visited('v1', '2026-03-01T09:00:00.000Z'),
      ]),
    );
    expect(Object.keys(docs).sort()).toEqual(['o1:2026-03-01', 'o1:2026-03-02', 'o2:2026-03-01']);
    expect(docs['o1:2026-03-01']).toEqual({
      _id: 'o1:2026-03-01', outletId: 'o1', day: '2026-03-01', visits: 0, purchases: 2, netSales: 13_000, refunds: 1, newCustomers: 1, complaints: 1,
      redemptions: 1, surveyCount: 4, promoters: 2, detractors: 1, position: '13/13',
    });
    expect(docs['o1:2026-03-02']).toMatchObject({ purchases: 1, netSales: 700 });
    expect(docs['o2:2026-03-01']).toMatchObject({ visits: 1, purchases: 0 });
  });

  it('leaves events without an outlet uncounted (no document)', () => {
    const noOutlet: CustomerEvent = { ...purchased('p1', 100, '2026-03-01T00:00:00.000Z') } as CustomerEvent;
    (noOutlet.data as { outletId: string | null }).outletId = null;
    expect(documents(recorded([noOutlet, refunded(100, '2026-03-01T00:00:00.000Z'), redeemed('2026-03-01T00:00:00.000Z', null)]))).toEqual({});
  });

  it('is guarded by position and queryable by outlet and day', () => {
    expect(outletActivity.guard).toBe('position');
    expect(outletActivity.queryable).toEqual([
      { path: 'outletId', type: 'string' },
      { path: 'day', type: 'string' },
    ]);
  });
});
