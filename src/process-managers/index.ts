/** Every process manager the engine runs (beside the projections, wherever they run). */
import type { ProcessManagerDefinition } from '../projection-engine/process-manager';
import { referralRewards } from './referral-rewards';

export const PROCESS_MANAGERS: readonly ProcessManagerDefinition[] = [referralRewards];
