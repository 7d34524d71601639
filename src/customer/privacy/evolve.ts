import type { Evolvers } from '../evolve-types';

export const privacyEvolvers: Evolvers<'CustomerForgotten'> = {
  CustomerForgotten(state, { data }) {
    state.privacy.forgottenAt = data.occurredAt;
    const { profile } = state;
    profile.name = null;
    profile.email = null;
    profile.phone = null;
    profile.address = null;
    profile.birthday = null;
  },
};
