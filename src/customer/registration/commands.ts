/** Commands of registration and the profile. */
import type { CustomerRegistered } from './events';

export type RegisterCustomer = { type: 'RegisterCustomer'; data: CustomerRegistered['data'] };

export type RegistrationCommand = RegisterCustomer;
