/** Commands of purchases and loyalty. */
import type { Tier } from '../policies/tiers';
import type { PurchaseRecorded } from './events';

export type RecordPurchase = {
  type: 'RecordPurchase';
  /** `exchangeRate` is required for a currency other than the base currency; the decision computes `baseAmount`. */
  data: Omit<PurchaseRecorded['data'], 'exchangeRate' | 'baseAmount'> & { exchangeRate: string | null };
};

export type ChangeTier = { type: 'ChangeTier'; data: { customerId: string; tier: Tier; reason: string; occurredAt: string } };

export type PurchaseCommand = RecordPurchase | ChangeTier;
