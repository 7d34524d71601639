/** Events of privacy. */

/**
 * The customer's personal data is erased: its data key is destroyed, so the personal fields of
 * every event read as erased; counts and money stay. `reason` is the administrator's (a ticket
 * number, "GDPR art. 17 request"), never personal data: it is stored in clear. `followUpIds` names
 * the follow-ups whose read-model documents hold notes to clear.
 */
export type CustomerForgotten = {
  type: 'CustomerForgotten';
  data: { customerId: string; reason: string; followUpIds: string[]; occurredAt: string };
};

export type PrivacyEvent = CustomerForgotten;
