/**
 * Properties of care over random histories (complaints filed, assigned, escalated, resolved,
 * reopened, late or in order, evaluations in between): replay gives the live state; nothing is
 * dated before the history but a command's own fact; a breach only ever hits a complaint open and
 * not yet breached in its opening; at most one scheduled automatic follow-up per complaint and one
 * win-back; evaluating twice appends nothing the second time.
 */
import fc from 'fast-check';
import type { CustomerCommand } from '../../../src/customer/commands';
import { decide } from '../../../src/customer/decide';
import { DomainError } from '../../../src/customer/errors';
import type { ComplaintSeverity, CustomerEvent } from '../../../src/customer/events';
import { evolve, fold } from '../../../src/customer/evolve';
import { HOUR_MS, toIso } from '../../../src/customer/time';
import { commands } from '../../support/decider-spec';

const C = 'c-1';
const START = Date.parse('2025-01-01T00:00:00.000Z');
const NOW = new Date('2031-01-01T00:00:00.000Z');
const SEVERITIES: ComplaintSeverity[] = ['low', 'normal', 'high', 'urgent'];

type Step = { kind: 'file' | 'assign' | 'escalate' | 'resolve' | 'reopen' | 'evaluate' | 'purchase'; hours: number; late: boolean; complaint: number; severity: number };

const step = fc.record({
  kind: fc.constantFrom('file', 'file', 'assign', 'escalate', 'resolve', 'resolve', 'reopen', 'evaluate', 'purchase'),
  hours: fc.integer({ min: 0, max: 24 * 20 }),
  late: fc.boolean(),
  complaint: fc.integer({ min: 0, max: 4 }),
  severity: fc.integer({ min: 0, max: 3 }),
}) as fc.Arbitrary<Step>;

const OWN_FACTS = new Set(['ComplaintFiled', 'ComplaintResolved', 'ComplaintAssigned', 'ComplaintEscalated', 'ComplaintReopened', 'PurchaseRecorded']);

function commandFor(s: Step, index: number, clock: number): CustomerCommand {
  const at = toIso(s.late && s.kind !== 'evaluate' ? Math.max(START, clock - (s.hours % (24 * 60)) * HOUR_MS) : clock + s.hours * HOUR_MS);
  const complaintId = `k${s.complaint}`;
  const severity = SEVERITIES[s.severity];
  switch (s.kind) {
    case 'file':
      return { type: 'FileComplaint', data: { customerId: C, complaintId, channel: 'phone', category: 'billing', severity, description: 'x', outletId: null, occurredAt: at } };
    case 'assign':
      return { type: 'AssignComplaint', data: { customerId: C, complaintId, assignee: `agent-${index % 3}`, occurredAt: at } };
    case 'escalate':
      return { type: 'EscalateComplaint', data: { customerId: C, complaintId, reason: 'r', severity: s.severity % 2 === 0 ? null : severity, occurredAt: at } };
    case 'resolve':
      return commands.resolveComplaint(C, complaintId, at, { resolution: `r${index}` });
    case 'reopen':
      return { type: 'ReopenComplaint', data: { customerId: C, complaintId, reason: 'again', occurredAt: at } };
    case 'purchase':
      return commands.purchase(C, `p${index}`, 1000, at);
    case 'evaluate':
      return commands.evaluate(C, at);
  }
}

/** Checks each appended event against the state just before it. */
function checkInvariants(state: ReturnType<typeof fold>, event: CustomerEvent): void {
  if (event.type === 'ComplaintSlaBreached') {
    const complaint = state.care.complaints[event.data.complaintId];
    expect(complaint).toBeDefined();
    expect(complaint.status).not.toBe('resolved');
    expect(complaint.breached).toBe(false);
    expect(event.data.occurredAt >= complaint.dueAt).toBe(true);
  }
  if (event.type === 'FollowUpScheduled') {
    const open = Object.values(state.care.followUps).filter((f) => f.status === 'scheduled');
    if (event.data.reason === 'complaint') expect(open.some((f) => f.complaintId === event.data.complaintId)).toBe(false);
    if (event.data.reason === 'win_back') expect(open.some((f) => f.reason === 'win_back')).toBe(false);
    expect(state.care.followUps[event.data.followUpId]).toBeUndefined();
  }
}

describe('care over random histories (property)', () => {
  it('breaches once per opening and only open complaints, never duplicates automatic follow-ups, replays to the live state and evaluates once', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 400 }), (steps, evaluateAfterDays) => {
        const stream: CustomerEvent[] = decide(commands.register(C, toIso(START)), fold([]), NOW);
        const live = fold(stream);
        steps.forEach((s, index) => {
          const command = commandFor(s, index, Date.parse(live.clock as string));
          let events: CustomerEvent[];
          try {
            events = decide(command, live, NOW);
          } catch (error) {
            if (error instanceof DomainError) return;
            throw error;
          }
          const latest = stream.reduce((max, e) => (e.data.occurredAt > max ? e.data.occurredAt : max), '');
          for (const event of events) {
            const own = OWN_FACTS.has(event.type) && event.data.occurredAt === command.data.occurredAt;
            if (!own) expect(event.data.occurredAt >= latest).toBe(true);
            checkInvariants(live, event);
            evolve(live, event);
          }
          stream.push(...events);
        });
        expect(fold(stream)).toEqual(live);
        const asOf = toIso(Date.parse(live.clock as string) + evaluateAfterDays * 24 * HOUR_MS);
        const first = decide(commands.evaluate(C, asOf), live, NOW);
        const after = fold(stream);
        for (const event of first) {
          checkInvariants(after, event);
          evolve(after, event);
        }
        expect(decide(commands.evaluate(C, asOf), after, NOW)).toEqual([]);
        // Every complaint open at asOf has breached by then.
        for (const complaint of Object.values(after.care.complaints)) if (complaint.status !== 'resolved' && complaint.dueAt <= asOf) expect(complaint.breached).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
