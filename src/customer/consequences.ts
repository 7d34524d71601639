/** What a command's facts trigger, dated at the customer's clock: each capability's policy, in this order. */
import type { CustomerEvent } from './events';
import { stageChange } from './lifecycle/stage';
import { tierUpgrade } from './purchases/tiers';
import { referralQualified } from './referrals/decide';
import type { CustomerState } from './state';

type Consequence = (state: CustomerState, facts: readonly CustomerEvent[], at: string) => CustomerEvent[];

export const CONSEQUENCES: readonly Consequence[] = [tierUpgrade, stageChange, referralQualified];
