/**
 * Given / when / then for the customer decider: the given events are folded with the real
 * evolve, the command is decided with the real decide, at a fixed `now`.
 */
import type { CustomerCommand } from '../../src/customer/commands';
import { decide } from '../../src/customer/decide';
import { DomainError, type DomainErrorCode } from '../../src/customer/errors';
import type { CustomerEvent } from '../../src/customer/events';
import { evolve } from '../../src/customer/evolve';
import { initialState, type CustomerState } from '../../src/customer/state';

export const NOW = new Date('2031-01-01T00:00:00.000Z');

export function fold(events: readonly CustomerEvent[]): CustomerState {
  const state = initialState();
  for (const event of events) evolve(state, event);
  return state;
}

export function given(events: readonly CustomerEvent[] = []) {
  return {
    when(command: CustomerCommand, now: Date = NOW) {
      const run = () => decide(command, fold(events), now);
      return {
        /** The exact events the command appends. */
        then(expected: CustomerEvent[]): void {
          expect(run()).toEqual(expected);
        },
        /** The events, for assertions on part of them. */
        events(): CustomerEvent[] {
          return run();
        },
        /** The command is refused with this code (and so appends nothing). */
        thenFails(code: DomainErrorCode, field?: string): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect((thrown as DomainError).code).toBe(code);
          if (field !== undefined) expect((thrown as DomainError).field).toBe(field);
        },
      };
    },
  };
}

/** Builds a realistic history by deciding commands in order (each on the state so far). */
export class History {
  readonly events: CustomerEvent[] = [];

  constructor(readonly customerId = 'c-1') {}

  run(command: CustomerCommand): this {
    this.events.push(...decide(command, fold(this.events), NOW));
    return this;
  }

  register(occurredAt = '2025-01-01T00:00:00.000Z'): this {
    return this.run(commands.register(this.customerId, occurredAt));
  }

  purchase(purchaseId: string, amount: number, occurredAt: string): this {
    return this.run(commands.purchase(this.customerId, purchaseId, amount, occurredAt));
  }
}

export const commands = {
  register: (customerId: string, occurredAt = '2025-01-01T00:00:00.000Z', overrides: Partial<Extract<CustomerCommand, { type: 'RegisterCustomer' }>['data']> = {}): CustomerCommand => ({
    type: 'RegisterCustomer',
    data: { customerId, name: 'Li Wei', email: 'li.wei@example.com', phone: null, address: null, outletId: 'outlet-1', preferences: { channels: ['email'], categories: [] }, occurredAt, ...overrides },
  }),
  visit: (customerId: string, visitId: string, occurredAt: string, outletId = 'outlet-1'): CustomerCommand => ({
    type: 'RecordVisit',
    data: { customerId, visitId, outletId, channel: 'store', purpose: null, occurredAt },
  }),
  fileComplaint: (customerId: string, complaintId: string, occurredAt: string, description = 'cold coffee'): CustomerCommand => ({
    type: 'FileComplaint',
    data: { customerId, complaintId, channel: 'store', category: 'service', severity: 'normal', description, outletId: null, occurredAt },
  }),
  resolveComplaint: (customerId: string, complaintId: string, occurredAt: string, overrides: { resolution?: string; satisfaction?: number | null } = {}): CustomerCommand => ({
    type: 'ResolveComplaint',
    data: { customerId, complaintId, resolution: 'refunded', satisfaction: 4, occurredAt, ...overrides },
  }),
  purchase: (customerId: string, purchaseId: string, amount: number, occurredAt: string, currency = 'CNY', exchangeRate: string | null = null): CustomerCommand => ({
    type: 'RecordPurchase',
    data: { customerId, purchaseId, amount, currency, exchangeRate, outletId: 'outlet-1', items: [], occurredAt },
  }),
  changeTier: (customerId: string, tier: string, occurredAt: string, reason = 'goodwill'): CustomerCommand => ({
    type: 'ChangeTier',
    data: { customerId, tier: tier as 'gold', reason, lockedUntil: null, occurredAt },
  }),
  evaluate: (customerId: string, occurredAt: string): CustomerCommand => ({ type: 'EvaluateCustomer', data: { customerId, occurredAt } }),
};

export const loyaltyCommands = {
  refund: (customerId: string, purchaseId: string, refundId: string, amount: number, occurredAt: string, reason = 'returned'): CustomerCommand => ({
    type: 'RefundPurchase',
    data: { customerId, purchaseId, refundId, amount, reason, occurredAt },
  }),
  redeem: (customerId: string, redemptionId: string, points: number, occurredAt: string, reason = 'voucher'): CustomerCommand => ({
    type: 'RedeemPoints',
    data: { customerId, redemptionId, points, reason, outletId: null, occurredAt },
  }),
  adjust: (customerId: string, adjustmentId: string, points: number, occurredAt: string, reason = 'goodwill'): CustomerCommand => ({
    type: 'AdjustPoints',
    data: { customerId, adjustmentId, points, reason, occurredAt },
  }),
  changeTier: (customerId: string, tier: 'standard' | 'silver' | 'gold', occurredAt: string, lockedUntil: string | null = null): CustomerCommand => ({
    type: 'ChangeTier',
    data: { customerId, tier, reason: 'by hand', lockedUntil, occurredAt },
  }),
};
