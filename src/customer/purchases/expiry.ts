/** Points expiry, a due kind: what is left of a lot expires at its `expiresAt`, dated there. */
import type { DueKind } from '../due';
import { toIso, toMs } from '../time';

export const pointsExpiryDue: DueKind = {
  name: 'points-expiry',
  next: (state) => (state.loyalty.lots.length === 0 ? null : toMs(state.loyalty.lots[0].expiresAt)),
  fire(state, at) {
    const occurredAt = toIso(at);
    return state.loyalty.lots
      .filter((lot) => lot.expiresAt === occurredAt)
      .map((lot) => ({ type: 'PointsExpired' as const, data: { customerId: state.customerId as string, lotId: lot.lotId, points: lot.remaining, occurredAt } }));
  },
};
