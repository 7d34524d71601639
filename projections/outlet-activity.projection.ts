/**
 * outlet_activity: what happened at one outlet on one local business day (`outletId:day`), fed by
 * every customer's stream, so guarded by the global position (guard 'position'). The day is the
 * date of the event's `occurredAt` in BUSINESS_TIMEZONE (default Asia/Shanghai).
 */
import { localDay } from './local-day';
import { defineProjection, type ProjectionDefinition, type ProjectionDocument, type ProjectionEvent } from './projection';

export interface OutletActivityDocument extends ProjectionDocument {
  outletId: string;
  /** Local date YYYY-MM-DD in the business time zone. */
  day: string;
  visits: number;
  purchases: number;
  /** Purchases' baseAmount less refunds' baseAmount, minor units of the base currency. */
  netSales: number;
  refunds: number;
  /** CustomerRegistered events that name this outlet. */
  newCustomers: number;
  complaints: number;
  redemptions: number;
  surveyCount: number;
  /** Survey scores of 9 or 10. */
  promoters: number;
  /** Survey scores of 6 or less. */
  detractors: number;
}

export const DEFAULT_BUSINESS_TIMEZONE = 'Asia/Shanghai';

/** Read once at module load: changing the zone changes the documents' meaning (bump `version`, rebuild). */
export const BUSINESS_TIMEZONE = process.env.BUSINESS_TIMEZONE || DEFAULT_BUSINESS_TIMEZONE;

/**
 * The outlet an event names, or null. PurchaseRefunded carries no outletId in its payload today and
 * PointsRedeemed may carry null: both are counted only when their payload names an outlet (a refund
 * is not traced back to its purchase's outlet here).
 */
function outletOf(event: ProjectionEvent): string | null {
  const outletId = (event.data as { outletId?: unknown }).outletId;
  return typeof outletId === 'string' && outletId !== '' ? outletId : null;
}

const activityKey = (event: ProjectionEvent): string => `${outletOf(event) ?? ''}:${localDay(event.data.occurredAt, BUSINESS_TIMEZONE)}`;

const defined = defineProjection<OutletActivityDocument>({
  name: 'outlet_activity',
  version: 1,
  guard: 'position',
  queryable: [
    { path: 'outletId', type: 'string' },
    { path: 'day', type: 'string' },
  ],
  documentId: activityKey,
  create: (event) => ({
    _id: activityKey(event),
    outletId: outletOf(event) ?? '',
    day: localDay(event.data.occurredAt, BUSINESS_TIMEZONE),
    visits: 0,
    purchases: 0,
    netSales: 0,
    refunds: 0,
    newCustomers: 0,
    complaints: 0,
    redemptions: 0,
    surveyCount: 0,
    promoters: 0,
    detractors: 0,
  }),
  copy: (doc) => ({ ...doc }),
  on: {
    CustomerRegistered(doc) {
      doc.newCustomers++;
    },
    CustomerVisited(doc) {
      doc.visits++;
    },
    PurchaseRecorded(doc, { data }) {
      doc.purchases++;
      doc.netSales += data.baseAmount;
    },
    PurchaseRefunded(doc, { data }) {
      doc.refunds++;
      doc.netSales -= data.baseAmount;
    },
    ComplaintFiled(doc) {
      doc.complaints++;
    },
    PointsRedeemed(doc) {
      doc.redemptions++;
    },
    SurveyAnswered(doc, { data }) {
      doc.surveyCount++;
      if (data.score >= 9) doc.promoters++;
      else if (data.score <= 6) doc.detractors++;
    },
  },
});

export const outletActivity: ProjectionDefinition<OutletActivityDocument> = {
  ...defined,
  // Events without an outlet are not counted: the document stays as it was (the engine writes nothing).
  apply: (doc, event) => (outletOf(event) === null ? doc : defined.apply(doc, event)),
};

/**
 * Its entry in PROJECTIONS, typed like the per-customer definitions there. The engine reads it as
 * a ProjectionDefinition<ProjectionDocument> and, with guard 'position', never relies on `revision`.
 */
export const outletActivityEntry = outletActivity as unknown as ProjectionDefinition;
