/** What decisions need of privacy: whether the customer was forgotten. */
export interface PrivacyState {
  /** Business time of the erasure, or null. */
  forgottenAt: string | null;
}

export const initialPrivacy = (): PrivacyState => ({ forgottenAt: null });
