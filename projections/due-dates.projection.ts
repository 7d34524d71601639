/**
 * due_dates: per customer, the next instant something comes due by time alone (the earliest of
 * every due kind's), so batch evaluation reads the customers due, not every stream. The document
 * keeps the customer's state as the due kinds need it, folded by the domain's own evolve.
 */
import { dueView, nextDueAt } from '../src/customer/due';
import { DUE_KINDS } from '../src/customer/due-kinds';
import { CUSTOMER_EVENT_TYPES, evolve } from '../src/customer/evolve';
import { initialState, type CustomerState } from '../src/customer/state';
import { toIso } from '../src/customer/time';
import { defineProjection, listWeight, type CustomerDocument, type Handlers, type ProjectionEvent } from './projection';

export interface DueDate extends CustomerDocument {
  customerId: string;
  /** The next due instant (RFC 3339, UTC), or null when nothing will come due without a new fact. */
  nextDueAt: string | null;
  state: CustomerState;
}

function apply(doc: DueDate, event: ProjectionEvent): void {
  evolve(doc.state, event);
  dueView(doc.state);
}

/** The next due instant, from the state as written (once per write, not per event: it was a third of the projection's time). */
function settle(doc: DueDate): void {
  const next = doc.state.registered ? nextDueAt(DUE_KINDS, doc.state) : null;
  doc.nextDueAt = next === null ? null : toIso(next);
}

export const dueDates = defineProjection<DueDate>({
  name: 'due_dates',
  version: 1,
  queryable: [{ path: 'nextDueAt', type: 'string' }],
  create: (event) => ({ _id: event.data.customerId, customerId: event.data.customerId, nextDueAt: null, state: initialState(), revision: -1 }),
  // The state is the document's own and evolve changes it in place: no deep copy per event (it was a
  // third of a catch-up's time). The runner replaces its cached document by the result, and forgets
  // its cache when a definition throws, so the state a handler changed is never read as the old one.
  copy: (doc) => ({ ...doc }),
  // A document holds its customer's purchases of the last year and open lots.
  cacheWeight: (doc) => listWeight(doc.state.purchases.length, doc.state.loyalty.lots.length),
  settle,
  // Every event type can move a due instant.
  on: Object.fromEntries(CUSTOMER_EVENT_TYPES.map((type) => [type, apply])) as Handlers<DueDate>,
});
