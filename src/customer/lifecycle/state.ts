import type { Stage } from '../policies/lifecycle';

export interface LifecycleState {
  stage: Stage;
  stageSince: string | null;
}

export const initialLifecycle = (): LifecycleState => ({ stage: 'prospect', stageSince: null });
