/** Commands of registration and the profile. */
import type { ConsentChanged, CustomerRegistered, Preferences } from './events';

export type RegisterCustomer = { type: 'RegisterCustomer'; data: CustomerRegistered['data'] };

/**
 * A JSON merge patch (RFC 7396) of the profile: an absent field is unchanged, `null` clears it.
 * `preferences` and `tags` are replaced whole.
 */
export interface ProfilePatch {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  outletId?: string | null;
  birthday?: string | null;
  preferences?: Preferences | null;
  tags?: string[] | null;
  accountManager?: string | null;
}

export type UpdateProfile = { type: 'UpdateProfile'; data: { customerId: string; occurredAt: string } & ProfilePatch };

export type ChangeConsent = { type: 'ChangeConsent'; data: ConsentChanged['data'] };

export type RegistrationCommand = RegisterCustomer | UpdateProfile | ChangeConsent;
