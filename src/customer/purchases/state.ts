/** What decisions need of purchases, the points ledger and the tier. */
import { canonicalJson } from '../../shared/canonical-json';
import type { Tier } from '../policies/tiers';
import type { PurchaseRecorded } from './events';

export interface PurchaseSummary {
  purchaseId: string;
  occurredAt: string;
  amount: number;
  currency: string;
  exchangeRate: string;
  baseAmount: number;
  /** Refunded so far, in the purchase's currency and in the base currency. */
  refundedAmount: number;
  refundedBase: number;
  pointsEarned: number;
  pointsReversed: number;
  /** Business content, to tell a re-sent purchase from a conflicting one. */
  fingerprint: string;
}

/** An open lot: points left to spend until `expiresAt`. */
export interface PointsLot {
  lotId: string;
  remaining: number;
  expiresAt: string;
}

/** A refund as recorded: its content, and what it reversed (so a re-sent refund answers the same). */
export interface RefundSummary {
  fingerprint: string;
  pointsReversed: number;
  unrecovered: number;
}

export interface LoyaltyState {
  tier: Tier;
  tierSince: string | null;
  /** No automatic tier change before this instant (a manual change), or null. */
  tierLockedUntil: string | null;
  /** When silver or gold is next reviewed, or null for standard. */
  nextReviewAt: string | null;
  balance: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  lifetimeExpired: number;
  lifetimeReversed: number;
  lifetimeAdjustedUp: number;
  lifetimeAdjustedDown: number;
  /** Open lots (remaining > 0), first expiring first. */
  lots: PointsLot[];
  /** Fingerprints of the commands that carry their own id, by that id. */
  redemptions: Record<string, string>;
  refunds: Record<string, RefundSummary>;
  adjustments: Record<string, string>;
}

export const initialLoyalty = (): LoyaltyState => ({
  tier: 'standard',
  tierSince: null,
  tierLockedUntil: null,
  nextReviewAt: null,
  balance: 0,
  lifetimeEarned: 0,
  lifetimeRedeemed: 0,
  lifetimeExpired: 0,
  lifetimeReversed: 0,
  lifetimeAdjustedUp: 0,
  lifetimeAdjustedDown: 0,
  lots: [],
  redemptions: {},
  refunds: {},
  adjustments: {},
});

export const purchaseFingerprint = ({ amount, currency, exchangeRate, outletId, items }: PurchaseRecorded['data']): string =>
  canonicalJson({ amount, currency, exchangeRate, outletId, items });

/** Business content of any command (time and ids excluded), to compare a re-sent command with the first. */
export const contentFingerprint = (content: Record<string, unknown>): string => canonicalJson(content);
