/** Referrals: what a referrer earns when the customer they referred makes a first purchase. */

/** Points of one referral reward: a lot of its own, valid POINTS_VALIDITY_DAYS like any earning. */
export const REFERRAL_REWARD_POINTS = 200;
