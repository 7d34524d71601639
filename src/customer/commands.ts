/** The commands a customer stream accepts; `occurredAt` is already defaulted by the edge. */
import type { ComplaintSeverity, LineItem, Preferences, VisitChannel, VisitPurpose } from './events';
import type { Tier } from './policies/tiers';

export type RegisterCustomer = {
  type: 'RegisterCustomer';
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

export type RecordVisit = {
  type: 'RecordVisit';
  data: { customerId: string; visitId: string; outletId: string; channel: VisitChannel; purpose: VisitPurpose | null; occurredAt: string };
};

export type FileComplaint = {
  type: 'FileComplaint';
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

export type ResolveComplaint = {
  type: 'ResolveComplaint';
  data: { customerId: string; complaintId: string; resolution: string; satisfaction: number | null; occurredAt: string };
};

export type RecordPurchase = {
  type: 'RecordPurchase';
  data: {
    customerId: string;
    purchaseId: string;
    amount: number;
    currency: string;
    outletId: string | null;
    items: LineItem[];
    occurredAt: string;
  };
};

export type ChangeTier = {
  type: 'ChangeTier';
  data: { customerId: string; tier: Tier; reason: string; occurredAt: string };
};

/** Records the time-driven lifecycle changes (at risk, churned) that are due as of `occurredAt`. */
export type EvaluateLifecycle = {
  type: 'EvaluateLifecycle';
  data: { customerId: string; occurredAt: string };
};

export type CustomerCommand =
  | RegisterCustomer
  | RecordVisit
  | FileComplaint
  | ResolveComplaint
  | RecordPurchase
  | ChangeTier
  | EvaluateLifecycle;
