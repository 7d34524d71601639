/** decide(command, state, now) → events, or throws DomainError. Pure: `now` only bounds future-dated commands. */
import type { ChangeTier, CustomerCommand, EvaluateLifecycle, FileComplaint, RecordPurchase, RecordVisit, RegisterCustomer, ResolveComplaint } from './commands';
import { DomainError } from './errors';
import type { CustomerEvent, LifecycleStageChanged, PointsEarned, TierChanged } from './events';
import { fingerprintOf } from './fingerprints';
import { LAPSED_STAGES, stageAsOf, timeDrivenChangePoints, type Stage } from './policies/lifecycle';
import { POINTS_VALIDITY_DAYS, pointsFor, pointsMultiplier } from './policies/points';
import { SPEND_WINDOW_DAYS, isTier, tierForSpend, tierRank } from './policies/tiers';
import type { CustomerState } from './state';
import { DAY_MS, addDays, toIso, toMs } from './time';

/** How far in the future a command's occurredAt may lie (clock skew between services). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export function decide(command: CustomerCommand, state: CustomerState, now: Date): CustomerEvent[] {
  checkOccurredAt(command.data.occurredAt, state, now);
  switch (command.type) {
    case 'RegisterCustomer':
      return register(command, state);
    case 'RecordVisit':
      return recordVisit(command, registered(state));
    case 'FileComplaint':
      return fileComplaint(command, registered(state));
    case 'ResolveComplaint':
      return resolveComplaint(command, registered(state));
    case 'RecordPurchase':
      return recordPurchase(command, registered(state));
    case 'ChangeTier':
      return changeTier(command, registered(state));
    case 'EvaluateLifecycle':
      return evaluateLifecycle(command, registered(state));
    default: {
      const unknown: never = command;
      throw new DomainError('VALIDATION_FAILED', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function checkOccurredAt(occurredAt: string, state: CustomerState, now: Date): void {
  const at = toMs(occurredAt);
  if (Number.isNaN(at)) throw new DomainError('VALIDATION_FAILED', 'occurredAt must be an ISO-8601 instant', 'occurredAt');
  if (at > now.getTime() + MAX_FUTURE_SKEW_MS)
    throw new DomainError('VALIDATION_FAILED', 'occurredAt lies more than 5 minutes in the future', 'occurredAt');
  if (state.registeredAt !== null && at < toMs(state.registeredAt))
    throw new DomainError('VALIDATION_FAILED', `occurredAt is before the customer's registration (${state.registeredAt})`, 'occurredAt');
}

function registered(state: CustomerState): CustomerState & { customerId: string } {
  if (!state.registered || state.customerId === null) throw new DomainError('CUSTOMER_NOT_FOUND', 'customer is not registered');
  return state as CustomerState & { customerId: string };
}

function register({ data }: RegisterCustomer, state: CustomerState): CustomerEvent[] {
  if (state.registered) throw new DomainError('CUSTOMER_ALREADY_REGISTERED', `customer ${data.customerId} is already registered`);
  if (!data.name.trim()) throw new DomainError('VALIDATION_FAILED', 'name must not be blank', 'name');
  if (data.email === null && data.phone === null) throw new DomainError('VALIDATION_FAILED', 'one of email or phone is required', 'email');
  return [{ type: 'CustomerRegistered', data: { ...data } }];
}

function recordVisit({ data }: RecordVisit, state: CustomerState): CustomerEvent[] {
  const known = state.visits.fingerprints[data.visitId];
  if (known !== undefined) {
    if (known === fingerprintOf.visit(data)) return [];
    throw new DomainError('DUPLICATE_VISIT', `visit ${data.visitId} was already recorded with other details`);
  }
  return [{ type: 'CustomerVisited', data: { ...data } }];
}

function fileComplaint({ data }: FileComplaint, state: CustomerState): CustomerEvent[] {
  const known = state.complaints[data.complaintId];
  if (known) {
    if (known.fingerprint === fingerprintOf.complaint(data)) return [];
    throw new DomainError('DUPLICATE_COMPLAINT', `complaint ${data.complaintId} was already filed with other details`);
  }
  return [{ type: 'ComplaintFiled', data: { ...data } }];
}

function resolveComplaint({ data }: ResolveComplaint, state: CustomerState): CustomerEvent[] {
  const complaint = state.complaints[data.complaintId];
  if (!complaint) throw new DomainError('COMPLAINT_NOT_FOUND', `complaint ${data.complaintId} does not exist`);
  if (complaint.status === 'resolved') throw new DomainError('COMPLAINT_ALREADY_RESOLVED', `complaint ${data.complaintId} is already resolved`);
  if (!data.resolution.trim()) throw new DomainError('VALIDATION_FAILED', 'resolution must not be blank', 'resolution');
  if (data.satisfaction !== null && !(Number.isInteger(data.satisfaction) && data.satisfaction >= 1 && data.satisfaction <= 5))
    throw new DomainError('VALIDATION_FAILED', 'satisfaction must be an integer from 1 to 5', 'satisfaction');
  if (toMs(data.occurredAt) < toMs(complaint.filedAt)) throw new DomainError('VALIDATION_FAILED', 'a complaint cannot be resolved before it was filed', 'occurredAt');
  return [{ type: 'ComplaintResolved', data: { ...data } }];
}

function recordPurchase({ data }: RecordPurchase, state: CustomerState & { customerId: string }): CustomerEvent[] {
  checkMoney(data.amount, 'amount');
  if (!/^[A-Z]{3}$/.test(data.currency)) throw new DomainError('VALIDATION_FAILED', 'currency must be an ISO-4217 code such as CNY', 'currency');
  data.items.forEach((item, index) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity <= 0)
      throw new DomainError('VALIDATION_FAILED', 'quantity must be a positive integer', `items.${index}.quantity`);
    if (!Number.isSafeInteger(item.amount) || item.amount < 0)
      throw new DomainError('VALIDATION_FAILED', 'amount must be a non-negative integer in minor units', `items.${index}.amount`);
  });

  const knownIndex = state.purchaseIndex[data.purchaseId];
  if (knownIndex !== undefined) {
    if (state.purchases[knownIndex].fingerprint === fingerprintOf.purchase(data)) return [];
    throw new DomainError('DUPLICATE_PURCHASE', `purchase ${data.purchaseId} was already recorded with other details`);
  }

  const customerId = state.customerId;
  // Rules look at the latest business time known, so a back-dated purchase cannot rewind a stage.
  const asOf = Math.max(toMs(data.occurredAt), state.clock === null ? -Infinity : toMs(state.clock));
  const lapsed = inactivityChanges(state, asOf, { before: true });
  const stageBefore = lapsed.length > 0 ? lapsed[lapsed.length - 1].data.to : state.stage;

  const points = pointsFor(data.amount, data.currency, state.tier);
  const earned: PointsEarned[] =
    points > 0
      ? [{
          type: 'PointsEarned',
          data: {
            customerId,
            purchaseId: data.purchaseId,
            points,
            tier: state.tier,
            multiplier: pointsMultiplier(state.tier),
            expiresAt: addDays(data.occurredAt, POINTS_VALIDITY_DAYS),
            occurredAt: data.occurredAt,
          },
        }]
      : [];

  const purchaseTimes = [...state.purchases.map((p) => toMs(p.occurredAt)), toMs(data.occurredAt)];
  const spend = rollingSpend(state, asOf) + (asOf - toMs(data.occurredAt) < SPEND_WINDOW_DAYS * DAY_MS ? data.amount : 0);
  const earnedTier = tierForSpend(spend);
  const upgrade: TierChanged[] =
    tierRank(earnedTier) > tierRank(state.tier)
      ? [{ type: 'TierChanged', data: { customerId, from: state.tier, to: earnedTier, reason: 'rolling 12-month spend reached the threshold', trigger: 'spend', rollingSpend: spend, occurredAt: data.occurredAt } }]
      : [];

  const stageAfter = stageAsOf(purchaseTimes, asOf);
  const stageChange: LifecycleStageChanged[] =
    stageAfter !== stageBefore
      ? [{ type: 'LifecycleStageChanged', data: { customerId, from: stageBefore, to: stageAfter, reason: LAPSED_STAGES.includes(stageBefore) ? 'won_back' : 'purchase', occurredAt: data.occurredAt } }]
      : [];

  return [...lapsed, { type: 'PurchaseRecorded', data: { ...data } }, ...earned, ...upgrade, ...stageChange];
}

function changeTier({ data }: ChangeTier, state: CustomerState & { customerId: string }): CustomerEvent[] {
  if (!isTier(data.tier)) throw new DomainError('VALIDATION_FAILED', `tier must be one of standard, silver, gold`, 'tier');
  if (!data.reason.trim()) throw new DomainError('VALIDATION_FAILED', 'a manual tier change needs a reason', 'reason');
  if (data.tier === state.tier) return [];
  return [{ type: 'TierChanged', data: { customerId: state.customerId, from: state.tier, to: data.tier, reason: data.reason, trigger: 'manual', rollingSpend: null, occurredAt: data.occurredAt } }];
}

function evaluateLifecycle({ data }: EvaluateLifecycle, state: CustomerState): CustomerEvent[] {
  return inactivityChanges(state, toMs(data.occurredAt), { before: false });
}

/**
 * The stage changes that time alone has brought since the stage was last checked, up to `asOf`
 * (before it, when a purchase at `asOf` follows), each dated at the instant it happened.
 */
