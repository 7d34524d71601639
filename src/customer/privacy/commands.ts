/** Commands of privacy: erasure of a customer's personal data. */
export type ForgetCustomer = { type: 'ForgetCustomer'; data: { customerId: string; reason: string; occurredAt: string } };

export type PrivacyCommand = ForgetCustomer;
