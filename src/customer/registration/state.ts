/** What decisions need of who the customer is, and what they agreed to be contacted for. */
import type { ConsentChannel, ConsentPurpose, Preferences } from './events';

export interface ProfileState {
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  outletId: string | null;
  preferences: Preferences;
  /** `YYYY-MM-DD`. */
  birthday: string | null;
  tags: string[];
  accountManager: string | null;
}

export const initialProfile = (): ProfileState => ({
  name: null,
  email: null,
  phone: null,
  address: null,
  outletId: null,
  preferences: { channels: [], categories: [] },
  birthday: null,
  tags: [],
  accountManager: null,
});

export interface ConsentRecord {
  granted: boolean;
  source: string;
  changedAt: string;
}

/** The latest decision per channel and purpose; absent = never asked. */
export type Consents = Partial<Record<ConsentChannel, Partial<Record<ConsentPurpose, ConsentRecord>>>>;
