/** The demo network generator: deterministic, varied, and made only of commands the domain accepts. */
import { demoEnd, demoHistory, type DemoAppend, type DemoStats } from '../../src/cli/demo/generator';
import { OUTLETS } from '../../src/cli/demo/network';

const END = Date.parse('2026-11-30T00:00:00.000Z');

function generate(customers: number, seed: number): { appends: DemoAppend[]; stats: DemoStats } {
  const stats: DemoStats = { commands: 0, events: 0, refused: {}, byKind: {} };
  return { appends: [...demoHistory({ customers, seed, end: END }, stats)], stats };
}

describe('demo history', () => {
  const { appends, stats } = generate(300, 11);
  const events = appends.flatMap((append) => append.events);
  const ofType = (type: string) => events.filter((event) => event.type === type).map((event) => event.data as Record<string, any>);

  it('is the same ledger for the same seed, another for another seed', () => {
    const heads = (list: DemoAppend[]) => list.map((append) => append.events[append.events.length - 1].metadata.hash);
    expect(heads(generate(40, 5).appends)).toEqual(heads(generate(40, 5).appends));
    expect(heads(generate(40, 6).appends)).not.toEqual(heads(generate(40, 5).appends));
  });

  it('is made of commands the domain accepts, chained per stream with expected revisions', () => {
    expect(stats.refused).toEqual({});
    expect(stats.events).toBe(events.length);
    const revisions = new Map<string, bigint | null>();
    for (const append of appends) {
      expect(append.expected).toBe(revisions.has(append.streamId) ? revisions.get(append.streamId) : null);
      revisions.set(append.streamId, (append.expected ?? -1n) + BigInt(append.events.length));
    }
    expect(revisions.size).toBe(300);
    // Business time runs forward across customers (the global log reads like the network's days).
    expect(appends.every((append, i) => i === 0 || append.at >= appends[i - 1].at)).toBe(true);
    expect(events.every((event) => event.metadata.occurredAt <= new Date(END).toISOString())).toBe(true);
  });

  it('looks like the network: outlets, Chinese and Latin names, contacts, currencies, complaints, tiers, stages', () => {
    const registered = ofType('CustomerRegistered');
    expect(registered.some((c) => /\p{Script=Han}/u.test(c.name))).toBe(true);
    expect(registered.some((c) => /^[A-Za-zÀ-ÿ]+ [A-Za-zÀ-ÿ]+$/.test(c.name))).toBe(true);
    expect(registered.every((c) => c.email !== null || c.phone !== null)).toBe(true);
    expect(registered.some((c) => /^\+86 1\d{2} \d{4} \d{4}$/.test(c.phone ?? ''))).toBe(true);
    const outlets = new Set(ofType('PurchaseRecorded').map((p) => p.outletId));
    expect(outlets.size).toBe(OUTLETS.length);
    const currencies = new Set(ofType('PurchaseRecorded').map((p) => p.currency));
    expect(currencies).toEqual(new Set(['CNY', 'JPY', 'USD']));
    expect(ofType('PurchaseRecorded').filter((p) => p.currency !== 'CNY').every((p) => /^\d+\.\d{4}$/.test(p.exchangeRate) && p.baseAmount > 0)).toBe(true);
    expect(ofType('ComplaintFiled').length).toBeGreaterThan(10);
    expect(ofType('ComplaintResolved').length).toBeGreaterThan(5);
    const tiers = ofType('TierChanged');
    expect(tiers.some((t) => t.trigger === 'spend')).toBe(true);
    expect(tiers.some((t) => t.trigger === 'manual')).toBe(true);
    expect(ofType('LifecycleStageChanged').some((s) => s.reason === 'inactivity')).toBe(true);
    // The complaint workflow, follow-ups, surveys, the points ledger and the profile, all accepted.
    for (const type of ['ComplaintAssigned', 'ComplaintEscalated', 'FollowUpScheduled', 'FollowUpCompleted', 'SurveyAnswered', 'PurchaseRefunded', 'PointsReversed', 'PointsRedeemed', 'CustomerProfileUpdated', 'ConsentChanged', 'CustomerReferred', 'ReferralQualified'])
      expect({ type, seen: ofType(type).length > 0 }).toEqual({ type, seen: true });
    expect(Object.keys(stats.byKind).sort()).toEqual(['assign-complaint', 'change-consent', 'change-tier', 'complete-follow-up', 'escalate-complaint', 'evaluate', 'file-complaint', 'purchase', 'redeem', 'refer', 'refund', 'register', 'resolve-complaint', 'survey', 'update-profile', 'visit']);
  });

  it('ends at a fixed day, or today when the clock is earlier', () => {
    expect(demoEnd(Date.parse('2030-01-01T00:00:00Z'))).toBe(END);
    expect(demoEnd(Date.parse('2025-06-01T15:00:00Z'))).toBe(Date.parse('2025-06-01T00:00:00Z'));
  });
});
