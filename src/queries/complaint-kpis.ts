/** Complaint KPIs per group, computed from complaint documents (one per complaint: KPIs count complaints, not events). */
import type { ComplaintDocument } from '../../projections/complaints.projection';

export interface ComplaintKpis {
  key: string | null;
  filed: number;
  resolved: number;
  open: number;
  breached: number;
  /** Complaints filed per 1 000 purchases in the period (null without purchases). */
  complaintRate: number | null;
  resolutionRate: number;
  slaBreachRate: number;
  medianHoursToResolve: number | null;
  avgSatisfaction: number | null;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The KPIs of one group of complaints, given the purchases of the period in that group. */
export function complaintKpis(key: string | null, docs: readonly ComplaintDocument[], purchases: number): ComplaintKpis {
  const filed = docs.length;
  const resolvedDocs = docs.filter((doc) => doc.status === 'resolved');
  const breached = docs.filter((doc) => doc.slaBreached).length;
  const satisfaction = docs.flatMap((doc) => (typeof doc.satisfaction === 'number' ? [doc.satisfaction] : []));
  const hours = median(resolvedDocs.flatMap((doc) => (typeof doc.hoursToResolve === 'number' ? [doc.hoursToResolve] : [])));
  return {
    key,
    filed,
    resolved: resolvedDocs.length,
    open: filed - resolvedDocs.length,
    breached,
    complaintRate: purchases === 0 ? null : round((filed * 1000) / purchases, 4),
    resolutionRate: filed === 0 ? 0 : round(resolvedDocs.length / filed, 4),
    slaBreachRate: filed === 0 ? 0 : round(breached / filed, 4),
    medianHoursToResolve: hours === null ? null : round(hours, 2),
    avgSatisfaction: satisfaction.length === 0 ? null : round(satisfaction.reduce((sum, s) => sum + s, 0) / satisfaction.length, 2),
  };
}
