/** Referrals: one referrer per customer, before their first purchase; one reward per referred customer. */
import type { CustomerEvent } from '../events';
import { DomainError, invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import { POINTS_VALIDITY_DAYS } from '../policies/points';
import { REFERRAL_REWARD_POINTS } from '../policies/referrals';
import { consequenceTime, type CustomerState } from '../state';
import { addDays } from '../time';
import type { PurchaseRecorded } from '../purchases/events';
import { referralLotId, referralOf } from './state';

export const referralDeciders: Deciders<'ReferCustomer' | 'RewardReferral'> = {
  ReferCustomer({ data }, state) {
    if (data.referrerId === data.customerId) throw new DomainError('SELF_REFERRAL', `customer ${data.customerId} cannot refer themselves`, 'referredCustomerId');
    const referral = referralOf(state);
    if (referral.referrerId !== null) {
      // The same referral sent again changes nothing; another referrer is refused.
      if (referral.referrerId === data.referrerId) return [];
      throw new DomainError('REFERRAL_EXISTS', `customer ${data.customerId} was already referred by another customer`, 'referredCustomerId');
    }
    if (state.purchases.length > 0) throw new DomainError('REFERRAL_NOT_ELIGIBLE', `customer ${data.customerId} has purchased already; only a customer without purchases can be referred`, 'referredCustomerId');
    return [{ type: 'CustomerReferred', data: { customerId: data.customerId, referrerId: data.referrerId, occurredAt: data.occurredAt } }];
  },

  RewardReferral({ data }, state) {
    if (data.referredCustomerId === data.customerId) throw invalid('referredCustomerId', 'a customer is never rewarded for referring themselves');
    // Idempotent by referred customer, whatever the command id: one reward per referral.
    if (referralOf(state).rewarded[data.referredCustomerId] !== undefined) return [];
    // Dated at the referrer's clock when the qualifying purchase lies behind it, so the reward never predates what the referrer's stream already records.
    const at = consequenceTime(state, data.occurredAt);
    return [
      {
        type: 'ReferralRewarded',
        data: {
          customerId: data.customerId,
          referredCustomerId: data.referredCustomerId,
          purchaseId: data.purchaseId,
          points: REFERRAL_REWARD_POINTS,
          lotId: referralLotId(data.referredCustomerId),
          expiresAt: addDays(at, POINTS_VALIDITY_DAYS),
          occurredAt: at,
        },
      },
    ];
  },
};

/** After a purchase: the referral qualifies, once, with the first purchase recorded after it. */
export function referralQualified(state: CustomerState, facts: readonly CustomerEvent[], at: string): CustomerEvent[] {
  const referral = referralOf(state);
  if (referral.referrerId === null || referral.qualifiedBy !== null || state.customerId === null) return [];
  const bought = facts.find((event): event is PurchaseRecorded => event.type === 'PurchaseRecorded');
  if (!bought) return [];
  return [{ type: 'ReferralQualified', data: { customerId: state.customerId, referrerId: referral.referrerId, purchaseId: bought.data.purchaseId, occurredAt: at } }];
}
