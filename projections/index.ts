/** Every projection the engine runs. */
import { customerLifecycle } from './customer-lifecycle.projection';
import { customerProfiles } from './customer-profiles.projection';
import { dueDates } from './due-dates.projection';
import { loyaltyBalances } from './loyalty-balances.projection';
import type { ProjectionDefinition } from './projection';

export const PROJECTIONS: readonly ProjectionDefinition[] = [customerProfiles, customerLifecycle, loyaltyBalances, dueDates];
