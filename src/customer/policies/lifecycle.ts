/**
 * Lifecycle stage as of a moment, first rule that matches: no purchase → prospect; last purchase
 * 180 days or more ago → churned; 90 days or more → at_risk; ≥ 4 purchases in the last 365 days →
 * loyal; ≥ 2 purchases → repeat; else new. A day boundary belongs to the later stage, so
 * `atRiskFrom` / `churnedFrom` are the exact instants the stage changes.
 */
import { DAY_MS } from '../time';

export const STAGES = ['prospect', 'new', 'repeat', 'loyal', 'at_risk', 'churned'] as const;
export type Stage = (typeof STAGES)[number];

export const AT_RISK_AFTER_DAYS = 90;
export const CHURNED_AFTER_DAYS = 180;
export const LOYAL_WINDOW_DAYS = 365;
export const LOYAL_MIN_PURCHASES = 4;
export const REPEAT_MIN_PURCHASES = 2;

/** Stages a purchase wins a customer back from. */
export const LAPSED_STAGES: readonly Stage[] = ['at_risk', 'churned'];

/** The stage as of `asOf` (ms), given the times (ms) of all purchases. Purchases after `asOf` do not count. */
export function stageAsOf(purchaseTimes: readonly number[], asOf: number): Stage {
  let count = 0;
  let last = -Infinity;
  let inWindow = 0;
  for (const at of purchaseTimes) {
    if (at > asOf) continue;
    count++;
    if (at > last) last = at;
    if (asOf - at < LOYAL_WINDOW_DAYS * DAY_MS) inWindow++;
  }
  if (count === 0) return 'prospect';
  if (asOf - last >= CHURNED_AFTER_DAYS * DAY_MS) return 'churned';
  if (asOf - last >= AT_RISK_AFTER_DAYS * DAY_MS) return 'at_risk';
  if (inWindow >= LOYAL_MIN_PURCHASES) return 'loyal';
  if (count >= REPEAT_MIN_PURCHASES) return 'repeat';
  return 'new';
}

/**
 * The instants after `from` (exclusive) and up to `to` (inclusive) at which the stage can change
 * without a purchase: inactivity thresholds after the last purchase, and purchases leaving the
 * loyalty window. Sorted ascending.
 */
export function timeDrivenChangePoints(purchaseTimes: readonly number[], from: number, to: number): number[] {
  if (purchaseTimes.length === 0) return [];
  const last = Math.max(...purchaseTimes);
  const points = [last + AT_RISK_AFTER_DAYS * DAY_MS, last + CHURNED_AFTER_DAYS * DAY_MS, ...purchaseTimes.map((at) => at + LOYAL_WINDOW_DAYS * DAY_MS)];
  return [...new Set(points)].filter((at) => at > from && at <= to).sort((a, b) => a - b);
}
