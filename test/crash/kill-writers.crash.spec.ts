/**
 * kill -9 of the real service under 16 concurrent writers. Each purchase carries an
 * Idempotency-Key; a writer keeps what was acknowledged (a 2xx) and, after the restart, sends every
 * unacknowledged request again with the same key and body. Three kills at random moments on the
 * same data directory; then: nothing acknowledged is lost, nothing is recorded twice, a re-sent
 * request answers its first acknowledgement, every hash chain verifies, and the read models equal
 * the history and a clean rebuild.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledger } from '../support/cli';
import { API_KEYS, allCaughtUp, auth, call, eventually, history, killAll, projections, sleep, startServer, type Server } from './crash-support';

jest.setTimeout(110_000);

const WRITERS = 16;
const CUSTOMERS = 8;
const KILLS = 3;
/** A request still not acknowledged after this long fails the test (it would be stuck). */
const REQUEST_DEADLINE_MS = 45_000;

interface Ack {
  key: string;
  customerId: string;
  body: { purchaseId: string; amount: number; currency: string };
  status: number;
  response: any;
  /** Attempts that failed (connection refused or reset, 503) before the acknowledgement. */
  failedAttempts: number;
}

let dataDir: string;
let server: Server | undefined;
afterAll(async () => {
  await killAll();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => `crash-${i}`);

it('loses and duplicates nothing acknowledged across three kill -9 under 16 writers', async () => {
  const started = Date.now();
  dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-writers-'));
  server = await startServer(dataDir);
  let base = server.url;

  for (const [i, customerId] of customerIds.entries()) {
    const reply = await call(base, 'POST', '/v1/customers', { headers: { ...auth('writer'), 'Idempotency-Key': `register-${i}` }, body: { customerId, name: `Crash ${i}`, email: `crash${i}@example.com` } });
    expect([200, 201]).toContain(reply.status);
  }

  const acks = new Map<string, Ack>();
  const unexpected: string[] = [];
  let stop = false;
  let attemptsTotal = 0;
  let connectionFailures = 0;
  let unavailable = 0;

  async function send(customerId: string, key: string, body: Ack['body']): Promise<void> {
    const deadline = Date.now() + REQUEST_DEADLINE_MS;
    let failedAttempts = 0;
    for (;;) {
      if (Date.now() > deadline) {
        unexpected.push(`${key}: not acknowledged within ${REQUEST_DEADLINE_MS} ms`);
        return;
      }
      attemptsTotal += 1;
      let reply;
      try {
        reply = await call(base, 'POST', `/v1/customers/${customerId}/purchases`, { headers: { ...auth('writer'), 'Idempotency-Key': key }, body, timeoutMs: 10_000 });
      } catch {
        connectionFailures += 1;
        failedAttempts += 1;
        await sleep(50); // the service is restarting: leave it the CPU
        continue;
      }
      if (reply.status === 200 || reply.status === 201) {
        acks.set(key, { key, customerId, body, status: reply.status, response: reply.body, failedAttempts });
        return;
      }
      if (reply.status === 503 || (reply.status === 409 && reply.body?.code === 'CONCURRENCY_CONFLICT')) {
        unavailable += 1;
        failedAttempts += 1;
        await sleep(25);
        continue;
      }
      unexpected.push(`${key}: ${reply.status} ${reply.text}`);
      return;
    }
  }

  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    const customerId = customerIds[w % CUSTOMERS];
    for (let n = 0; !stop; n++) {
      const key = `purchase-${w}-${n}`;
      await send(customerId, key, { purchaseId: `p-${w}-${n}`, amount: 100 + ((w * 7919 + n * 104729) % 50_000), currency: 'CNY' });
    }
  });

  const kills: { afterMs: number; acknowledgedBefore: number }[] = [];
  for (let k = 0; k < KILLS; k++) {
    const afterMs = 400 + Math.floor(Math.random() * 1200);
    await sleep(afterMs);
    kills.push({ afterMs, acknowledgedBefore: acks.size });
    const { signal } = await (async () => {
      await server!.kill9();
      return server!.exited;
    })();
    expect(signal).toBe('SIGKILL');
    server = await startServer(dataDir);
    base = server.url;
  }
  await sleep(1000);
  stop = true;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(writers), new Promise<void>((resolve) => (timer = setTimeout(() => resolve(void unexpected.push('writers did not finish')), REQUEST_DEADLINE_MS + 5000)))]);
  clearTimeout(timer);
  const writingMs = Date.now() - started;
  expect(unexpected).toEqual([]);

  // The history: every acknowledged purchase exactly once, nothing else.
  const recorded = new Map<string, number>();
  const perCustomer = new Map<string, { count: number; spent: number }>();
  for (const customerId of customerIds) {
    const events = await history(base, customerId);
    const purchases = events.filter((event) => event.type === 'PurchaseRecorded');
    for (const event of purchases) recorded.set(event.data.purchaseId, (recorded.get(event.data.purchaseId) ?? 0) + 1);
    perCustomer.set(customerId, { count: purchases.length, spent: purchases.reduce((sum, event) => sum + Number(event.data.baseAmount ?? event.data.amount), 0) });
    const verify = await call(base, 'GET', `/v1/customers/${customerId}/events/verify`, { headers: auth('auditor') });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ valid: true, events: events.length });
  }
  const acknowledged = [...acks.values()];
  const lost = acknowledged.filter((ack) => !recorded.has(ack.body.purchaseId)).map((ack) => ack.key);
  const duplicated = [...recorded].filter(([, count]) => count > 1).map(([id]) => id);
  const unacknowledgedButRecorded = [...recorded.keys()].filter((id) => !acknowledged.some((ack) => ack.body.purchaseId === id));
  const retried = acknowledged.filter((ack) => ack.failedAttempts > 0);
  const replayedOnRetry = retried.filter((ack) => ack.status === 200);

  // Every request sent again (same key, same body) answers its first acknowledgement.
  const mismatches: string[] = [];
  const queue = [...acknowledged];
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let ack = queue.pop(); ack; ack = queue.pop()) {
        const reply = await call(base, 'POST', `/v1/customers/${ack.customerId}/purchases`, { headers: { ...auth('writer'), 'Idempotency-Key': ack.key }, body: ack.body });
        if (reply.status !== 200 || JSON.stringify(reply.body) !== JSON.stringify(ack.response)) mismatches.push(`${ack.key}: ${reply.status} ${reply.text} (first: ${JSON.stringify(ack.response)})`);
      }
    }),
  );

  console.log(
    `kill -9 under ${WRITERS} writers: ${KILLS} kills (after ${kills.map((k) => `${k.afterMs} ms/${k.acknowledgedBefore} acks`).join(', ')}), ` +
      `${acknowledged.length} acknowledged, ${lost.length} lost, ${duplicated.length} duplicated, ${retried.length} acknowledged after a failed attempt ` +
      `(${replayedOnRetry.length} of them replays of a write the crash had left unanswered), ${attemptsTotal} attempts, ${connectionFailures} connection failures, ${unavailable} 503/409, ` +
      `${mismatches.length} re-sent mismatches; writing took ${writingMs} ms`,
  );
  expect(acknowledged.length).toBeGreaterThan(100);
  expect(lost).toEqual([]);
  expect(duplicated).toEqual([]);
  expect(unacknowledgedButRecorded).toEqual([]);
  expect(mismatches.slice(0, 5)).toEqual([]);

  // The read models: caught up, they equal the history, and a clean rebuild gives the same.
  const profiles = async () => {
    const result = new Map<string, { count: number; spent: number }>();
    for (const customerId of customerIds) {
      const reply = await call(base, 'GET', `/v1/customers/${customerId}`, { headers: auth('analyst') });
      expect(reply.status).toBe(200);
      result.set(customerId, { count: reply.body.stats.purchaseCount, spent: reply.body.stats.totalSpent });
    }
    return result;
  };
  expect(allCaughtUp(await eventually(() => projections(base), allCaughtUp, 20_000))).toBe(true);
  expect(await profiles()).toEqual(perCustomer);

  const rebuild = await call(base, 'POST', '/v1/projections/customer_profiles/rebuild', { headers: auth('admin') });
  expect(rebuild.status).toBe(202);
  const done = (states: any[]) => allCaughtUp(states) && states.some((p) => p.name === 'customer_profiles' && p.collection === rebuild.body.collection);
  expect(done(await eventually(() => projections(base), done, 20_000))).toBe(true);
  expect(await profiles()).toEqual(perCustomer);

  // A last kill, and the operators' check of the files the crashes left: every stream verifies.
  await server.kill9();
  const verified = await ledger(['verify', '--json'], { dataDir, env: { API_KEYS } });
  expect(verified.code).toBe(0);
  expect(verified.json()).toMatchObject({ ok: true, streams: CUSTOMERS, invalidStreams: 0 });
  console.log(`kill -9 under writers: whole test ${Date.now() - started} ms`);
});
