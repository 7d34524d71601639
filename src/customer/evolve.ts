/** evolve(state, event) → state: one slice per capability, total over the event union; no I/O, no clock. */
import { careEvolvers } from './care/evolve';
import type { CustomerEvent, CustomerEventType } from './events';
import type { Evolvers } from './evolve-types';
import { lifecycleEvolvers } from './lifecycle/evolve';
import { privacyEvolvers } from './privacy/evolve';
import { purchaseEvolvers } from './purchases/evolve';
import { referralEvolvers } from './referrals/evolve';
import { registrationEvolvers } from './registration/evolve';
import { initialState, type CustomerState } from './state';
import { later } from './time';

const EVOLVERS = { ...registrationEvolvers, ...careEvolvers, ...purchaseEvolvers, ...lifecycleEvolvers, ...referralEvolvers, ...privacyEvolvers } satisfies Evolvers<CustomerEventType>;

/** Every event type of a customer stream, derived from the evolvers (so it cannot drift from the union). */
export const CUSTOMER_EVENT_TYPES = Object.keys(EVOLVERS) as CustomerEventType[];

/**
 * Folds one event into `state` and returns it. The state is owned by the fold and updated in
 * place, so folding a 10k-event stream stays linear; callers start from `initialState()`.
 */
export function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  state.clock = later(state.clock, event.data.occurredAt);
  (EVOLVERS[event.type] as (state: CustomerState, event: CustomerEvent) => void)(state, event);
  return state;
}

/** The state after all `events`, from scratch. */
export function fold(events: Iterable<CustomerEvent>): CustomerState {
  const state = initialState();
  for (const event of events) evolve(state, event);
  return state;
}
