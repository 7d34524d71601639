/**
 * The whole-ledger export's thread (src/queries/export-thread.ts): it stops when the client goes
 * away mid-export, and a store it cannot open fails the request before any byte, leaving no thread.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { LedgerExportThreads } from '../../src/queries/export-thread';
import { copyHistory } from '../support/history-file';
import { newDataDir, startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(120_000);

let t: TestApp;
afterAll(() => t?.destroy());

async function until(condition: () => boolean, ms = 15_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 20))) if (condition()) return true;
  return condition();
}

it('stops the thread when the client closes the response after its first chunk', async () => {
  const dataDir = newDataDir();
  // Far more than the thread's four 256 KB slots: it must be waiting on the client when it goes.
  await copyHistory(50_000, join(dataDir, 'events.sqlite'));
  t = await startTestApp(dataDir, { RUN_PROJECTIONS: 'false' });
  await t.app.listen(0, '127.0.0.1');
  const threads = t.app.get(LedgerExportThreads);

  const abort = new AbortController();
  const response = await fetch(`${await t.app.getUrl()}/v1/events/export`, { headers: t.as('auditor'), signal: abort.signal });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  expect(Buffer.from(first.value as Uint8Array).toString().split('\n')[0]).toMatch(/^\{"position":/);
  expect(threads.running).toBe(1);

  abort.abort();
  await reader.cancel().catch(() => undefined);
  expect(await until(() => threads.running === 0)).toBe(true);
  // Stopped by the client's going: had it read on, its four slots freed by the dead socket, it would have ended done.
  expect(threads.ended).toEqual({ done: 0, stopped: 1, failed: 0 });

  // The service exports again, whole, afterwards.
  const again = await fetch(`${await t.app.getUrl()}/v1/events/export?types=CustomerRegistered`, { headers: t.as('auditor') });
  const lines = (await again.text()).split('\n').filter(Boolean);
  expect(again.status).toBe(200);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((line) => JSON.parse(line).type === 'CustomerRegistered')).toBe(true);
  expect(await until(() => threads.running === 0)).toBe(true);
  expect(threads.ended).toEqual({ done: 1, stopped: 1, failed: 0 });
});

it('fails the start when the thread cannot open the store, and leaves no thread', async () => {
  // events.sqlite is a directory: SQLite cannot open it.
  const dataDir = newDataDir();
  mkdirSync(join(dataDir, 'events.sqlite'));
  const threads = new LedgerExportThreads(loadConfig({ DATA_DIR: dataDir, API_KEYS: 'k:auditor:auditor-secret-0001' }));
  await expect(threads.start({})).rejects.toThrow();
  expect(await until(() => threads.running === 0)).toBe(true);
  expect(threads.ended).toEqual({ done: 0, stopped: 0, failed: 1 });
});
