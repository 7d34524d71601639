import type { Evolvers } from '../evolve-types';

export const registrationEvolvers: Evolvers<'CustomerRegistered' | 'CustomerProfileUpdated' | 'ConsentChanged'> = {
  CustomerRegistered(state, { data }) {
    const { customerId, name, email, phone, address, outletId, preferences } = data;
    state.registered = true;
    state.customerId = customerId;
    state.registeredAt = data.occurredAt;
    state.profile = { ...state.profile, name, email, phone, address, outletId, preferences };
    state.loyalty.tierSince = data.occurredAt;
  },
  CustomerProfileUpdated(state, { data }) {
    const { customerId: _customerId, occurredAt: _occurredAt, ...changes } = data;
    state.profile = { ...state.profile, ...changes };
  },
  ConsentChanged(state, { data }) {
    const { channel, purpose, granted, source, occurredAt } = data;
    state.consents[channel] = { ...state.consents[channel], [purpose]: { granted, source, changedAt: occurredAt } };
  },
};
