import type { Evolvers } from '../evolve-types';

export const lifecycleEvolvers: Evolvers<'LifecycleStageChanged'> = {
  LifecycleStageChanged({ lifecycle }, { data }) {
    lifecycle.stage = data.to;
    lifecycle.stageSince = data.occurredAt;
  },
};
