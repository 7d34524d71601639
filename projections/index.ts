/** Every projection the engine runs. */
import { complaints } from './complaints.projection';
import { customerLifecycle } from './customer-lifecycle.projection';
import { customerProfiles } from './customer-profiles.projection';
import { dueDates } from './due-dates.projection';
import { followUps } from './follow-ups.projection';
import { loyaltyBalances } from './loyalty-balances.projection';
import { outletActivityEntry } from './outlet-activity.projection';
import type { ProjectionDefinition } from './projection';
import { purchases } from './purchases.projection';

export const PROJECTIONS: readonly ProjectionDefinition[] = [customerProfiles, customerLifecycle, loyaltyBalances, complaints, followUps, purchases, dueDates, outletActivityEntry];
