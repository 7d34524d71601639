/** Events of referrals. */

/** On the referred customer's stream: who referred them (once, for good). */
export type CustomerReferred = {
  type: 'CustomerReferred';
  data: { customerId: string; referrerId: string; occurredAt: string };
};

/** On the referred customer's stream, a consequence of their first purchase after the referral (once per referral). */
export type ReferralQualified = {
  type: 'ReferralQualified';
  data: { customerId: string; referrerId: string; purchaseId: string; occurredAt: string };
};

/**
 * On the referrer's stream: the reward, itself a lot of points (`lotId` = `referral:<referredCustomerId>`,
 * expiring `expiresAt`) that the points ledger treats like any other lot (FIFO redemption, expiry).
 */
export type ReferralRewarded = {
  type: 'ReferralRewarded';
  data: { customerId: string; referredCustomerId: string; purchaseId: string; points: number; lotId: string; expiresAt: string; occurredAt: string };
};

export type ReferralEvent = CustomerReferred | ReferralQualified | ReferralRewarded;
