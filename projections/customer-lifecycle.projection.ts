/** customer_lifecycle: the stage, its history, and when it would change next if nothing happens. */
import { AT_RISK_AFTER_DAYS, CHURNED_AFTER_DAYS, LOYAL_WINDOW_DAYS } from '../src/customer/policies/lifecycle';
import { addDays, DAY_MS, later, toMs } from '../src/customer/time';
import { defineProjection, listWeight, type CustomerDocument } from './projection';

export interface CustomerLifecycle extends CustomerDocument {
  customerId: string;
  stage: string;
  stageSince: string | null;
  previousStage: string | null;
  purchaseCount: number;
  /** Purchases in the 365 days up to `asOf`. */
  purchasesLast365Days: number;
  lastPurchaseAt: string | null;
  atRiskFrom: string | null;
  churnedFrom: string | null;
  history: { from: string; to: string; at: string; reason: string }[];
  /** The business time the counts hold for: the latest event applied (a purchase, a stage change). */
  asOf: string | null;
  /** Purchase times inside the loyalty window of `asOf` (what purchasesLast365Days counts). */
  recentPurchases: string[];
}

/** Recounts the loyalty window as of `doc.asOf`. */
function recount(doc: CustomerLifecycle): void {
  if (doc.asOf === null) return;
  const windowStart = toMs(doc.asOf) - LOYAL_WINDOW_DAYS * DAY_MS;
  doc.recentPurchases = doc.recentPurchases.filter((time) => toMs(time) > windowStart);
  doc.purchasesLast365Days = doc.recentPurchases.filter((time) => time <= (doc.asOf as string)).length;
}

export const customerLifecycle = defineProjection<CustomerLifecycle>({
  name: 'customer_lifecycle',
  version: 2,
  queryable: [{ path: 'stage', type: 'string' }, { path: 'atRiskFrom', type: 'string' }, { path: 'lastPurchaseAt', type: 'string' }],
  create: (event) => ({
    _id: event.data.customerId,
    customerId: event.data.customerId,
    stage: 'prospect',
    stageSince: null,
    previousStage: null,
    purchaseCount: 0,
    purchasesLast365Days: 0,
    lastPurchaseAt: null,
    atRiskFrom: null,
    churnedFrom: null,
    history: [],
    asOf: null,
    recentPurchases: [],
    revision: -1,
  }),
  copy: (doc) => ({ ...doc, history: [...doc.history], recentPurchases: [...doc.recentPurchases] }),
  cacheWeight: (doc) => listWeight(doc.history.length, doc.recentPurchases.length),
  on: {
    CustomerRegistered(doc, { data }) {
      doc.stageSince = doc.stageSince ?? data.occurredAt;
      doc.asOf = later(doc.asOf, data.occurredAt);
    },
    PurchaseRecorded(doc, { data }) {
      const last = later(doc.lastPurchaseAt, data.occurredAt);
      doc.purchaseCount++;
      doc.lastPurchaseAt = last;
      doc.recentPurchases = [...doc.recentPurchases, data.occurredAt].sort();
      doc.asOf = later(doc.asOf, data.occurredAt);
      doc.atRiskFrom = addDays(last, AT_RISK_AFTER_DAYS);
      doc.churnedFrom = addDays(last, CHURNED_AFTER_DAYS);
      recount(doc);
    },
    LifecycleStageChanged(doc, { data }) {
      const { from, to, reason, occurredAt } = data;
      doc.previousStage = from;
      doc.stage = to;
      doc.stageSince = occurredAt;
      doc.history.push({ from, to, at: occurredAt, reason });
      doc.asOf = later(doc.asOf, occurredAt);
      recount(doc);
    },
  },
});
