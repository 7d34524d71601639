/** Events of purchases and loyalty (points lots, tiers). */
import type { Tier } from '../policies/tiers';

export interface LineItem {
  sku: string;
  quantity: number;
  /** Line total (quantity × unit price), minor units of the purchase's currency. */
  amount: number;
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

/** One lot of points; it expires at `expiresAt` (purchase date + validity) unless redeemed first. */
export type PointsEarned = {
  type: 'PointsEarned';
  data: { customerId: string; purchaseId: string; points: number; tier: Tier; multiplier: number; expiresAt: string; occurredAt: string };
};

export type TierChanged = {
  type: 'TierChanged';
  data: { customerId: string; from: Tier; to: Tier; reason: string; trigger: 'spend' | 'manual'; rollingSpend: number | null; occurredAt: string };
};

export type PurchaseEvent = PurchaseRecorded | PointsEarned | TierChanged;
