/** The events of a customer stream (`customer-<customerId>`); payloads carry business time `occurredAt`. */
import type { Tier } from './policies/tiers';
import type { Stage } from './policies/lifecycle';

export type ComplaintSeverity = 'low' | 'normal' | 'high' | 'urgent';
export type VisitChannel = 'store' | 'online' | 'phone' | 'email' | 'app';
export type VisitPurpose = 'browse' | 'service' | 'follow_up' | 'win_back' | 'survey';

export interface Preferences {
  channels: string[];
  categories: string[];
}

export interface LineItem {
  sku: string;
  quantity: number;
  amount: number;
}

export type CustomerRegistered = {
  type: 'CustomerRegistered';
  data: {
    customerId: string;
    name: string;
    email: string | null;
    phone: string | null;
    address: string | null;
    outletId: string | null;
    preferences: Preferences;
    occurredAt: string;
  };
};

export type CustomerVisited = {
  type: 'CustomerVisited';
  data: { customerId: string; visitId: string; outletId: string; channel: VisitChannel; purpose: VisitPurpose | null; occurredAt: string };
};

export type ComplaintFiled = {
  type: 'ComplaintFiled';
  data: {
    customerId: string;
    complaintId: string;
    channel: string;
    category: string;
    severity: ComplaintSeverity;
    description: string;
    occurredAt: string;
  };
};

export type ComplaintResolved = {
  type: 'ComplaintResolved';
  data: { customerId: string; complaintId: string; resolution: string; satisfaction: number | null; occurredAt: string };
};

export type PurchaseRecorded = {
  type: 'PurchaseRecorded';
  data: {
    customerId: string;
    purchaseId: string;
    /** Integer, minor units of `currency`. */
    amount: number;
    currency: string;
    outletId: string | null;
    items: LineItem[];
    occurredAt: string;
  };
};

/** One lot of points; it expires at `expiresAt` unless redeemed first. */
export type PointsEarned = {
  type: 'PointsEarned';
  data: { customerId: string; purchaseId: string; points: number; tier: Tier; multiplier: number; expiresAt: string; occurredAt: string };
};

export type TierChanged = {
  type: 'TierChanged';
  data: { customerId: string; from: Tier; to: Tier; reason: string; trigger: 'spend' | 'manual'; rollingSpend: number | null; occurredAt: string };
};

export type LifecycleStageReason = 'purchase' | 'won_back' | 'inactivity';

export type LifecycleStageChanged = {
  type: 'LifecycleStageChanged';
  data: { customerId: string; from: Stage; to: Stage; reason: LifecycleStageReason; occurredAt: string };
};

export type CustomerEvent =
  | CustomerRegistered
  | CustomerVisited
  | ComplaintFiled
  | ComplaintResolved
  | PurchaseRecorded
  | PointsEarned
  | TierChanged
  | LifecycleStageChanged;

export type CustomerEventType = CustomerEvent['type'];

export const CUSTOMER_EVENT_TYPES: readonly CustomerEventType[] = [
  'CustomerRegistered',
  'CustomerVisited',
  'ComplaintFiled',
  'ComplaintResolved',
  'PurchaseRecorded',
  'PointsEarned',
  'TierChanged',
  'LifecycleStageChanged',
];

/** Version of the payload shapes above; stored in every event's metadata. */
export const SCHEMA_VERSION = 1;
