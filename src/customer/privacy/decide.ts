/** Erasure: once per customer; every later command is refused before it is looked at (decide.ts). */
import { invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import type { PrivacyEvent } from './events';

const MAX_REASON = 200;

export const privacyDeciders: Deciders<'ForgetCustomer'> = {
  ForgetCustomer({ data }, state): PrivacyEvent[] {
    const reason = data.reason.trim();
    if (!reason) throw invalid('reason', 'reason must not be blank');
    if (reason.length > MAX_REASON) throw invalid('reason', `reason must be at most ${MAX_REASON} characters`);
    return [{ type: 'CustomerForgotten', data: { customerId: data.customerId, reason, followUpIds: Object.keys(state.care.followUps).sort(), occurredAt: data.occurredAt } }];
  },
};
