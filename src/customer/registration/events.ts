/** Events of registration and the profile. */
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
