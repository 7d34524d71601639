/** Events of purchases and loyalty: purchases and refunds, the points ledger of lots, tiers. */
import type { Tier } from '../policies/tiers';
import type { PersonalFields } from '../personal-data';

export interface LineItem {
  sku: string;
  quantity: number;
  /** Line total (quantity × unit price), minor units of the purchase's currency. */
  amount: number;
}

/** Points taken from one lot. */
export interface LotTake {
  lotId: string;
  points: number;
}

/** Schema v2: `exchangeRate` and `baseAmount` (v1 events are upcast with rate "1"). */
export type PurchaseRecorded = {
  type: 'PurchaseRecorded';
  data: {
    customerId: string;
    purchaseId: string;
    /** Integer, minor units of `currency`. */
    amount: number;
    currency: string;
    /** Decimal string: base-currency units per one unit of `currency` ("1" in the base currency). */
    exchangeRate: string;
    /** `amount` in minor units of the ledger's base currency, rounded half to even: what every spend figure counts. */
    baseAmount: number;
    outletId: string | null;
    items: LineItem[];
    occurredAt: string;
  };
};

/** Part or all of a purchase given back; spend becomes net of it, counted against the purchase's own date. */
export type PurchaseRefunded = {
  type: 'PurchaseRefunded';
  data: {
    customerId: string;
    purchaseId: string;
    refundId: string;
    /** Minor units of the purchase's currency. */
    amount: number;
    /** The refund in the base currency, at the purchase's exchange rate (cumulative rounding, so a full refund nets to zero). */
    baseAmount: number;
    reason: string;
    occurredAt: string;
  };
};

/** One lot of points (lot id = purchase id); it expires at `expiresAt` (purchase date + validity) unless spent first. */
export type PointsEarned = {
  type: 'PointsEarned';
  data: { customerId: string; purchaseId: string; points: number; tier: Tier; multiplier: number; expiresAt: string; occurredAt: string };
};

/** Points spent, taken from the lots that expire first. */
export type PointsRedeemed = {
  type: 'PointsRedeemed';
  data: { customerId: string; redemptionId: string; points: number; reason: string; outletId: string | null; lots: LotTake[]; occurredAt: string };
};

/** What was left of a lot at its expiry, dated at `expiresAt`. */
export type PointsExpired = {
  type: 'PointsExpired';
  data: { customerId: string; lotId: string; points: number; occurredAt: string };
};

/** Points taken back for a refund, in proportion; what the balance could not cover is `unrecovered`. */
export type PointsReversed = {
  type: 'PointsReversed';
  data: { customerId: string; purchaseId: string; refundId: string; points: number; unrecovered: number; lots: LotTake[]; occurredAt: string };
};

/** An administrator's correction: positive → a new lot (`lotId`, `expiresAt`), negative → taken first-expiring-first. */
export type PointsAdjusted = {
  type: 'PointsAdjusted';
  data: { customerId: string; adjustmentId: string; points: number; reason: string; lotId: string | null; expiresAt: string | null; lots: LotTake[]; occurredAt: string };
};

/** Schema v2: trigger `review` and `lockedUntil` (a manual change locks the tier; v1 events are upcast with no lock). */
export type TierChanged = {
  type: 'TierChanged';
  data: {
    customerId: string;
    from: Tier;
    to: Tier;
    reason: string;
    trigger: 'spend' | 'manual' | 'review';
    rollingSpend: number | null;
    /** Manual changes only: no automatic upgrade or downgrade before this instant. */
    lockedUntil: string | null;
    occurredAt: string;
  };
};

/** A tier's anniversary review that kept the tier. */
export type TierReviewed = {
  type: 'TierReviewed';
  data: { customerId: string; tier: Tier; rollingSpend: number; nextReviewAt: string; occurredAt: string };
};

export type PurchaseEvent = PurchaseRecorded | PurchaseRefunded | PointsEarned | PointsRedeemed | PointsExpired | PointsReversed | PointsAdjusted | TierChanged | TierReviewed;

/** Free texts (reasons typed by staff): encrypted at rest and erased with the customer. */
export const purchasePersonalFields = {
  PurchaseRefunded: ['reason'],
  PointsRedeemed: ['reason'],
  PointsAdjusted: ['reason'],
} as const satisfies PersonalFields<PurchaseEvent>;
