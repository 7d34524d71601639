/** Tiers by rolling 12-month net spend; upgrades happen inside the purchase that crosses a threshold. */
export const TIERS = ['standard', 'silver', 'gold'] as const;
export type Tier = (typeof TIERS)[number];

/** Rolling spend window: purchases of the last 365 days count. */
export const SPEND_WINDOW_DAYS = 365;

/** Minimum rolling spend (minor units) per tier, highest first: 10 000.00 → gold, 3 000.00 → silver. */
export const TIER_THRESHOLDS: readonly { tier: Tier; minSpend: number }[] = [
  { tier: 'gold', minSpend: 1_000_000 },
  { tier: 'silver', minSpend: 300_000 },
  { tier: 'standard', minSpend: 0 },
];

export const isTier = (value: unknown): value is Tier => TIERS.includes(value as Tier);

export const tierRank = (tier: Tier): number => TIERS.indexOf(tier);

/** The tier a rolling spend earns. */
export function tierForSpend(rollingSpend: number): Tier {
  return TIER_THRESHOLDS.find((threshold) => rollingSpend >= threshold.minSpend)!.tier;
}

/** silver and gold are reviewed on the tier's anniversary, then yearly. */
export const TIER_REVIEW_DAYS = 365;
/** A manual change locks the tier this long unless the request says until when. */
export const MANUAL_LOCK_DAYS = 365;

/** Tiers that are reviewed (standard never is). */
export const isReviewed = (tier: Tier): boolean => tier !== 'standard';

/** One level down (a review never drops more). */
export const tierBelow = (tier: Tier): Tier => TIERS[Math.max(0, tierRank(tier) - 1)];
