/**
 * decide(command, state, now) → events, or throws DomainError. Pure: `now` only bounds future-dated
 * commands. A command appends, in this order: what came due before it, its own facts, and what
 * they trigger.
 */
import { careDeciders } from './care/decide';
import type { CustomerCommand, CustomerCommandType } from './commands';
import { CONSEQUENCES } from './consequences';
import { dueUpTo } from './due';
import { DUE_KINDS } from './due-kinds';
import { DomainError, invalid } from './errors';
import type { CustomerEvent } from './events';
import { evolve } from './evolve';
import type { Deciders } from './evolve-types';
import { privacyDeciders } from './privacy/decide';
import { purchaseDeciders } from './purchases/decide';
import { pointsDeciders } from './purchases/points-decide';
import { tierDeciders } from './purchases/tiers';
import { referralDeciders } from './referrals/decide';
import { register, registrationDeciders } from './registration/decide';
import { DEFAULT_RULES, MAX_FUTURE_SKEW_MS, type Rules } from './rules';
import { consequenceTime, type CustomerState } from './state';
import { DAY_MS, toMs } from './time';

const DECIDERS = { RegisterCustomer: register, ...registrationDeciders, ...careDeciders, ...purchaseDeciders, ...pointsDeciders, ...tierDeciders, ...referralDeciders, ...privacyDeciders } satisfies Deciders<Exclude<CustomerCommandType, 'EvaluateCustomer'>>;

export function decide(command: CustomerCommand, state: CustomerState, now: Date, rules: Rules = DEFAULT_RULES): CustomerEvent[] {
  // Erasure is final: no command is looked at, not even its time.
  if (state.privacy.forgottenAt !== null) throw new DomainError('CUSTOMER_FORGOTTEN', `customer ${command.data.customerId} was forgotten (personal data erased ${state.privacy.forgottenAt})`);
  checkOccurredAt(command, state, now, rules);
  if (command.type === 'RegisterCustomer') return register(command, state);
  if (!state.registered) throw new DomainError('CUSTOMER_NOT_FOUND', `customer ${command.data.customerId} is not registered`);
  const due = dueUpTo(DUE_KINDS, state, toMs(command.data.occurredAt), evolve);
  if (command.type === 'EvaluateCustomer') return due.events;
  const facts = (DECIDERS[command.type] as (command: CustomerCommand, state: CustomerState, rules: Rules) => CustomerEvent[])(command, due.state, rules);
  if (facts.length === 0) return [];
  const at = consequenceTime(due.state, command.data.occurredAt);
  return [...due.events, ...facts, ...CONSEQUENCES.flatMap((consequence) => consequence(due.state, facts, at))];
}

function checkOccurredAt(command: CustomerCommand, state: CustomerState, now: Date, rules: Rules): void {
  const at = toMs(command.data.occurredAt);
  if (Number.isNaN(at)) throw invalid('occurredAt', 'occurredAt must be an RFC 3339 instant');
  // A process manager's reward is dated by the referred customer's stream, not by this one: the
  // referrer's clock may be far ahead of it (or its registration after it), and the process
  // manager's host clock may lag the writer's. The date was checked when the qualifying purchase
  // was recorded; the reward itself is dated at consequenceTime, never behind this stream's clock
  // (referrals/decide.ts). So none of the bounds below applies to it.
  if (command.type === 'RewardReferral') return;
  if (at > now.getTime() + MAX_FUTURE_SKEW_MS) throw invalid('occurredAt', 'occurredAt lies more than 5 minutes in the future');
  if (command.type === 'EvaluateCustomer') return;
  if (state.registeredAt !== null && at < toMs(state.registeredAt)) throw invalid('occurredAt', `occurredAt is before the customer's registration (${state.registeredAt})`);
  if (state.clock !== null && at < toMs(state.clock) - rules.lateArrivalMaxDays * DAY_MS)
    throw new DomainError(
      'OCCURRED_AT_TOO_OLD',
      `occurredAt lies more than ${rules.lateArrivalMaxDays} days behind the customer's latest event (${state.clock})`,
      'occurredAt',
    );
}
