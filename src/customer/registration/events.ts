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

export type RegistrationEvent = CustomerRegistered;

/** Personal fields, encrypted at rest and erased with the customer (src/customer/personal-data.ts). */
export const registrationPersonalFields = {
  CustomerRegistered: ['name', 'email', 'phone', 'address'],
} as const satisfies PersonalFields<RegistrationEvent>;