function inactivityChanges(state: CustomerState, asOf: number, { before }: { before: boolean }): LifecycleStageChanged[] {
  if (state.customerId === null || state.stageCheckedAt === null) return [];
  const times = state.purchases.map((p) => toMs(p.occurredAt));
  const changes: LifecycleStageChanged[] = [];
  let stage: Stage = state.stage;
  for (const at of timeDrivenChangePoints(times, toMs(state.stageCheckedAt), asOf)) {
    if (before && at === asOf) break;
    const next = stageAsOf(times, at);
    if (next === stage) continue;
    changes.push({ type: 'LifecycleStageChanged', data: { customerId: state.customerId, from: stage, to: next, reason: 'inactivity', occurredAt: toIso(at) } });
    stage = next;
  }
  return changes;
}

/** Net spend (minor units) of the purchases in the window ending at `asOf`. */
function rollingSpend(state: CustomerState, asOf: number): number {
  let spend = 0;
  for (const purchase of state.purchases) {
    const age = asOf - toMs(purchase.occurredAt);
    if (age >= 0 && age < SPEND_WINDOW_DAYS * DAY_MS) spend += purchase.amount;
  }
  return spend;
}

function checkMoney(amount: number, field: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new DomainError('VALIDATION_FAILED', `${field} must be a positive integer in minor units`, field);
}
