/**
 * What time alone changes. Each capability declares its due kinds: from a state, the next instant
 * something comes due, and the events it brings, dated at that instant. Evaluation, the due-date
 * index and batch evaluation know no kind by name.
 */
import { clonePlain } from '../shared/clone-plain';
import type { CustomerEvent } from './events';
import { LOYAL_WINDOW_DAYS, REPEAT_MIN_PURCHASES } from './policies/lifecycle';
import { SPEND_WINDOW_DAYS } from './policies/tiers';
import { initialProfile } from './registration/state';
import type { CustomerState } from './state';
import { DAY_MS, toIso, toMs } from './time';

export interface DueKind {
  /** Stable name, for logs and the due-date index. */
  name: string;
  /** The next instant (ms) after the customer's clock at which this kind comes due, or null. */
  next(state: CustomerState): number | null;
  /** The events due at `at` (never empty: the state must move past `at`). */
  fire(state: CustomerState, at: number): CustomerEvent[];
}

/** At most this many due items are appended in one decision (a history years behind its evaluations). */
const MAX_DUE_ITEMS = 10_000;

/** The earliest due instant of any kind, or null. */
export function nextDueAt(kinds: readonly DueKind[], state: CustomerState): number | null {
  // A forgotten customer takes no more commands, so nothing comes due.
  if (state.privacy.forgottenAt !== null) return null;
  let earliest: number | null = null;
  for (const kind of kinds) {
    const at = kind.next(state);
    if (at !== null && (earliest === null || at < earliest)) earliest = at;
  }
  return earliest;
}

/**
 * Everything due up to `asOf` (inclusive), in time order, each item decided on the state the items
 * before it left; `state` itself is not changed (a copy is evolved when something is due).
 */
export function dueUpTo(
  kinds: readonly DueKind[],
  state: CustomerState,
  asOf: number,
  evolve: (state: CustomerState, event: CustomerEvent) => CustomerState,
): { state: CustomerState; events: CustomerEvent[] } {
  let working = state;
  const events: CustomerEvent[] = [];
  for (let items = 0; items < MAX_DUE_ITEMS; items++) {
    let due: { kind: DueKind; at: number } | null = null;
    for (const kind of kinds) {
      const at = kind.next(working);
      if (at !== null && at <= asOf && (due === null || at < due.at)) due = { kind, at };
    }
    if (due === null) return { state: working, events };
    if (working === state) working = clonePlain(state);
    const fired = due.kind.fire(working, due.at);
    if (fired.length === 0) throw new Error(`due kind ${due.kind.name} came due at ${new Date(due.at).toISOString()} but brought nothing`);
    for (const event of fired) evolve(working, event);
    events.push(...fired);
  }
  throw new Error(`more than ${MAX_DUE_ITEMS} due items at once`);
}

/**
 * How far before the clock a purchase can still count for a due kind: the spend window of the tier
 * review and the loyalty window of the stage (due instants lie after the clock).
 */
const DUE_PURCHASE_WINDOW_MS = (Math.max(SPEND_WINDOW_DAYS, LOYAL_WINDOW_DAYS) + 1) * DAY_MS;

/**
 * What the due-date index keeps of a state: everything the due kinds and evolve read, without
 * personal data, without the fingerprints that only tell re-sent commands apart, and without the
 * purchases no due kind can count again — those before the windows, except the latest
 * REPEAT_MIN_PURCHASES of them (the stage counts purchases up to that many and inactivity runs
 * from the last one). So a document's size follows the customer's last year, not its whole history.
 */
export function dueView(state: CustomerState): CustomerState {
  state.profile = initialProfile();
  state.consents = {};
  state.care.visits.fingerprints = {};
  state.loyalty.redemptions = {};
  state.loyalty.refunds = {};
  state.loyalty.adjustments = {};
  for (const purchase of state.purchases) purchase.fingerprint = '';
  dropUncountedPurchases(state);
  return state;
}

/** Instants are compared as strings: in their canonical form (`toIso`) string order is time order. */
function dropUncountedPurchases(state: CustomerState): void {
  if (state.clock === null) return;
  const from = toIso(toMs(state.clock) - DUE_PURCHASE_WINDOW_MS);
  const before = state.purchases.filter((purchase) => purchase.occurredAt < from);
  if (before.length <= REPEAT_MIN_PURCHASES) return;
  const kept = new Set(before.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0)).slice(0, REPEAT_MIN_PURCHASES));
  state.purchases = state.purchases.filter((purchase) => kept.has(purchase) || purchase.occurredAt >= from);
  state.purchaseIndex = Object.fromEntries(state.purchases.map((purchase, index) => [purchase.purchaseId, index]));
}
