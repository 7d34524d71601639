import type { OutletActivityDocument } from '../../../projections/outlet-activity.projection';
import { summarizeOutlets } from '../../../src/queries/outlet-analytics';
import { quintileThresholds, rfmReport, scoreHigh, scoreLow, segmentOf } from '../../../src/queries/rfm';
import type { CustomerProfile } from '../../../projections/customer-profiles.projection';

const day = (outletId: string, netSales: number, extra: Partial<OutletActivityDocument> = {}): OutletActivityDocument => ({
  _id: `${outletId}:2026-03-01`, outletId, day: '2026-03-01', visits: 0, purchases: 1, netSales, refunds: 0, newCustomers: 0, complaints: 0, redemptions: 0, surveyCount: 0, promoters: 0, detractors: 0, ...extra,
});

describe('summarizeOutlets', () => {
  it('classes by the share of net sales before each outlet; an outlet that refunded more than it sold adds nothing', () => {
    const items = summarizeOutlets([day('a', 70), day('b', 20), day('c', 10), day('d', -5, { surveyCount: 2, promoters: 0, detractors: 2 })]);
    expect(items.map(({ outletId, abcClass, nps }) => [outletId, abcClass, nps])).toEqual([
      ['a', 'A', null],
      ['b', 'B', null],
      ['c', 'C', null],
      ['d', 'C', -100],
    ]);
  });

  it('gives every outlet A when there are no positive sales, ties ordered by outlet id', () => {
    expect(summarizeOutlets([day('b', 0), day('a', 0)]).map(({ outletId, abcClass }) => [outletId, abcClass])).toEqual([
      ['a', 'A'],
      ['b', 'A'],
    ]);
  });
});

describe('RFM scores', () => {
  it('scores by quintile thresholds, equal values share a score', () => {
    expect(quintileThresholds([5, 1, 4, 2, 3])).toEqual([1, 2, 3, 4]);
    expect([1, 2, 3, 4, 5].map((v) => scoreHigh(v, [1, 2, 3, 4]))).toEqual([1, 2, 3, 4, 5]);
    expect([1, 2, 3, 4, 5].map((v) => scoreLow(v, [1, 2, 3, 4]))).toEqual([5, 4, 3, 2, 1]);
    expect([segmentOf(5, 5), segmentOf(1, 5), segmentOf(4, 1), segmentOf(2, 3), segmentOf(1, 1), segmentOf(3, 3)]).toEqual(['champions', 'loyal', 'potential', 'at_risk', 'hibernating', 'others']);
  });

  it('answers empty thresholds and no scores without customers', () => {
    expect(rfmReport([] as CustomerProfile[], '2026-06-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z')).toMatchObject({ customers: 0, thresholds: { recencyDays: [], frequency: [], monetary: [] }, scores: [] });
  });
});
