import type { CustomerEvent } from '../../../src/customer/events';
import { commands, given, History } from '../../support/decider-spec';

const C = 'c-1';
const registered = () => new History(C).register('2025-06-01T00:00:00.000Z');
const stageChanges = (events: CustomerEvent[]) => events.filter((e) => e.type === 'LifecycleStageChanged').map((e) => e.data);
const types = (events: CustomerEvent[]) => events.map((e) => e.type);

describe('lifecycle stage through purchases', () => {
  it('moves prospect -> new at the first purchase and new -> repeat at the second', () => {
    const first = registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z').events;
    expect(stageChanges(first)).toEqual([{ customerId: C, from: 'prospect', to: 'new', reason: 'purchase', occurredAt: '2026-01-01T00:00:00.000Z' }]);
    expect(stageChanges(given(first).when(commands.purchase(C, 'p2', 1000, '2026-02-01T00:00:00.000Z')).events())).toEqual([
      { customerId: C, from: 'new', to: 'repeat', reason: 'purchase', occurredAt: '2026-02-01T00:00:00.000Z' },
    ]);
  });

  it('makes the 4th purchase within 365 days loyal', () => {
    const three = registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z').purchase('p2', 1000, '2026-02-01T00:00:00.000Z').purchase('p3', 1000, '2026-03-01T00:00:00.000Z').events;
    expect(stageChanges(given(three).when(commands.purchase(C, 'p4', 1000, '2026-04-01T00:00:00.000Z')).events())).toEqual([
      { customerId: C, from: 'repeat', to: 'loyal', reason: 'purchase', occurredAt: '2026-04-01T00:00:00.000Z' },
    ]);
  });

  it('wins back an at-risk customer: the lapse is recorded at its instant, then won_back with the purchase', () => {
    const history = registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z').events;
    const events = given(history).when(commands.purchase(C, 'p2', 1000, '2026-04-15T00:00:00.000Z')).events();
    // Entering at_risk schedules a win-back follow-up (回访) in the same append.
    expect(types(events)).toEqual(['LifecycleStageChanged', 'FollowUpScheduled', 'PurchaseRecorded', 'PointsEarned', 'LifecycleStageChanged']);
    expect(stageChanges(events)).toEqual([
      { customerId: C, from: 'new', to: 'at_risk', reason: 'inactivity', occurredAt: '2026-04-01T00:00:00.000Z' },
      { customerId: C, from: 'at_risk', to: 'repeat', reason: 'won_back', occurredAt: '2026-04-15T00:00:00.000Z' },
    ]);
  });

  it('wins back a churned customer after recording both lapses', () => {
    const history = registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z').events;
    expect(stageChanges(given(history).when(commands.purchase(C, 'p2', 1000, '2026-08-01T00:00:00.000Z')).events())).toEqual([
      { customerId: C, from: 'new', to: 'at_risk', reason: 'inactivity', occurredAt: '2026-04-01T00:00:00.000Z' },
      { customerId: C, from: 'at_risk', to: 'churned', reason: 'inactivity', occurredAt: '2026-06-30T00:00:00.000Z' },
      { customerId: C, from: 'churned', to: 'repeat', reason: 'won_back', occurredAt: '2026-08-01T00:00:00.000Z' },
    ]);
  });
});

describe('EvaluateLifecycle (time-driven changes, with an explicit asOf)', () => {
  const bought = () => registered().purchase('p1', 1000, '2026-01-01T00:00:00.000Z');

  it('records nothing before 90 days without a purchase', () => {
    given(bought().events).when(commands.evaluate(C, '2026-03-31T23:59:59.999Z')).then([]);
  });

  it('records at_risk at exactly 90 days (a day boundary belongs to the later stage), with a win-back follow-up due at once', () => {
    given(bought().events).when(commands.evaluate(C, '2026-04-01T00:00:00.000Z')).then([
      { type: 'LifecycleStageChanged', data: { customerId: C, from: 'new', to: 'at_risk', reason: 'inactivity', occurredAt: '2026-04-01T00:00:00.000Z' } },
      {
        type: 'FollowUpScheduled',
        data: { customerId: C, followUpId: 'win-back-20260401000000', dueAt: '2026-04-01T00:00:00.000Z', reason: 'win_back', complaintId: null, assignee: null, occurredAt: '2026-04-01T00:00:00.000Z' },
      },
    ]);
  });

  it('records every change due, each at the instant it happened, and nothing when evaluated again', () => {
    const evaluated = bought().run(commands.evaluate(C, '2026-05-31T00:00:00.000Z'));
    expect(stageChanges(evaluated.events).map((c) => [c.to, c.occurredAt])).toEqual([
      ['new', '2026-01-01T00:00:00.000Z'],
      ['at_risk', '2026-04-01T00:00:00.000Z'],
    ]);
    given(evaluated.events).when(commands.evaluate(C, '2026-05-31T00:00:00.000Z')).then([]);
    expect(stageChanges(given(evaluated.events).when(commands.evaluate(C, '2026-05-31T00:00:00.000Z')).events())).toEqual([]);
    expect(stageChanges(given(bought().events).when(commands.evaluate(C, '2026-05-31T00:00:00.000Z')).events()).map((c) => c.to)).toEqual(['at_risk']);
  });

  it('records nothing for a prospect (no purchase yet)', () => {
    given(registered().events).when(commands.evaluate(C, '2026-05-31T00:00:00.000Z')).then([]);
  });

  it('drops loyal to repeat when purchases leave the 365-day window', () => {
    let history = registered();
    ['2025-06-10', '2025-06-20', '2025-06-30', '2025-07-10', '2026-04-01'].forEach((day, i) => (history = history.purchase(`p${i}`, 1000, `${day}T00:00:00.000Z`)));
    expect(stageChanges(history.events).at(-1)).toMatchObject({ to: 'loyal', reason: 'won_back' });
    // On 2026-06-10 the first purchase leaves the window (4 remain: still loyal), on 2026-06-20 the second (3 remain).
    // (Their points lots expire on the same days; this spec looks at the stage.)
    expect(stageChanges(given(history.events).when(commands.evaluate(C, '2026-06-25T00:00:00.000Z')).events())).toEqual([
      { customerId: C, from: 'loyal', to: 'repeat', reason: 'inactivity', occurredAt: '2026-06-20T00:00:00.000Z' },
    ]);
  });
});
