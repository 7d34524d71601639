import { customerLifecycle } from '../../../projections/customer-lifecycle.projection';
import { purchased, registered, stageChanged } from './fixtures';
import { asRecorded, project } from './project';

describe('customer_lifecycle projection', () => {
  it('is a prospect with no dates before any purchase', () => {
    expect(project(customerLifecycle, asRecorded([registered()]))).toMatchObject({
      stage: 'prospect', stageSince: '2026-01-01T00:00:00.000Z', previousStage: null, purchaseCount: 0, purchasesLast365Days: 0, lastPurchaseAt: null, atRiskFrom: null, churnedFrom: null, history: [],
    });
  });

  it('records the stage history and the dates at which the stage would change', () => {
    const doc = project(
      customerLifecycle,
      asRecorded([
        registered(),
        purchased('p1', 100, '2026-01-10T00:00:00.000Z'),
        stageChanged('prospect', 'new', '2026-01-10T00:00:00.000Z'),
        purchased('p2', 100, '2026-02-10T00:00:00.000Z'),
        stageChanged('new', 'repeat', '2026-02-10T00:00:00.000Z'),
      ]),
    );
    expect(doc).toMatchObject({
      stage: 'repeat',
      stageSince: '2026-02-10T00:00:00.000Z',
      previousStage: 'new',
      purchaseCount: 2,
      purchasesLast365Days: 2,
      lastPurchaseAt: '2026-02-10T00:00:00.000Z',
      atRiskFrom: '2026-05-11T00:00:00.000Z',
      churnedFrom: '2026-08-09T00:00:00.000Z',
      history: [
        { from: 'prospect', to: 'new', at: '2026-01-10T00:00:00.000Z', reason: 'purchase' },
        { from: 'new', to: 'repeat', at: '2026-02-10T00:00:00.000Z', reason: 'purchase' },
      ],
    });
  });

  it('counts only the purchases of the 365 days up to the latest one', () => {
    const doc = project(customerLifecycle, asRecorded([registered('2024-01-01T00:00:00.000Z'), purchased('p1', 1, '2024-02-01T00:00:00.000Z'), purchased('p2', 1, '2025-06-01T00:00:00.000Z'), purchased('p3', 1, '2025-07-01T00:00:00.000Z')]));
    expect(doc).toMatchObject({ purchaseCount: 3, purchasesLast365Days: 2 });
  });

  it('records a win-back with its reason', () => {
    const doc = project(customerLifecycle, asRecorded([registered(), stageChanged('repeat', 'at_risk', '2026-05-01T00:00:00.000Z', 'inactivity'), stageChanged('at_risk', 'repeat', '2026-05-10T00:00:00.000Z', 'won_back')]));
    expect(doc?.history.map((h) => h.reason)).toEqual(['inactivity', 'won_back']);
    expect(doc).toMatchObject({ stage: 'repeat', previousStage: 'at_risk' });
  });

  it('says which instant its counts hold for, and recounts the loyalty window when time alone changes the stage', () => {
    const doc = project(
      customerLifecycle,
      asRecorded([
        registered(),
        purchased('p1', 100, '2026-01-10T00:00:00.000Z'),
        purchased('p2', 100, '2026-03-10T00:00:00.000Z'),
        stageChanged('repeat', 'at_risk', '2026-06-08T00:00:00.000Z', 'inactivity'),
        stageChanged('at_risk', 'churned', '2027-01-15T00:00:00.000Z', 'inactivity'),
      ]),
    );
    // On 15 Jan 2027 the purchase of 10 Jan 2026 has left the 365-day window; the one of 10 Mar has not.
    expect(doc).toMatchObject({ asOf: '2027-01-15T00:00:00.000Z', purchaseCount: 2, purchasesLast365Days: 1, stage: 'churned' });
  });
});
