/**
 * Properties over random histories with in-order and late facts: (a) nothing appended is dated
 * before an event already in the stream, except the late fact itself; (b) replaying the stream
 * gives the state the live path had; (c) evaluating twice appends nothing the second time.
 */
import fc from 'fast-check';
import type { CustomerCommand } from '../../../src/customer/commands';
import { decide } from '../../../src/customer/decide';
import { DomainError } from '../../../src/customer/errors';
import type { CustomerEvent } from '../../../src/customer/events';
import { evolve, fold } from '../../../src/customer/evolve';
import { DAY_MS, toIso } from '../../../src/customer/time';
import { commands } from '../../support/decider-spec';

const C = 'c-1';
const START = Date.parse('2025-01-01T00:00:00.000Z');
const NOW = new Date('2031-01-01T00:00:00.000Z');

type Step = { kind: 'purchase' | 'visit' | 'complaint' | 'evaluate'; days: number; late: boolean; amount: number };

const step = fc.record({
  kind: fc.constantFrom('purchase', 'purchase', 'visit', 'complaint', 'evaluate'),
  days: fc.integer({ min: 0, max: 120 }),
  late: fc.boolean(),
  amount: fc.integer({ min: 1, max: 2_000_000 }),
}) as fc.Arbitrary<Step>;

function commandFor(s: Step, index: number, clock: number): CustomerCommand {
  // A late fact lies up to 89 days behind the clock (inside LATE_ARRIVAL_MAX_DAYS); others move forward.
  const at = toIso(s.late && s.kind !== 'evaluate' ? Math.max(START, clock - (s.days % 90) * DAY_MS) : clock + s.days * DAY_MS);
  switch (s.kind) {
    case 'purchase':
      return commands.purchase(C, `p${index}`, s.amount, at);
    case 'visit':
      return commands.visit(C, `v${index}`, at);
    case 'complaint':
      return commands.fileComplaint(C, `k${index}`, at);
    case 'evaluate':
      return commands.evaluate(C, at);
  }
}

const OWN_FACTS = new Set(['PurchaseRecorded', 'CustomerVisited', 'ComplaintFiled']);

describe('late-arriving facts (property)', () => {
  it('never dates a consequence or due item before the history, replays to the live state, and evaluates once', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 800 }), (steps, evaluateAfterDays) => {
        const stream: CustomerEvent[] = decide(commands.register(C, toIso(START)), fold([]), NOW);
        const live = fold(stream);
        steps.forEach((s, index) => {
          const clock = Date.parse(live.clock as string);
          const command = commandFor(s, index, clock);
          let events: CustomerEvent[];
          try {
            events = decide(command, live, NOW);
          } catch (error) {
            if (error instanceof DomainError) return;
            throw error;
          }
          const latest = stream.reduce((max, e) => (e.data.occurredAt > max ? e.data.occurredAt : max), '');
          for (const event of events) {
            const isTheLateFact = OWN_FACTS.has(event.type) && event.data.occurredAt === command.data.occurredAt;
            if (!isTheLateFact) expect(event.data.occurredAt >= latest).toBe(true);
          }
          stream.push(...events);
          for (const event of events) evolve(live, event);
        });
        // (b) a replay of the stream from scratch is the state the live path holds.
        expect(fold(stream)).toEqual(live);
        // (c) evaluating twice at the same instant appends nothing the second time.
        const asOf = toIso(Date.parse(live.clock as string) + evaluateAfterDays * DAY_MS);
        const first = decide(commands.evaluate(C, asOf), live, NOW);
        const after = fold([...stream, ...first]);
        expect(decide(commands.evaluate(C, asOf), after, NOW)).toEqual([]);
        // Due items are in time order and none is dated after asOf.
        const times = first.map((e) => e.data.occurredAt);
        expect([...times].sort()).toEqual(times);
        for (const at of times) expect(at <= asOf).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
