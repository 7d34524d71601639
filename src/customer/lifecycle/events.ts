/** Events of the lifecycle: stage changes, from purchases or from time passing. */
import type { Stage } from '../policies/lifecycle';

export type LifecycleStageReason = 'purchase' | 'won_back' | 'inactivity';

export type LifecycleStageChanged = {
  type: 'LifecycleStageChanged';
  data: { customerId: string; from: Stage; to: Stage; reason: LifecycleStageReason; occurredAt: string };
};

export type LifecycleEvent = LifecycleStageChanged;
