import { decide } from '../../../src/customer/decide';
import { nextDueAt } from '../../../src/customer/due';
import { DUE_KINDS } from '../../../src/customer/due-kinds';
import type { CustomerCommand } from '../../../src/customer/commands';
import { commands, fold, given, History, NOW } from '../../support/decider-spec';

const C = 'c-1';
const forget = (occurredAt = '2026-03-01T00:00:00.000Z', reason = 'erasure request #1'): CustomerCommand => ({ type: 'ForgetCustomer', data: { customerId: C, reason, occurredAt } });

describe('ForgetCustomer', () => {
  const history = new History(C).register('2026-01-01T00:00:00.000Z').purchase('p1', 10_000, '2026-01-02T00:00:00.000Z').events;

  it('records CustomerForgotten with the reason and the follow-ups whose notes go', () => {
    const withFollowUp = [...history, ...decide({ type: 'ScheduleFollowUp', data: { customerId: C, followUpId: 'f1', dueAt: '2026-02-01T00:00:00.000Z', reason: 'manual', complaintId: null, assignee: null, occurredAt: '2026-01-03T00:00:00.000Z' } }, fold(history), NOW)];
    given(withFollowUp).when(forget()).then([{ type: 'CustomerForgotten', data: { customerId: C, reason: 'erasure request #1', followUpIds: ['f1'], occurredAt: '2026-03-01T00:00:00.000Z' } }]);
  });

  it('refuses a blank or over-long reason', () => {
    given(history).when(forget(undefined, '   ')).thenFails('VALIDATION_FAILED', 'reason');
    given(history).when(forget(undefined, 'x'.repeat(201))).thenFails('VALIDATION_FAILED', 'reason');
  });

  it('refuses a customer that is not registered', () => {
    given().when(forget()).thenFails('CUSTOMER_NOT_FOUND');
  });

  it('clears the personal fields of the state and keeps counts and money', () => {
    const state = fold([...history, ...decide(forget(), fold(history), NOW)]);
    expect(state.profile).toMatchObject({ name: null, email: null, phone: null, address: null });
    expect(state.privacy.forgottenAt).toBe('2026-03-01T00:00:00.000Z');
    expect(state.purchases).toHaveLength(1);
    expect(state.loyalty.balance).toBeGreaterThan(0);
  });

  it('leaves nothing due: a forgotten customer is never evaluated', () => {
    expect(nextDueAt(DUE_KINDS, fold(history))).not.toBeNull();
    expect(nextDueAt(DUE_KINDS, fold([...history, ...decide(forget(), fold(history), NOW)]))).toBeNull();
  });

  describe('after the erasure every command is refused with CUSTOMER_FORGOTTEN, before any other check', () => {
    const forgotten = [...history, ...decide(forget(), fold(history), NOW)];
    it.each<[string, CustomerCommand]>([
      ['RegisterCustomer (the same id again)', commands.register(C, '2026-03-02T00:00:00.000Z')],
      ['RecordVisit', commands.visit(C, 'v1', '2026-03-02T00:00:00.000Z')],
      ['RecordPurchase', commands.purchase(C, 'p2', 1000, '2026-03-02T00:00:00.000Z')],
      ['EvaluateCustomer', commands.evaluate(C, '2026-03-02T00:00:00.000Z')],
      ['ForgetCustomer (again)', forget('2026-03-02T00:00:00.000Z')],
      ['a command with an invalid time', commands.visit(C, 'v1', 'yesterday')],
      ['a command dated before the registration', commands.visit(C, 'v1', '2020-01-01T00:00:00.000Z')],
      ['a duplicate of an earlier fact', commands.purchase(C, 'p1', 10_000, '2026-01-02T00:00:00.000Z')],
    ])('%s', (_, command) => {
      given(forgotten).when(command).thenFails('CUSTOMER_FORGOTTEN');
    });
  });
});
