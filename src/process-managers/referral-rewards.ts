/**
 * referral-rewards: when a referred customer's first purchase qualifies their referral
 * (ReferralQualified on their stream), the referrer is rewarded (RewardReferral on the referrer's
 * stream). Two streams, so two appends: this process manager joins them, exactly once
 * (docs/architecture.md, process managers).
 */
import { reactionId, type ProcessManagerDefinition } from '../projection-engine/process-manager';

export const REFERRAL_REWARDS = 'referral-rewards';

export const referralRewards: ProcessManagerDefinition = {
  name: REFERRAL_REWARDS,
  handles: ['ReferralQualified'],
  react(event) {
    if (event.type !== 'ReferralQualified') return [];
    const { customerId, referrerId, purchaseId, occurredAt } = event.data;
    return [{ commandId: reactionId(REFERRAL_REWARDS, event), command: { type: 'RewardReferral', data: { customerId: referrerId, referredCustomerId: customerId, purchaseId, occurredAt } } }];
  },
};
