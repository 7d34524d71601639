/** customer_profiles: who the customer is and what they did, one document per customer. */
import { PROFILE_FIELDS, type ConsentChannel, type ConsentPurpose } from '../src/customer/events';
import { later } from '../src/customer/time';
import { defineProjection, type CustomerDocument, type ProjectionEvent } from './projection';

export interface CustomerProfile extends CustomerDocument {
  customerId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  outletId: string | null;
  preferences: { channels: string[]; categories: string[] } | null;
  /** `YYYY-MM-DD`. */
  birthday: string | null;
  tags: string[];
  accountManager: string | null;
  /** The latest answer per channel and purpose; a channel or purpose never asked is absent. */
  consents: ProfileConsents;
  registeredAt: string | null;
  tier: string;
  tierSince: string | null;
  /** Lifecycle stage, here too so analysts can segment profiles by tier × stage. */
  stage: string;
  stats: {
    visitCount: number;
    lastVisitAt: string | null;
    purchaseCount: number;
    /** Net spend: purchases' base amounts less refunds (minor units of the base currency). */
    totalSpent: number;
    /** Refunded, in the base currency. */
    refundTotal: number;
    lastPurchaseAt: string | null;
    complaintCount: number;
    openComplaints: number;
  };
  /** Set when the customer's personal data was erased (the personal fields are then null). */
  forgotten: { at: string; reason: string } | null;
  updatedAt: string;
}

export interface ProfileConsent {
  granted: boolean;
  source: string;
  /** The business time of the answer (`occurredAt`). */
  changedAt: string;
}

export type ProfileConsents = Partial<Record<ConsentChannel, Partial<Record<ConsentPurpose, ProfileConsent>>>>;

function empty(event: ProjectionEvent): CustomerProfile {
  return {
    _id: event.data.customerId,
    customerId: event.data.customerId,
    name: null,
    email: null,
    phone: null,
    address: null,
    outletId: null,
    preferences: null,
    birthday: null,
    tags: [],
    accountManager: null,
    consents: {},
    registeredAt: null,
    tier: 'standard',
    tierSince: null,
    stage: 'prospect',
    stats: { visitCount: 0, lastVisitAt: null, purchaseCount: 0, totalSpent: 0, refundTotal: 0, lastPurchaseAt: null, complaintCount: 0, openComplaints: 0 },
    forgotten: null,
    revision: -1,
    updatedAt: event.recordedAt,
  };
}

export const customerProfiles = defineProjection<CustomerProfile>({
  name: 'customer_profiles',
  version: 3,
  queryable: [
    { path: 'tier', type: 'string' },
    { path: 'stage', type: 'string' },
    { path: 'outletId', type: 'string' },
    { path: 'stats.totalSpent', type: 'number' },
    { path: 'stats.lastPurchaseAt', type: 'string' },
    { path: 'registeredAt', type: 'string' },
    { path: 'tags', type: 'array' },
  ],
  compoundIndexes: [['tier', 'stage']],
  create: empty,
  copy: (doc) => ({ ...doc, stats: { ...doc.stats } }),
  on: {
    CustomerRegistered(doc, { data, recordedAt }) {
      const { name, email, phone, address, outletId, preferences } = data;
      Object.assign(doc, { name, email, phone, address, outletId, preferences, registeredAt: data.occurredAt, tierSince: doc.tierSince ?? data.occurredAt, updatedAt: recordedAt });
    },
    // Only the fields that changed are in the event; documents written before version 3 lack the new fields until they are rebuilt.
    CustomerProfileUpdated(doc, { data, recordedAt }) {
      const changes: Record<string, unknown> = {};
      for (const field of PROFILE_FIELDS) if (data[field] !== undefined) changes[field] = data[field];
      if (data.preferences) changes.preferences = { channels: [...data.preferences.channels], categories: [...data.preferences.categories] };
      if (data.tags) changes.tags = [...data.tags];
      Object.assign(doc, changes, { updatedAt: recordedAt });
    },
    ConsentChanged(doc, { data, recordedAt }) {
      const { channel, purpose, granted, source, occurredAt } = data;
      const consents = doc.consents ?? {};
      doc.consents = { ...consents, [channel]: { ...consents[channel], [purpose]: { granted, source, changedAt: occurredAt } } };
      doc.updatedAt = recordedAt;
    },
    CustomerVisited(doc, { data, recordedAt }) {
      doc.stats.visitCount++;
      doc.stats.lastVisitAt = later(doc.stats.lastVisitAt, data.occurredAt);
      doc.updatedAt = recordedAt;
    },
    ComplaintFiled(doc, { recordedAt }) {
      doc.stats.complaintCount++;
      doc.stats.openComplaints++;
      doc.updatedAt = recordedAt;
    },
    ComplaintResolved(doc, { recordedAt }) {
      doc.stats.openComplaints = Math.max(0, doc.stats.openComplaints - 1);
      doc.updatedAt = recordedAt;
    },
    // A reopened complaint is open again (as in the complaints collection); it is still one complaint.
    ComplaintReopened(doc, { recordedAt }) {
      doc.stats.openComplaints++;
      doc.updatedAt = recordedAt;
    },
    PurchaseRecorded(doc, { data, recordedAt }) {
      doc.stats.purchaseCount++;
      doc.stats.totalSpent += data.baseAmount;
      doc.stats.lastPurchaseAt = later(doc.stats.lastPurchaseAt, data.occurredAt);
      doc.updatedAt = recordedAt;
    },
    PurchaseRefunded(doc, { data, recordedAt }) {
      doc.stats.totalSpent -= data.baseAmount;
      doc.stats.refundTotal += data.baseAmount;
      doc.updatedAt = recordedAt;
    },
    TierChanged(doc, { data, recordedAt }) {
      doc.tier = data.to;
      doc.tierSince = later(doc.tierSince, data.occurredAt);
      doc.updatedAt = recordedAt;
    },
    LifecycleStageChanged(doc, { data, recordedAt }) {
      doc.stage = data.to;
      doc.updatedAt = recordedAt;
    },
    // Counts and money stay; who the customer was does not.
    CustomerForgotten(doc, { data, recordedAt }) {
      Object.assign(doc, { name: null, email: null, phone: null, address: null, birthday: null, forgotten: { at: data.occurredAt, reason: data.reason }, updatedAt: recordedAt });
    },
  },
});
