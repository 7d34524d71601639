/** customer_profiles: who the customer is and what they did, one document per customer (API.md). */
import type { CustomerDocument, ProjectionDefinition, ProjectionEvent } from './projection';

export interface CustomerProfile extends CustomerDocument {
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  outletId: string | null;
  preferences: { channels: string[]; categories: string[] } | null;
  registeredAt: string | null;
  tier: string;
  tierSince: string | null;
  /** Lifecycle stage, here too so analysts can segment profiles by tier × stage. */
  stage: string;
  stats: {
    visitCount: number;
    lastVisitAt: string | null;
    purchaseCount: number;
    totalSpent: number;
    lastPurchaseAt: string | null;
    complaintCount: number;
    openComplaints: number;
  };
  updatedAt: string;
}

const later = (a: string | null, b: string): string => (a !== null && a > b ? a : b);

function empty(event: ProjectionEvent): CustomerProfile {
  return {
    _id: event.data.customerId,
    name: null,
    email: null,
    phone: null,
    address: null,
    outletId: null,
    preferences: null,
    registeredAt: null,
    tier: 'standard',
    tierSince: null,
    stage: 'prospect',
    stats: { visitCount: 0, lastVisitAt: null, purchaseCount: 0, totalSpent: 0, lastPurchaseAt: null, complaintCount: 0, openComplaints: 0 },
    revision: -1,
    updatedAt: event.recordedAt,
  };
}

export const customerProfiles: ProjectionDefinition<CustomerProfile> = {
  name: 'customer_profiles',
  version: 1,
  queryable: [{ path: 'tier', type: 'string' }, { path: 'stage', type: 'string' }, { path: 'outletId', type: 'string' }, { path: 'stats.totalSpent', type: 'number' }, { path: 'stats.lastPurchaseAt', type: 'string' }, { path: 'registeredAt', type: 'string' }, { path: 'tags', type: 'array' }],
  compoundIndexes: [['tier', 'stage']],
  handles: ['CustomerRegistered', 'CustomerVisited', 'ComplaintFiled', 'ComplaintResolved', 'PurchaseRecorded', 'TierChanged', 'LifecycleStageChanged'],
  documentId: (event) => event.data.customerId,
  apply(current, event) {
    const doc: CustomerProfile = current ? { ...current, stats: { ...current.stats } } : empty(event);
    const at = event.data.occurredAt;
    switch (event.type) {
      case 'CustomerRegistered': {
        const { name, email, phone, address, outletId, preferences } = event.data;
        Object.assign(doc, { name, email, phone, address, outletId, preferences, registeredAt: at, tierSince: doc.tierSince ?? at });
        break;
      }
      case 'CustomerVisited':
        doc.stats.visitCount++;
        doc.stats.lastVisitAt = later(doc.stats.lastVisitAt, at);
        break;
      case 'ComplaintFiled':
        doc.stats.complaintCount++;
        doc.stats.openComplaints++;
        break;
      case 'ComplaintResolved':
        doc.stats.openComplaints = Math.max(0, doc.stats.openComplaints - 1);
        break;
      case 'PurchaseRecorded':
        doc.stats.purchaseCount++;
        doc.stats.totalSpent += event.data.amount;
        doc.stats.lastPurchaseAt = later(doc.stats.lastPurchaseAt, at);
        break;
      case 'TierChanged':
        doc.tier = event.data.to;
        doc.tierSince = at;
        break;
      case 'LifecycleStageChanged':
        doc.stage = event.data.to;
        break;
      default:
        return current;
    }
    doc.revision = event.revision;
    doc.updatedAt = event.recordedAt;
    return doc;
  },
};
