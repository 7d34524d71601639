/** Points per purchase: floor(base amount in major units × the multiplier of the tier held before it). */
import type { Tier } from './tiers';

/** Multipliers as quarters, so points are computed in exact integer arithmetic (1, 1.25, 1.5). */
const MULTIPLIER_QUARTERS: Record<Tier, number> = { standard: 4, silver: 5, gold: 6 };

/** Each earning is a lot that expires this many days after the purchase's occurredAt. */
export const POINTS_VALIDITY_DAYS = 365;

export const pointsMultiplier = (tier: Tier): number => MULTIPLIER_QUARTERS[tier] / 4;

/** Points a purchase of `baseAmount` minor units of the base currency (exponent `baseExponent`) earns at `tier`. */
export function pointsFor(baseAmount: number, baseExponent: number, tier: Tier): number {
  return Math.floor((baseAmount * MULTIPLIER_QUARTERS[tier]) / (4 * 10 ** baseExponent));
}
