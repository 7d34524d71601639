/** The business content of a recorded fact, to tell a re-sent command from a conflicting one (time excluded: a retry may be re-stamped). */
import { canonicalJson } from '../shared/canonical-json';
import type { ComplaintFiled, CustomerVisited, PurchaseRecorded } from './events';

export const fingerprintOf = {
  purchase: ({ amount, currency, outletId, items }: PurchaseRecorded['data']): string => canonicalJson({ amount, currency, outletId, items }),
  visit: ({ outletId, channel, purpose }: CustomerVisited['data']): string => canonicalJson({ outletId, channel, purpose }),
  complaint: ({ channel, category, severity, description }: ComplaintFiled['data']): string =>
    canonicalJson({ channel, category, severity, description }),
};
