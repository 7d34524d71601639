/**
 * purchases: one document per purchase (`customerId:purchaseId`) with its outlet and time, so
 * rates per purchase (complaints per 1 000 purchases) can be counted for any period and outlet.
 */
import { defineProjection, type CustomerDocument, type ProjectionEvent } from './projection';

export interface PurchaseDocument extends CustomerDocument {
  customerId: string;
  purchaseId: string;
  outletId: string | null;
  occurredAt: string;
  /** Minor units of the base currency. */
  baseAmount: number;
}

const purchaseKey = (event: ProjectionEvent): string => `${event.data.customerId}:${(event.data as { purchaseId?: string }).purchaseId}`;

export const purchases = defineProjection<PurchaseDocument>({
  name: 'purchases',
  version: 1,
  queryable: [
    { path: 'occurredAt', type: 'string' },
    { path: 'outletId', type: 'string' },
  ],
  documentId: purchaseKey,
  create: (event) => ({ _id: purchaseKey(event), customerId: event.data.customerId, purchaseId: '', outletId: null, occurredAt: event.data.occurredAt, baseAmount: 0, revision: -1 }),
  copy: (doc) => ({ ...doc }),
  on: {
    PurchaseRecorded(doc, { data }) {
      Object.assign(doc, { purchaseId: data.purchaseId, outletId: data.outletId, occurredAt: data.occurredAt, baseAmount: data.baseAmount });
    },
  },
});
