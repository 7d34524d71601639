/** Points per purchase: floor(amount in major units × the multiplier of the tier held before it). */
import type { Tier } from './tiers';

/** Multipliers as quarters, so points are computed in exact integer arithmetic (1, 1.25, 1.5). */
const MULTIPLIER_QUARTERS: Record<Tier, number> = { standard: 4, silver: 5, gold: 6 };

/** Each earning is a lot that expires this many days after the purchase's occurredAt. */
export const POINTS_VALIDITY_DAYS = 365;

/** ISO 4217 currencies whose minor unit is not 1/100 (all others have two decimals). */
const MINOR_UNIT_DIGITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export const minorUnitDigits = (currency: string): number => MINOR_UNIT_DIGITS[currency] ?? 2;

export const pointsMultiplier = (tier: Tier): number => MULTIPLIER_QUARTERS[tier] / 4;

/** Points a purchase of `amount` minor units earns at `tier`. */
export function pointsFor(amount: number, currency: string, tier: Tier): number {
  const divisor = 4 * 10 ** minorUnitDigits(currency);
  return Math.floor((amount * MULTIPLIER_QUARTERS[tier]) / divisor);
}
