import { BatchEvaluation, EvaluationRunningError } from '../../src/evaluation/batch-evaluation';
/** The points ledger, manual tiers, expiry and batch evaluation over real HTTP. */
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(undefined, { EVALUATION_INTERVAL_MINUTES: '0' });
});
afterAll(() => t.destroy());

const post = (path: string, body: Record<string, unknown>, role: 'writer' | 'admin' = 'writer') => t.http().post(path).set(t.as(role)).send(body);
const loyalty = (customerId: string, position: string) => t.http().get(`/v1/customers/${customerId}/loyalty`).query({ waitForPosition: position }).set(t.as('analyst'));

/** A customer with one purchase of `amount` (CNY minor units) earning amount / 100 points at standard. */
async function customerWithPurchase(amount = 10000): Promise<{ customerId: string; purchaseId: string }> {
  const customerId = await registerCustomer(t);
  const purchaseId = uniqueId('p');
  const bought = await purchase(t, customerId, { purchaseId, amount });
  expect(bought.status).toBe(201);
  return { customerId, purchaseId };
}

describe('refunds', () => {
  it('reverses points in proportion (201), replays the same refund (200), refuses another body with the same id (409)', async () => {
    const { customerId, purchaseId } = await customerWithPurchase(10000);
    const path = `/v1/customers/${customerId}/purchases/${purchaseId}/refunds`;
    const body = { refundId: 'r1', amount: 2500, reason: 'damaged item returned' };
    const first = await post(path, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId, purchaseId, refundId: 'r1', pointsReversed: 25, unrecovered: 0, balance: 75 });
    const again = await post(path, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await post(path, { ...body, amount: 1000 });
    expect(other.status).toBe(409);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body.code).toBe('DUPLICATE_REFUND');
  });

  it('answers 404 PURCHASE_NOT_FOUND and 422 REFUND_EXCEEDS_PURCHASE', async () => {
    const { customerId, purchaseId } = await customerWithPurchase(10000);
    const missing = await post(`/v1/customers/${customerId}/purchases/p-nope/refunds`, { refundId: 'r1', amount: 100, reason: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PURCHASE_NOT_FOUND');
    const tooMuch = await post(`/v1/customers/${customerId}/purchases/${purchaseId}/refunds`, { refundId: 'r2', amount: 10001, reason: 'x' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('REFUND_EXCEEDS_PURCHASE');
  });

  it('counts points already spent as unrecovered', async () => {
    const { customerId, purchaseId } = await customerWithPurchase(10000);
    expect((await post(`/v1/customers/${customerId}/redemptions`, { redemptionId: 'rd1', points: 90, reason: 'voucher' })).status).toBe(201);
    const refund = await post(`/v1/customers/${customerId}/purchases/${purchaseId}/refunds`, { refundId: 'r1', amount: 10000, reason: 'returned' });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ pointsReversed: 10, unrecovered: 90, balance: 0 });
  });
});

describe('redemptions', () => {
  it('spends points (201 with balance), replays (200), refuses another body (409) and more than the balance (422 with available)', async () => {
    const { customerId } = await customerWithPurchase(10000);
    const path = `/v1/customers/${customerId}/redemptions`;
    const body = { redemptionId: 'rd1', points: 40, reason: 'voucher 50 CNY', outletId: 'outlet-7' };
    const first = await post(path, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId, balance: 60 });
    const again = await post(path, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await post(path, { ...body, points: 41 });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('DUPLICATE_REDEMPTION');
    const tooMany = await post(path, { redemptionId: 'rd2', points: 61, reason: 'voucher' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooMany.body).toMatchObject({ code: 'INSUFFICIENT_POINTS', available: 60 });
  });
});

describe('adjustments (administrators only)', () => {
  it('refuses a writer (403), adds and takes points, refuses below zero (422), a changed repeat (409), points 0 and a blank reason (400)', async () => {
    const { customerId } = await customerWithPurchase(10000);
    const path = `/v1/customers/${customerId}/points/adjustments`;
    const writer = await post(path, { adjustmentId: 'a1', points: 10, reason: 'goodwill' }, 'writer');
    expect(writer.status).toBe(403);
    const plus = await post(path, { adjustmentId: 'a1', points: 50, reason: 'goodwill after complaint k-17' }, 'admin');
    expect(plus.status).toBe(201);
    expect(plus.body).toMatchObject({ balance: 150 });
    const replay = await post(path, { adjustmentId: 'a1', points: 50, reason: 'goodwill after complaint k-17' }, 'admin');
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(plus.body);
    const minus = await post(path, { adjustmentId: 'a2', points: -30, reason: 'correction' }, 'admin');
    expect(minus.status).toBe(201);
    expect(minus.body).toMatchObject({ balance: 120 });
    const below = await post(path, { adjustmentId: 'a3', points: -121, reason: 'correction' }, 'admin');
    expect(below.status).toBe(422);
    expect(below.body).toMatchObject({ code: 'INSUFFICIENT_POINTS', available: 120 });
    const duplicate = await post(path, { adjustmentId: 'a1', points: 51, reason: 'goodwill after complaint k-17' }, 'admin');
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('DUPLICATE_ADJUSTMENT');
    for (const body of [{ adjustmentId: 'a4', points: 0, reason: 'nothing' }, { adjustmentId: 'a5', points: 5, reason: '   ' }]) {
      const bad = await post(path, body, 'admin');
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: body.points === 0 ? 'points' : 'reason' })]));
    }
  });
});

