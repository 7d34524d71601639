/** Registration: one stream per customer, one of email or phone. */
import { DomainError, invalid } from '../errors';
import type { CustomerState } from '../state';
import type { RegisterCustomer } from './commands';
import type { RegistrationEvent } from './events';

export function register({ data }: RegisterCustomer, state: CustomerState): RegistrationEvent[] {
  if (state.registered) throw new DomainError('CUSTOMER_ALREADY_REGISTERED', `customer ${data.customerId} is already registered`);
  if (!data.name.trim()) throw invalid('name', 'name must not be blank');
  if (!data.email?.trim() && !data.phone?.trim()) throw invalid('email', 'one of email or phone is required');
  return [{ type: 'CustomerRegistered', data: { ...data } }];
}
