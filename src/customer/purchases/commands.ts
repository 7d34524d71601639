/** Commands of purchases and loyalty. */
import type { Tier } from '../policies/tiers';
import type { PointsRedeemed, PurchaseRecorded, PurchaseRefunded } from './events';

export type RecordPurchase = {
  type: 'RecordPurchase';
  /** `exchangeRate` is required for a currency other than the base currency; the decision computes `baseAmount`. */
  data: Omit<PurchaseRecorded['data'], 'exchangeRate' | 'baseAmount'> & { exchangeRate: string | null };
};

export type RefundPurchase = { type: 'RefundPurchase'; data: Omit<PurchaseRefunded['data'], 'baseAmount'> };

export type RedeemPoints = { type: 'RedeemPoints'; data: Omit<PointsRedeemed['data'], 'lots'> };

/** An administrator's points correction; `points` ≠ 0. */
export type AdjustPoints = { type: 'AdjustPoints'; data: { customerId: string; adjustmentId: string; points: number; reason: string; occurredAt: string } };

/** A manual tier change; locks the tier until `lockedUntil` (default one year on). */
export type ChangeTier = { type: 'ChangeTier'; data: { customerId: string; tier: Tier; reason: string; lockedUntil: string | null; occurredAt: string } };

export type PurchaseCommand = RecordPurchase | RefundPurchase | RedeemPoints | AdjustPoints | ChangeTier;
