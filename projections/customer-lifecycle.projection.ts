/** customer_lifecycle: the stage, its history, and when it would change next if nothing happens (API.md). */
import { AT_RISK_AFTER_DAYS, CHURNED_AFTER_DAYS, LOYAL_WINDOW_DAYS } from '../src/customer/policies/lifecycle';
import { addDays, DAY_MS, toMs } from '../src/customer/time';
import type { CustomerDocument, ProjectionDefinition } from './projection';

export interface CustomerLifecycle extends CustomerDocument {
  stage: string;
  stageSince: string | null;
  previousStage: string | null;
  purchaseCount: number;
  /** Purchases in the 365 days up to the latest one. */
  purchasesLast365Days: number;
  lastPurchaseAt: string | null;
  atRiskFrom: string | null;
  churnedFrom: string | null;
  history: { from: string; to: string; at: string; reason: string }[];
  /** Purchase times inside the loyalty window of the latest purchase (what purchasesLast365Days counts). */
  recentPurchases: string[];
}

export const customerLifecycle: ProjectionDefinition<CustomerLifecycle> = {
  name: 'customer_lifecycle',
  version: 1,
  queryable: [{ path: 'stage', type: 'string' }, { path: 'atRiskFrom', type: 'string' }, { path: 'lastPurchaseAt', type: 'string' }],
  handles: ['CustomerRegistered', 'PurchaseRecorded', 'LifecycleStageChanged'],
  documentId: (event) => event.data.customerId,
  apply(current, event) {
    const doc: CustomerLifecycle = current
      ? { ...current }
      : {
          _id: event.data.customerId,
          stage: 'prospect',
          stageSince: null,
          previousStage: null,
          purchaseCount: 0,
          purchasesLast365Days: 0,
          lastPurchaseAt: null,
          atRiskFrom: null,
          churnedFrom: null,
          history: [],
          recentPurchases: [],
          revision: -1,
        };
    switch (event.type) {
      case 'CustomerRegistered':
        doc.stageSince = doc.stageSince ?? event.data.occurredAt;
        break;
      case 'PurchaseRecorded': {
        const at = event.data.occurredAt;
        const last = doc.lastPurchaseAt !== null && doc.lastPurchaseAt > at ? doc.lastPurchaseAt : at;
        const windowStart = toMs(last) - LOYAL_WINDOW_DAYS * DAY_MS;
        doc.purchaseCount++;
        doc.lastPurchaseAt = last;
        doc.recentPurchases = [...doc.recentPurchases, at].filter((time) => toMs(time) > windowStart).sort();
        doc.purchasesLast365Days = doc.recentPurchases.length;
        doc.atRiskFrom = addDays(last, AT_RISK_AFTER_DAYS);
        doc.churnedFrom = addDays(last, CHURNED_AFTER_DAYS);
        break;
      }
      case 'LifecycleStageChanged': {
        const { from, to, reason, occurredAt } = event.data;
        doc.previousStage = from;
        doc.stage = to;
        doc.stageSince = occurredAt;
        doc.history = [...doc.history, { from, to, at: occurredAt, reason }];
        break;
      }
      default:
        return current;
    }
    doc.revision = event.revision;
    return doc;
  },
};
