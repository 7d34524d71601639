/** Events of registration and the profile. */
import type { PersonalFields } from '../personal-data';

export interface Preferences {
  channels: string[];
  categories: string[];
}

export type CustomerRegistered = {
  type: 'CustomerRegistered';
  data: {
    customerId: string;
    name: string;
    email: string | null;
    phone: string | null;
    address: string | null;
    outletId: string | null;
    preferences: Preferences;
    occurredAt: string;
  };
};

/**
 * The profile fields one update may change, flat at the top level of an event's data (personal
 * fields are encrypted per top-level field). `null` clears a field; `name` is never cleared.
 */
export interface ProfileChanges {
  name?: string;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  outletId?: string | null;
  /** A calendar date `YYYY-MM-DD`. */
  birthday?: string | null;
  preferences?: Preferences;
  tags?: string[];
  accountManager?: string | null;
}

export const PROFILE_FIELDS = ['name', 'email', 'phone', 'address', 'outletId', 'birthday', 'preferences', 'tags', 'accountManager'] as const satisfies readonly (keyof ProfileChanges)[];

/** Only the fields that changed are present. */
export type CustomerProfileUpdated = {
  type: 'CustomerProfileUpdated';
  data: { customerId: string; occurredAt: string } & ProfileChanges;
};

export const CONSENT_CHANNELS = ['email', 'sms', 'phone', 'app', 'wechat'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_PURPOSES = ['marketing', 'service'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export type ConsentChanged = {
  type: 'ConsentChanged';
  data: { customerId: string; channel: ConsentChannel; purpose: ConsentPurpose; granted: boolean; source: string; occurredAt: string };
};

export type RegistrationEvent = CustomerRegistered | CustomerProfileUpdated | ConsentChanged;

/** Personal fields, encrypted at rest and erased with the customer (src/customer/personal-data.ts). */
export const registrationPersonalFields = {
  CustomerRegistered: ['name', 'email', 'phone', 'address'],
  CustomerProfileUpdated: ['name', 'email', 'phone', 'address', 'birthday'],
} as const satisfies PersonalFields<RegistrationEvent>;
