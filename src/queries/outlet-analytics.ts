/** Outlet ranking over outlet_activity days: sums per outlet, rates, NPS and ABC classes by net sales. */
import type { OutletActivityDocument } from '../../projections/outlet-activity.projection';

export type AbcClass = 'A' | 'B' | 'C';

export interface OutletSummary {
  outletId: string;
  visits: number;
  purchases: number;
  /** Minor units of the base currency, net of refunds. */
  netSales: number;
  newCustomers: number;
  complaints: number;
  /** Complaints per 1 000 purchases (null without purchases). */
  complaintRate: number | null;
  /** Promoters % − detractors % of the surveys (null without surveys). */
  nps: number | null;
  abcClass: AbcClass;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Sums the days per outlet and ranks the outlets by net sales, highest first (ties by outletId).
 * ABC: an outlet is A while the cumulative share of net sales of the outlets ranked *before* it is
 * below 70 %, B while below 90 %, else C. The share is of the positive net sales (an outlet that
 * refunded more than it sold adds nothing to the total); with no positive sales every share is 0.
 */
export function summarizeOutlets(days: readonly OutletActivityDocument[]): OutletSummary[] {
  const totals = new Map<string, { visits: number; purchases: number; netSales: number; newCustomers: number; complaints: number; surveyCount: number; promoters: number; detractors: number }>();
  for (const day of days) {
    const sum = totals.get(day.outletId) ?? { visits: 0, purchases: 0, netSales: 0, newCustomers: 0, complaints: 0, surveyCount: 0, promoters: 0, detractors: 0 };
    for (const field of Object.keys(sum) as (keyof typeof sum)[]) sum[field] += Number(day[field] ?? 0);
    totals.set(day.outletId, sum);
  }
  const ranked = [...totals].sort(([a, x], [b, y]) => y.netSales - x.netSales || (a < b ? -1 : a > b ? 1 : 0));
  const total = ranked.reduce((acc, [, sum]) => acc + Math.max(0, sum.netSales), 0);
  let before = 0;
  return ranked.map(([outletId, sum]) => {
    const share = total > 0 ? before / total : 0;
    before += Math.max(0, sum.netSales);
    return {
      outletId,
      visits: sum.visits,
      purchases: sum.purchases,
      netSales: sum.netSales,
      newCustomers: sum.newCustomers,
      complaints: sum.complaints,
      complaintRate: sum.purchases === 0 ? null : round((sum.complaints * 1000) / sum.purchases, 4),
      nps: sum.surveyCount === 0 ? null : round(((sum.promoters - sum.detractors) * 100) / sum.surveyCount, 2),
      abcClass: share < 0.7 ? 'A' : share < 0.9 ? 'B' : 'C',
    };
  });
}
