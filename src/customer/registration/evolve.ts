import type { Evolvers } from '../evolve-types';

export const registrationEvolvers: Evolvers<'CustomerRegistered'> = {
  CustomerRegistered(state, { data }) {
    const { customerId, name, email, phone, address, outletId, preferences } = data;
    state.registered = true;
    state.customerId = customerId;
    state.registeredAt = data.occurredAt;
    state.profile = { name, email, phone, address, outletId, preferences };
    state.loyalty.tierSince = data.occurredAt;
  },
};
