/** A customer's state, folded from its stream; plain JSON so auditors can read it as it is. */
import type { Preferences } from './events';
import type { Stage } from './policies/lifecycle';
import type { Tier } from './policies/tiers';

export interface PurchaseSummary {
  purchaseId: string;
  amount: number;
  currency: string;
  occurredAt: string;
  /** Canonical business content, to tell a re-sent purchase from a conflicting one. */
  fingerprint: string;
  pointsEarned: number;
}

export interface ComplaintSummary {
  complaintId: string;
  severity: string;
  status: 'open' | 'resolved';
  filedAt: string;
  resolvedAt: string | null;
  fingerprint: string;
}

export interface PointsLot {
  purchaseId: string;
  points: number;
  earnedAt: string;
  expiresAt: string;
}

export interface CustomerState {
  registered: boolean;
  customerId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  outletId: string | null;
  preferences: Preferences;
  registeredAt: string | null;
  tier: Tier;
  tierSince: string | null;
  stage: Stage;
  stageSince: string | null;
  /** Latest moment at which the stage is known to be right (last purchase, stage change or evaluation). */
  stageCheckedAt: string | null;
  /** Latest business time seen in the stream: rules are evaluated as of no earlier than this. */
  clock: string | null;
  visits: { count: number; lastVisitAt: string | null; fingerprints: Record<string, string> };
  purchases: PurchaseSummary[];
  purchaseIndex: Record<string, number>;
  complaints: Record<string, ComplaintSummary>;
  points: { balance: number; lifetimeEarned: number; lots: PointsLot[] };
}

export const initialState = (): CustomerState => ({
  registered: false,
  customerId: null,
  name: null,
  email: null,
  phone: null,
  address: null,
  outletId: null,
  preferences: { channels: [], categories: [] },
  registeredAt: null,
  tier: 'standard',
  tierSince: null,
  stage: 'prospect',
  stageSince: null,
  stageCheckedAt: null,
  clock: null,
  visits: { count: 0, lastVisitAt: null, fingerprints: {} },
  purchases: [],
  purchaseIndex: {},
  complaints: {},
  points: { balance: 0, lifetimeEarned: 0, lots: [] },
});
