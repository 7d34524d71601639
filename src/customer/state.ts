/** A customer's state, folded from its stream: what decisions need, one slice per capability. */
import { initialCare, type CareState } from './care/state';
import { initialLifecycle, type LifecycleState } from './lifecycle/state';
import { initialPrivacy, type PrivacyState } from './privacy/state';
import { initialLoyalty, type LoyaltyState, type PurchaseSummary } from './purchases/state';
import { initialReferral, type ReferralState } from './referrals/state';
import { initialProfile, type Consents, type ProfileState } from './registration/state';
import { later } from './time';

export type { ComplaintSummary } from './care/state';
export type { PointsLot, PurchaseSummary } from './purchases/state';
export type { ConsentRecord, Consents } from './registration/state';

export interface CustomerState {
  registered: boolean;
  customerId: string | null;
  registeredAt: string | null;
  /** The customer's clock: the latest business time recorded in the stream. */
  clock: string | null;
  profile: ProfileState;
  /** Contact consents per channel and purpose (ConsentChanged). */
  consents: Consents;
  care: CareState;
  purchases: PurchaseSummary[];
  purchaseIndex: Record<string, number>;
  loyalty: LoyaltyState;
  lifecycle: LifecycleState;
  referral: ReferralState;
  privacy: PrivacyState;
}

export const initialState = (): CustomerState => ({
  registered: false,
  customerId: null,
  registeredAt: null,
  clock: null,
  profile: initialProfile(),
  consents: {},
  care: initialCare(),
  purchases: [],
  purchaseIndex: {},
  loyalty: initialLoyalty(),
  lifecycle: initialLifecycle(),
  referral: initialReferral(),
  privacy: initialPrivacy(),
});

/**
 * When a fact's consequences (stage, tier, points, follow-ups) are dated: at the fact, or at the
 * customer's clock when the fact arrives late, so history already recorded is never contradicted.
 */
export const consequenceTime = (state: CustomerState, occurredAt: string): string => later(state.clock, occurredAt);
