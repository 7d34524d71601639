/**
 * due_dates keeps a trimmed state (no personal data, no fingerprints, no purchases no due kind can
 * count again), so its documents stay the size of a customer's last year. Property: over random
 * histories of years, with late purchases, refunds, redemptions, complaints and evaluations, the
 * index's next due instant after every event (written, so settled) equals the one computed from
 * the full fold.
 */
import fc from 'fast-check';
import { dueDates, type DueDate } from '../../../projections/due-dates.projection';
import type { CustomerCommand } from '../../../src/customer/commands';
import { decide } from '../../../src/customer/decide';
import { nextDueAt } from '../../../src/customer/due';
import { DUE_KINDS } from '../../../src/customer/due-kinds';
import { DomainError } from '../../../src/customer/errors';
import type { CustomerEvent } from '../../../src/customer/events';
import { evolve, fold } from '../../../src/customer/evolve';
import { DAY_MS, toIso } from '../../../src/customer/time';
import { commands, loyaltyCommands } from '../../support/decider-spec';
import { asRecorded, written } from './project';

const C = 'c-1';
const START = Date.parse('2024-01-01T00:00:00.000Z');
const NOW = new Date('2040-01-01T00:00:00.000Z');

type Step = { kind: 'purchase' | 'refund' | 'redeem' | 'complaint' | 'evaluate'; days: number; late: boolean; amount: number; pick: number };

const step = fc.record({
  kind: fc.constantFrom('purchase', 'purchase', 'purchase', 'refund', 'redeem', 'complaint', 'evaluate'),
  // Mostly close together (customers reach loyal, purchases leave the window one by one), sometimes a long gap (at risk, churned).
  days: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 40 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 400 }), weight: 1 }),
  late: fc.boolean(),
  amount: fc.integer({ min: 1, max: 3_000_000 }),
  pick: fc.nat(),
}) as fc.Arbitrary<Step>;

function commandFor(s: Step, index: number, clock: number, purchaseIds: string[]): CustomerCommand {
  const at = toIso(s.late && s.kind !== 'evaluate' ? Math.max(START, clock - (s.days % 90) * DAY_MS) : clock + s.days * DAY_MS);
  switch (s.kind) {
    case 'purchase':
      return commands.purchase(C, `p${index}`, s.amount, at);
    case 'refund':
      return loyaltyCommands.refund(C, purchaseIds[s.pick % Math.max(1, purchaseIds.length)] ?? 'p-none', `r${index}`, 1 + (s.amount % 5000), at);
    case 'redeem':
      return loyaltyCommands.redeem(C, `d${index}`, 1 + (s.amount % 300), at);
    case 'complaint':
      return commands.fileComplaint(C, `k${index}`, at);
    case 'evaluate':
      return commands.evaluate(C, at);
  }
}

const iso = (at: number | null) => (at === null ? null : toIso(at));

describe('due_dates projection', () => {
  it('gives the same next due instant as the full state after every event, with old purchases dropped (property)', () => {
    let dropped = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 80 }), (steps) => {
        const stream: CustomerEvent[] = decide(commands.register(C, toIso(START)), fold([]), NOW);
        const live = fold(stream);
        const purchaseIds: string[] = [];
        steps.forEach((s, index) => {
          const command = commandFor(s, index, Date.parse(live.clock as string), purchaseIds);
          let events: CustomerEvent[];
          try {
            events = decide(command, live, NOW);
          } catch (error) {
            if (error instanceof DomainError) return;
            throw error;
          }
          for (const event of events) {
            stream.push(event);
            evolve(live, event);
            if (event.type === 'PurchaseRecorded') purchaseIds.push(event.data.purchaseId);
          }
        });
        let doc: DueDate | undefined;
        const full = fold([]);
        for (const event of asRecorded(stream)) {
          doc = written(dueDates, dueDates.apply(doc, event));
          evolve(full, event);
          expect(doc?.nextDueAt).toBe(iso(nextDueAt(DUE_KINDS, full)));
        }
        expect(doc?.state.purchases.length).toBeLessThanOrEqual(full.purchases.length);
        if ((doc?.state.purchases.length ?? 0) < full.purchases.length) dropped++;
      }),
      { numRuns: 200 },
    );
    // The property is only worth something if the histories were long enough to drop purchases.
    expect(dropped).toBeGreaterThan(10);
  });

  it('sets the next due instant when the document is written (settle), not after every event', () => {
    const stream: CustomerEvent[] = decide(commands.register(C, toIso(START)), fold([]), NOW);
    stream.push(...decide(commands.purchase(C, 'p-1', 5000, toIso(START + DAY_MS)), fold(stream), NOW));
    let applied: DueDate | undefined;
    for (const event of asRecorded(stream)) applied = dueDates.apply(applied, event);
    expect(applied?.nextDueAt).toBeNull();
    const due = iso(nextDueAt(DUE_KINDS, fold(stream)));
    expect(due).not.toBeNull();
    expect(written(dueDates, applied)?.nextDueAt).toBe(due);
  });

  it('keeps the purchases of the last year and the two latest before it', () => {
    const day = (n: number) => toIso(START + n * DAY_MS);
    const stream: CustomerEvent[] = decide(commands.register(C, day(0)), fold([]), NOW);
    const state = fold(stream);
    for (const [id, n] of [['old-1', 1], ['old-2', 2], ['old-3', 3], ['recent', 500], ['latest', 800]] as const) {
      const events = decide(commands.purchase(C, id, 1000, day(n)), state, NOW);
      for (const event of events) evolve(state, event);
      stream.push(...events);
    }
    let doc: DueDate | undefined;
    for (const event of asRecorded(stream)) doc = dueDates.apply(doc, event);
    expect(doc?.state.purchases.map((purchase) => purchase.purchaseId)).toEqual(['old-2', 'old-3', 'recent', 'latest']);
    expect(Object.keys(doc?.state.purchaseIndex ?? {})).toEqual(['old-2', 'old-3', 'recent', 'latest']);
  });
});
