/** What decisions need of purchases, points and tiers. */
import { canonicalJson } from '../../shared/canonical-json';
import type { Tier } from '../policies/tiers';
import type { PurchaseRecorded } from './events';

export interface PurchaseSummary {
  purchaseId: string;
  occurredAt: string;
  baseAmount: number;
  /** Business content, to tell a re-sent purchase from a conflicting one. */
  fingerprint: string;
  pointsEarned: number;
}

export interface PointsLot {
  lotId: string;
  points: number;
  expiresAt: string;
}

export interface LoyaltyState {
  tier: Tier;
  tierSince: string | null;
  balance: number;
  lifetimeEarned: number;
  lots: PointsLot[];
}

export const initialLoyalty = (): LoyaltyState => ({ tier: 'standard', tierSince: null, balance: 0, lifetimeEarned: 0, lots: [] });

export const purchaseFingerprint = ({ amount, currency, exchangeRate, outletId, items }: PurchaseRecorded['data']): string =>
  canonicalJson({ amount, currency, exchangeRate, outletId, items });
