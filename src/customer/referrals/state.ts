/** What decisions need of referrals, as the referred customer and as a referrer. */
import type { CustomerState } from '../state';

export interface ReferralState {
  /** Who referred this customer (set once), or null. */
  referrerId: string | null;
  referredAt: string | null;
  /** The purchase that qualified the referral (its ReferralQualified was appended), or null. */
  qualifiedBy: string | null;
  /** As a referrer: the referred customers already rewarded, with the purchase that qualified each. */
  rewarded: Record<string, string>;
}

export const initialReferral = (): ReferralState => ({ referrerId: null, referredAt: null, qualifiedBy: null, rewarded: {} });

/**
 * The slice, created when missing: states stored before referrals existed (the due_dates
 * projection keeps folded states in its documents) have none.
 */
export const referralOf = (state: CustomerState): ReferralState => (state.referral ??= initialReferral());

export const referralLotId = (referredCustomerId: string): string => `referral:${referredCustomerId}`;
