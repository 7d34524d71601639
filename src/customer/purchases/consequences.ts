/** What a purchase triggers in the loyalty programme: an upgrade when the rolling spend qualifies. */
import type { CustomerEvent } from '../events';
import { SPEND_WINDOW_DAYS, tierForSpend, tierRank } from '../policies/tiers';
import type { CustomerState } from '../state';
import { DAY_MS, toMs } from '../time';
import type { PurchaseRecorded } from './events';

/** Net base spend (minor units) of the purchases in the window ending at `asOf`. */
export function rollingSpend(purchases: readonly { occurredAt: string; baseAmount: number }[], asOf: number): number {
  let spend = 0;
  for (const purchase of purchases) {
    const age = asOf - toMs(purchase.occurredAt);
    if (age >= 0 && age < SPEND_WINDOW_DAYS * DAY_MS) spend += purchase.baseAmount;
  }
  return spend;
}

export function tierUpgrade(state: CustomerState, facts: readonly CustomerEvent[], at: string): CustomerEvent[] {
  const bought = facts.filter((event): event is PurchaseRecorded => event.type === 'PurchaseRecorded').map((event) => event.data);
  if (bought.length === 0 || state.customerId === null) return [];
  const spend = rollingSpend([...state.purchases, ...bought], toMs(at));
  const earned = tierForSpend(spend);
  const from = state.loyalty.tier;
  if (tierRank(earned) <= tierRank(from)) return [];
  return [{ type: 'TierChanged', data: { customerId: state.customerId, from, to: earned, reason: 'rolling 12-month spend reached the threshold', trigger: 'spend', rollingSpend: spend, occurredAt: at } }];
}
