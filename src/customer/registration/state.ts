/** What decisions need of who the customer is. */
import type { Preferences } from './events';

export interface ProfileState {
  name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  outletId: string | null;
  preferences: Preferences;
}

export const initialProfile = (): ProfileState => ({ name: null, email: null, phone: null, address: null, outletId: null, preferences: { channels: [], categories: [] } });