describe('manual tier with lockedUntil', () => {
  it('locks the tier against a spend upgrade; the same tier again is 200', async () => {
    const customerId = await registerCustomer(t);
    const lockedUntil = new Date(Date.now() + 200 * 86_400_000).toISOString();
    const change = await post(`/v1/customers/${customerId}/tier`, { tier: 'silver', reason: 'vip', lockedUntil });
    expect(change.status).toBe(201);
    expect(change.body).toMatchObject({ tier: 'silver' });
    const big = await purchase(t, customerId, { amount: 2_000_000 });
    expect(big.status).toBe(201);
    expect(big.body).toMatchObject({ tier: 'silver', pointsEarned: 25000 });
    const same = await post(`/v1/customers/${customerId}/tier`, { tier: 'silver', reason: 'vip', lockedUntil });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ tier: 'silver', revision: big.body.revision });
    const doc = await loyalty(customerId, big.body.position);
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ tier: 'silver', tierLockedUntil: lockedUntil, rollingSpend: 2_000_000 });
  });
});

describe('points expire a year later (a history in the past)', () => {
  it('evaluation with asOf a year after the purchase expires the lot; loyalty_balances shows lots, totals, review and spend', async () => {
    const year = 365 * 86_400_000;
    const start = Date.now() - 2 * year;
    const at = (ms: number) => new Date(ms).toISOString();
    const customerId = await registerCustomer(t, { occurredAt: at(start) });
    const first = await purchase(t, customerId, { purchaseId: 'p1', amount: 400_000, occurredAt: at(start + 60_000) });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ pointsEarned: 4000, tier: 'silver' });
    const second = await purchase(t, customerId, { purchaseId: 'p2', amount: 10_000, occurredAt: at(start + 100 * 86_400_000) });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ pointsEarned: 125 });
    const before = await loyalty(customerId, second.body.position);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      tier: 'silver',
      balance: 4125,
      lifetimeEarned: 4125,
      lifetimeExpired: 0,
      tierLockedUntil: null,
      nextReviewAt: at(start + 60_000 + year),
      rollingSpend: 410_000,
      lots: [
        { lotId: 'p1', remaining: 4000, expiresAt: at(start + 60_000 + year) },
        { lotId: 'p2', remaining: 125, expiresAt: at(start + 100 * 86_400_000 + year) },
      ],
    });

    const asOf = at(start + 60_000 + year + 86_400_000);
    const evaluated = await post(`/v1/customers/${customerId}/evaluation`, { asOf });
    expect(evaluated.status).toBe(201);
    expect(evaluated.body.appended).toEqual(expect.arrayContaining(['PointsExpired', 'TierChanged']));
    const after = await loyalty(customerId, evaluated.body.position);
    expect(after.body).toMatchObject({
      tier: 'standard',
      balance: 125,
      lifetimeEarned: 4125,
      lifetimeExpired: 4000,
      nextReviewAt: null,
      lots: [{ lotId: 'p2', remaining: 125, expiresAt: at(start + 100 * 86_400_000 + year) }],
      nextExpiryAt: at(start + 100 * 86_400_000 + year),
      nextExpiryPoints: 125,
    });
    // The anniversary review dropped the tier: only p2 (10 000) is inside the window.
    expect(after.body.rollingSpend).toBe(10_000);
    const again = await post(`/v1/customers/${customerId}/evaluation`, { asOf });
    expect(again.status).toBe(200);
    expect(again.body.appended).toEqual([]);
  });
});

