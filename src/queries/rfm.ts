/**
 * RFM over customer profiles: R = days since the last purchase, F = purchaseCount, M = totalSpent
 * (net, minor units of the base currency), each scored 1–5 by quintile: the thresholds are the
 * 20th/40th/60th/80th percentiles (nearest rank) and are returned. Customers with equal values share
 * a score; F and M are the profile's totals (all time), R is counted from asOf.
 */
import type { CustomerProfile } from '../../projections/customer-profiles.projection';
import { DAY_MS, toMs } from '../customer/time';

/**
 * Named segments, first rule that matches wins (R and F scores; M does not name a segment):
 * champions R≥4 & F≥4 · loyal F≥4 · potential R≥4 & F≤2 · at_risk R≤2 & F≥3 · hibernating R≤2 & F≤2 · others.
 */
export const RFM_SEGMENTS = [
  { segment: 'champions', rule: 'R>=4 and F>=4', test: (r: number, f: number) => r >= 4 && f >= 4 },
  { segment: 'loyal', rule: 'F>=4', test: (_r: number, f: number) => f >= 4 },
  { segment: 'potential', rule: 'R>=4 and F<=2', test: (r: number, f: number) => r >= 4 && f <= 2 },
  { segment: 'at_risk', rule: 'R<=2 and F>=3', test: (r: number, f: number) => r <= 2 && f >= 3 },
  { segment: 'hibernating', rule: 'R<=2 and F<=2', test: (r: number, f: number) => r <= 2 && f <= 2 },
  { segment: 'others', rule: 'none of the above', test: () => true },
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number]['segment'];

/** The 20th, 40th, 60th and 80th percentiles (nearest rank) of `values`. */
export function quintileThresholds(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  return [0.2, 0.4, 0.6, 0.8].map((p) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]);
}

/** Higher is better (F, M): 1 + the thresholds the value lies above. Equal values share a score. */
export const scoreHigh = (value: number, thresholds: readonly number[]): number => 1 + thresholds.filter((t) => value > t).length;
/** Lower is better (R, days since the last purchase): 5 − the thresholds the value lies above (so the most recent fifth scores 5). */
export const scoreLow = (value: number, thresholds: readonly number[]): number => 5 - thresholds.filter((t) => value > t).length;

export const segmentOf = (r: number, f: number): RfmSegment => RFM_SEGMENTS.find(({ test }) => test(r, f))!.segment;

export interface RfmReport {
  asOf: string;
  /** Customers with a purchase in (since, asOf]. */
  since: string;
  customers: number;
  thresholds: { recencyDays: number[]; frequency: number[]; monetary: number[] };
  scores: { r: number; f: number; m: number; count: number }[];
  segments: Record<RfmSegment, number>;
  segmentRules: Record<RfmSegment, string>;
}

export function rfmReport(profiles: readonly CustomerProfile[], asOf: string, since: string): RfmReport {
  const rows = profiles
    .filter((p) => p.stats.lastPurchaseAt !== null)
    .map((p) => ({ recency: Math.floor((toMs(asOf) - toMs(p.stats.lastPurchaseAt!)) / DAY_MS), frequency: p.stats.purchaseCount, monetary: p.stats.totalSpent }));
  const thresholds = {
    recencyDays: quintileThresholds(rows.map((row) => row.recency)),
    frequency: quintileThresholds(rows.map((row) => row.frequency)),
    monetary: quintileThresholds(rows.map((row) => row.monetary)),
  };
  const cells = new Map<string, { r: number; f: number; m: number; count: number }>();
  const segments = Object.fromEntries(RFM_SEGMENTS.map(({ segment }) => [segment, 0])) as Record<RfmSegment, number>;
  for (const row of rows) {
    const r = scoreLow(row.recency, thresholds.recencyDays);
    const f = scoreHigh(row.frequency, thresholds.frequency);
    const m = scoreHigh(row.monetary, thresholds.monetary);
    const key = `${r}${f}${m}`;
    const cell = cells.get(key) ?? { r, f, m, count: 0 };
    cell.count++;
    cells.set(key, cell);
    segments[segmentOf(r, f)]++;
  }
  const scores = [...cells.values()].sort((a, b) => b.r - a.r || b.f - a.f || b.m - a.m);
  const segmentRules = Object.fromEntries(RFM_SEGMENTS.map(({ segment, rule }) => [segment, rule])) as Record<RfmSegment, string>;
  return { asOf, since, customers: rows.length, thresholds, scores, segments, segmentRules };
}
