import type { Evolvers } from '../evolve-types';
import { openLot } from '../purchases/lots';
import { referralOf } from './state';

export const referralEvolvers: Evolvers<'CustomerReferred' | 'ReferralQualified' | 'ReferralRewarded'> = {
  CustomerReferred(state, { data }) {
    const referral = referralOf(state);
    referral.referrerId = data.referrerId;
    referral.referredAt = data.occurredAt;
  },
  ReferralQualified(state, { data }) {
    referralOf(state).qualifiedBy = data.purchaseId;
  },
  ReferralRewarded(state, { data }) {
    referralOf(state).rewarded[data.referredCustomerId] = data.purchaseId;
    // An earning like a purchase's: counted in lifetimeEarned, a lot of its own.
    state.loyalty.lifetimeEarned += data.points;
    openLot(state.loyalty, { lotId: data.lotId, remaining: data.points, expiresAt: data.expiresAt });
  },
};
