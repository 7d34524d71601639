/** The points ledger: lots opened by earnings and adjustments, taken first-expiring-first. */
import type { LotTake } from './events';
import type { LoyaltyState, PointsLot } from './state';

/** Lots in spending order: first expiring first, then oldest first (stable). */
export const byExpiry = (a: PointsLot, b: PointsLot): number => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0);

/**
 * Takes up to `points` from the open lots, `first` (a lot id) before the others, then FIFO by
 * expiry. Returns what was taken per lot; it never takes more than the lots hold.
 */
export function takeFromLots(lots: readonly PointsLot[], points: number, first: string | null = null): LotTake[] {
  const order = first === null ? lots : [...lots.filter((lot) => lot.lotId === first), ...lots.filter((lot) => lot.lotId !== first)];
  const taken: LotTake[] = [];
  let left = points;
  for (const lot of order) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    if (take > 0) taken.push({ lotId: lot.lotId, points: take });
    left -= take;
  }
  return taken;
}

/** Opens a lot (evolve): placed after every lot expiring at or before it, so the lots stay in spending order (a sort per lot made a long history's fold quadratic). */
export function openLot(loyalty: LoyaltyState, lot: PointsLot): void {
  const lots = loyalty.lots;
  let low = 0;
  let high = lots.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (byExpiry(lots[middle], lot) <= 0) low = middle + 1;
    else high = middle;
  }
  lots.splice(low, 0, lot);
  loyalty.balance += lot.remaining;
}

/** Applies takes to the open lots and drops the emptied ones (evolve). */
export function applyTakes(loyalty: LoyaltyState, taken: readonly LotTake[]): void {
  for (const { lotId, points } of taken) {
    const lot = loyalty.lots.find((candidate) => candidate.lotId === lotId);
    if (!lot) continue;
    lot.remaining -= points;
    loyalty.balance -= points;
  }
  loyalty.lots = loyalty.lots.filter((lot) => lot.remaining > 0);
}
