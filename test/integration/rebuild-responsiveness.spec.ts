/**
 * A rebuild over a long history must leave the API answering: on the projection thread, or on the
 * HTTP thread in slices that yield to the event loop. Measured as the longest gap between /health answers polled every
 * 20 ms while the rebuild runs (supertest shares the event loop, so a blocked loop is a gap).
 */
import { join } from 'node:path';
import { copyHistory } from '../support/history-file';
import { newDataDir, startTestApp, type TestApp } from '../support/test-app';

const EVENTS = 200_000;
jest.setTimeout(240_000);

let t: TestApp;
afterEach(() => t?.destroy());

interface Listed {
  name: string;
  collection: string;
  status: string;
  lag: number;
  progress?: { applied: number; total: number; percent: number };
}

async function list(): Promise<Listed[]> {
  return (await t.http().get('/v1/projections').set(t.as('admin'))).body as Listed[];
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The projections on their own thread (the default), and on the HTTP thread in slices that yield.
it.each([['on the projection thread', 'true'], ['on the HTTP thread', 'false']])('keeps answering /health every 20 ms while a 200k-event rebuild runs %s', async (_where, thread) => {
  const dataDir = newDataDir();
  const stored = await copyHistory(EVENTS, join(dataDir, 'events.sqlite'));
  expect(stored).toBeGreaterThanOrEqual(EVENTS);
  t = await startTestApp(dataDir, { PROJECTIONS_THREAD: thread });
  await until(async () => (await list()).every((p) => p.lag === 0 && p.status === 'running'), 180_000);
  const before = (await list()).find((p) => p.name === 'loyalty_balances')!.collection;

  let polling = true;
  const answeredAt: number[] = [];
  const started = Date.now();
  const poller = (async () => {
    while (polling) {
      const response = await t.http().get('/health');
      if (response.status === 200) answeredAt.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  expect((await t.http().post('/v1/projections/loyalty_balances/rebuild').set(t.as('admin'))).status).toBe(202);
  const rebuilding = (await list()).find((p) => p.name === 'loyalty_balances' && p.status === 'rebuilding');
  expect(rebuilding).toMatchObject({ collection: expect.stringMatching(/_v2$/), progress: { total: stored, applied: expect.any(Number), percent: expect.any(Number) } });
  expect(rebuilding!.progress!.percent).toBeLessThan(100);
  await until(async () => {
    const states = await list();
    return states.filter((p) => p.name === 'loyalty_balances').length === 1 && states.find((p) => p.name === 'loyalty_balances')!.collection !== before;
  }, 180_000);
  const ended = Date.now();
  polling = false;
  await poller;

  // Counted, not timed: before, the rebuild blocked the loop throughout (2 answers, both at its ends);
  // now /health answers in every quarter of the rebuild.
  const during = answeredAt.filter((at) => at <= ended);
  expect(during.length).toBeGreaterThanOrEqual(5);
  const quarter = (ended - started) / 4;
  for (let q = 0; q < 4; q++) expect(during.some((at) => at >= started + q * quarter && at <= started + (q + 1) * quarter)).toBe(true);
});
