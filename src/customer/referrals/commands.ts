/** Commands of referrals: a referral recorded on the referred customer's stream, its reward on the referrer's. */

/**
 * Runs on the REFERRED customer's stream (`customerId`): the single-stream append is the
 * consistency boundary, so a second referrer is refused without a race.
 */
export type ReferCustomer = { type: 'ReferCustomer'; data: { customerId: string; referrerId: string; occurredAt: string } };

/**
 * A system command (the referral-rewards process manager), on the REFERRER's stream: the reward
 * for `referredCustomerId`'s qualifying purchase. Dated by the referred customer's clock, so the
 * referrer's own late-arrival rules do not apply (decide.ts checkOccurredAt).
 */
export type RewardReferral = { type: 'RewardReferral'; data: { customerId: string; referredCustomerId: string; purchaseId: string; occurredAt: string } };

export type ReferralCommand = ReferCustomer | RewardReferral;