describe('batch evaluation', () => {
  let b: TestApp;
  beforeAll(async () => {
    b = await startTestApp(undefined, { EVALUATION_INTERVAL_MINUTES: '0' });
  });
  afterAll(() => b.destroy());

  const start = (body: Record<string, unknown>, role: 'writer' | 'admin' = 'admin') => b.http().post('/v1/evaluations').set(b.as(role)).send(body);
  async function finished(evaluationId: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const response = await b.http().get(`/v1/evaluations/${evaluationId}`).set(b.as('admin'));
      expect(response.status).toBe(200);
      if (response.body.status !== 'running') return response.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`evaluation ${evaluationId} did not finish`);
  }

  it('evaluates the customers due (202, then completed with counts); the same asOf again changes nothing; 403 for a writer, 404 for an unknown id', async () => {
    const old = '2024-01-01T00:00:00.000Z';
    for (let i = 0; i < 3; i++) {
      const customerId = await registerCustomer(b, { occurredAt: old });
      expect((await purchase(b, customerId, { occurredAt: '2024-01-02T00:00:00.000Z' })).status).toBe(201);
    }
    // Registered in the future of asOf: nothing due for them.
    for (let i = 0; i < 2; i++) await registerCustomer(b, { occurredAt: '2025-06-01T00:00:00.000Z' });
    const asOf = '2025-03-01T00:00:00.000Z';

    expect((await start({ asOf }, 'writer')).status).toBe(403);
    const started = await start({ asOf });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ evaluationId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'running', asOf });
    const run = await finished(started.body.evaluationId);
    expect(run).toMatchObject({ status: 'completed', asOf, due: 3, evaluated: 3, changed: 3, failed: 0, finishedAt: expect.any(String) });

    const second = await start({ asOf });
    expect(second.status).toBe(202);
    const rerun = await finished(second.body.evaluationId);
    expect(rerun).toMatchObject({ status: 'completed', changed: 0, failed: 0 });
    expect(rerun.evaluated).toBe(rerun.due);

    const unknown = await b.http().get('/v1/evaluations/00000000-0000-4000-8000-000000000000').set(b.as('admin'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect((await b.http().get('/v1/evaluations/not-an-id').set(b.as('admin'))).status).toBe(404);

  });

  it('refuses a start while a run is under way with 409 EVALUATION_RUNNING', async () => {
    // Enough customers due that the first run is still evaluating when the second request arrives.
    for (let i = 0; i < 150; i++) {
      const customerId = await registerCustomer(b, { occurredAt: '2024-02-01T00:00:00.000Z' });
      expect((await purchase(b, customerId, { occurredAt: '2024-02-02T00:00:00.000Z' })).status).toBe(201);
    }
    const asOf = '2026-01-01T00:00:00.000Z';
    const first = await start({ asOf });
    expect(first.status).toBe(202);
    const second = await start({ asOf });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body.code).toBe('EVALUATION_RUNNING');
    const run = await finished(first.body.evaluationId);
    expect(run).toMatchObject({ status: 'completed', failed: 0 });
    expect(run.due).toBeGreaterThanOrEqual(150);
    expect(run.evaluated).toBe(run.due);
  });

  // start() claims the run before its first await: two starts in the same tick cannot both pass.
  it('refuses one of two starts made in the same tick (EvaluationRunningError, answered 409 EVALUATION_RUNNING)', async () => {
    const batch = t.app.get(BatchEvaluation);
    const asOf = '2026-02-01T00:00:00.000Z';
    const [first, second] = await Promise.allSettled([batch.start(asOf), batch.start(asOf)]);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && second.reason).toBeInstanceOf(EvaluationRunningError);
    await batch.settled();
  });
});
