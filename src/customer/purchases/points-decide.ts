/** Spending and correcting points: redemptions FIFO by expiry, administrators' adjustments; never below zero. */
import { DomainError, invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import { POINTS_VALIDITY_DAYS } from '../policies/points';
import { consequenceTime, type CustomerState } from '../state';
import { addDays } from '../time';
import { takeFromLots } from './lots';
import { contentFingerprint } from './state';

const insufficient = (state: CustomerState, points: number): DomainError =>
  new DomainError('INSUFFICIENT_POINTS', `${points} points asked for, ${state.loyalty.balance} available`, 'points', { available: state.loyalty.balance });

export const pointsDeciders: Deciders<'RedeemPoints' | 'AdjustPoints'> = {
  RedeemPoints({ data }, state) {
    const known = state.loyalty.redemptions[data.redemptionId];
    if (known !== undefined) {
      if (known === contentFingerprint({ points: data.points, reason: data.reason, outletId: data.outletId })) return [];
      throw new DomainError('DUPLICATE_REDEMPTION', `redemption ${data.redemptionId} was already recorded with other details`);
    }
    if (!Number.isSafeInteger(data.points) || data.points <= 0) throw invalid('points', 'points must be a positive integer');
    if (!data.reason.trim()) throw invalid('reason', 'a redemption needs a reason');
    // Lots that expired by now were expired first, in the same append (due items), so they cannot be spent.
    if (data.points > state.loyalty.balance) throw insufficient(state, data.points);
    return [{ type: 'PointsRedeemed', data: { ...data, lots: takeFromLots(state.loyalty.lots, data.points), occurredAt: consequenceTime(state, data.occurredAt) } }];
  },

  AdjustPoints({ data }, state) {
    const known = state.loyalty.adjustments[data.adjustmentId];
    if (known !== undefined) {
      if (known === contentFingerprint({ points: data.points, reason: data.reason })) return [];
      throw new DomainError('DUPLICATE_ADJUSTMENT', `adjustment ${data.adjustmentId} was already recorded with other details`);
    }
    if (!Number.isSafeInteger(data.points) || data.points === 0) throw invalid('points', 'points must be a non-zero integer');
    if (!data.reason.trim()) throw invalid('reason', 'an adjustment needs a reason');
    const at = consequenceTime(state, data.occurredAt);
    if (data.points > 0)
      return [{ type: 'PointsAdjusted', data: { ...data, lotId: `adjustment:${data.adjustmentId}`, expiresAt: addDays(data.occurredAt, POINTS_VALIDITY_DAYS), lots: [], occurredAt: at } }];
    if (-data.points > state.loyalty.balance) throw insufficient(state, -data.points);
    return [{ type: 'PointsAdjusted', data: { ...data, lotId: null, expiresAt: null, lots: takeFromLots(state.loyalty.lots, -data.points), occurredAt: at } }];
  },
};
