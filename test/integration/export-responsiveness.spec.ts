/**
 * The whole-ledger export reads the log on a thread of its own (src/queries/export-thread.ts), and
 * the HTTP thread only writes its 256 KB chunks: the API keeps answering while a long export streams. Measured as /health answers
 * polled every 20 ms while a 200k-event export runs (the client shares the event loop, so a blocked
 * loop is a gap), counted in each quarter of the export rather than timed.
 */
import { join } from 'node:path';
import { copyHistory } from '../support/history-file';
import { newDataDir, startTestApp, type TestApp } from '../support/test-app';

const EVENTS = 200_000;
jest.setTimeout(240_000);

let t: TestApp;
afterAll(() => t?.destroy());

it('keeps answering /health in every quarter of a 200k-event export', async () => {
  const dataDir = newDataDir();
  const stored = await copyHistory(EVENTS, join(dataDir, 'events.sqlite'));
  t = await startTestApp(dataDir, { RUN_PROJECTIONS: 'false' });

  // Listening once, with keep-alive connections: supertest would listen and connect anew for each poll.
  await t.app.listen(0, '127.0.0.1');
  const base = await t.app.getUrl();

  let polling = true;
  const answeredAt: number[] = [];
  const poller = (async () => {
    while (polling) {
      const response = await fetch(`${base}/health`);
      await response.arrayBuffer();
      if (response.status === 200) answeredAt.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  const started = Date.now();
  const response = await fetch(`${base}/v1/events/export`, { headers: t.as('auditor') });
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
  }
  const ended = Date.now();
  polling = false;
  await poller;

  expect(response.status).toBe(200);
  expect(stored).toBeGreaterThanOrEqual(EVENTS);
  expect(lines).toBe(stored);
  const during = answeredAt.filter((at) => at >= started && at <= ended);
  expect(during.length).toBeGreaterThanOrEqual(5);
  const quarter = (ended - started) / 4;
  for (let q = 0; q < 4; q++) expect(during.some((at) => at >= started + q * quarter && at <= started + (q + 1) * quarter)).toBe(true);
});
