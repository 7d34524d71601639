/** What decisions need of visits and complaints. */
import { canonicalJson } from '../../shared/canonical-json';
import type { ComplaintFiled, ComplaintResolved, CustomerVisited } from './events';

export interface ComplaintSummary {
  complaintId: string;
  severity: string;
  status: 'open' | 'resolved';
  filedAt: string;
  resolvedAt: string | null;
  /** Business content of the filing and of the resolution, to tell a re-sent command from a conflicting one. */
  fingerprint: string;
  resolution: string | null;
}

export interface CareState {
  visits: { count: number; lastVisitAt: string | null; fingerprints: Record<string, string> };
  complaints: Record<string, ComplaintSummary>;
}

export const initialCare = (): CareState => ({ visits: { count: 0, lastVisitAt: null, fingerprints: {} }, complaints: {} });

/** Business content of a recorded fact (time excluded: a retry may be re-stamped). */
export const careFingerprint = {
  visit: ({ outletId, channel, purpose }: CustomerVisited['data']): string => canonicalJson({ outletId, channel, purpose }),
  complaint: ({ channel, category, severity, description }: ComplaintFiled['data']): string => canonicalJson({ channel, category, severity, description }),
  resolution: ({ resolution, satisfaction }: ComplaintResolved['data']): string => canonicalJson({ resolution, satisfaction }),
};
