/**
 * Disk full under the real service: the data directory on a small tmpfs, filled by a filler file
 * while writers record purchases. Commands answer 503 STORE_UNAVAILABLE and write nothing (every
 * stream verifies, the events are exactly the acknowledged ones); once the filler is deleted,
 * writes succeed again without a restart, and the read models catch up with the history.
 * Needs root (mount): otherwise it says why in one line and checks nothing.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCaughtUp, auth, call, eventually, history, killAll, projections, sleep, startServer, type Server } from './crash-support';

jest.setTimeout(90_000);

/**
 * Not 4 MiB: the service alone needs more. SQLite checkpoints a WAL at 1000 pages, and the read
 * models' WAL reaches ~4 MiB within a few dozen purchases (every projection's pages and indexes per
 * batch), the event store's ~1 MiB, so a 4 MiB file system is full from the service's own writes and
 * deleting a filler would free nothing. At 16 MiB the filler decides when the disk is full.
 */
const TMPFS_SIZE = '16m';
const CUSTOMERS = 4;
const WRITERS = 8;
const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => `full-${i}`);

let mountPoint: string | undefined;
let mounted = false;
let skipReason: string | null = null;
let server: Server | undefined;

beforeAll(() => {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    skipReason = 'not root (mount -t tmpfs needs it)';
    return;
  }
  mountPoint = mkdtempSync(join(tmpdir(), 'ledger-crash-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', mountPoint], { stdio: 'pipe', timeout: 10_000 });
    mounted = true;
  } catch (error) {
    skipReason = `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0]}`;
  }
});

afterAll(async () => {
  await killAll();
  if (mounted && mountPoint) {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe', timeout: 10_000 });
    } catch {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe', timeout: 10_000 });
    }
  }
  if (mountPoint) rmSync(mountPoint, { recursive: true, force: true });
});

/** Writes zeros to `file` until the file system refuses (ENOSPC); returns the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  // The last bytes, smaller than a chunk.
  const small = openSync(file, 'a');
  try {
    for (;;) written += writeSync(small, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(small);
  }
  return written;
}

it('answers 503 STORE_UNAVAILABLE when the disk is full, writes nothing half, and writes again once space is freed', async () => {
  if (skipReason) {
    console.log(`disk-full crash test skipped: ${skipReason}`);
    return;
  }
  const started = Date.now();
  const dataDir = join(mountPoint!, 'data');
  server = await startServer(dataDir);
  const base = server.url;
  for (const [i, customerId] of customerIds.entries()) {
    const reply = await call(base, 'POST', '/v1/customers', { headers: { ...auth('writer'), 'Idempotency-Key': `register-${i}` }, body: { customerId, name: `Full ${i}`, email: `full${i}@example.com` } });
    expect([200, 201]).toContain(reply.status);
  }

  interface Sent {
    key: string;
    customerId: string;
    body: { purchaseId: string; amount: number; currency: string };
  }
  const acks = new Map<string, Sent & { status: number; response: any }>();
  /** Requests answered 503: not acknowledged, so they must not be in the history. */
  const refused = new Map<string, Sent>();
  const unexpected: string[] = [];
  let phase: 'before' | 'full' | 'freed' = 'before';
  const refusedIn = { before: 0, full: 0, freed: 0 };
  const ackedIn = { before: 0, full: 0, freed: 0 };
  let stop = false;
  let consecutive503 = 0;

  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    const customerId = customerIds[w % CUSTOMERS];
    for (let n = 0; !stop; n++) {
      const sent: Sent = { key: `full-purchase-${w}-${n}`, customerId, body: { purchaseId: `fp-${w}-${n}`, amount: 100 + ((w * 31 + n * 17) % 9000), currency: 'CNY' } };
      const at = phase;
      let reply;
      try {
        reply = await call(base, 'POST', `/v1/customers/${customerId}/purchases`, { headers: { ...auth('writer'), 'Idempotency-Key': sent.key }, body: sent.body });
      } catch (error) {
        unexpected.push(`${sent.key}: ${(error as Error).message}`);
        return;
      }
      if (reply.status === 200 || reply.status === 201) {
        acks.set(sent.key, { ...sent, status: reply.status, response: reply.body });
        ackedIn[at] += 1;
        consecutive503 = 0;
      } else if (reply.status === 503 && reply.body?.code === 'STORE_UNAVAILABLE') {
        refused.set(sent.key, sent);
        refusedIn[at] += 1;
        consecutive503 += 1;
        await sleep(20);
      } else {
        unexpected.push(`${sent.key} (${at}): ${reply.status} ${reply.text}`);
      }
    }
  });

  // Writing normally, until the WALs have grown to their working size (the read models' to its checkpoint).
  await eventually(async () => ackedIn.before, (count) => count >= 150, 20_000, 20);
  phase = 'full';
  const filler = join(mountPoint!, 'filler');
  const filled = fill(filler);
  // Until the writers have been refused for a while (the WAL may take a few commits to need a new page).
  const full = await eventually(async () => consecutive503, (count) => count >= 3 * WRITERS, 20_000, 20);
  await sleep(300);
  const ackedBeforeRead = [...acks.values()].map((ack) => ack.body.purchaseId);
  const historyWhileFull = new Map<string, any[]>();
  for (const customerId of customerIds) historyWhileFull.set(customerId, await history(base, customerId));
  expect(full).toBeGreaterThanOrEqual(3 * WRITERS);
  // A registration while full (its personal data needs a new data key in keys.sqlite) is refused the same way.
  const newcomer = { customerId: 'full-new', name: 'Newcomer', email: 'newcomer@example.com' };
  const registerWhileFull = await call(base, 'POST', '/v1/customers', { headers: { ...auth('writer'), 'Idempotency-Key': 'register-new' }, body: newcomer });
  expect({ status: registerWhileFull.status, code: registerWhileFull.body?.code }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' });

  phase = 'freed';
  rmSync(filler);
  const writesAgain = await eventually(async () => ackedIn.freed, (count) => count >= 5 * WRITERS, 20_000, 20);
  stop = true;
  await Promise.all(writers);
  console.log(
    `disk full: ${filled} filler bytes; acknowledged ${ackedIn.before} before, ${ackedIn.full} while filling/full, ${ackedIn.freed} after freeing; ` +
      `503 ${refusedIn.before}/${refusedIn.full}/${refusedIn.freed}; unexpected ${unexpected.length}`,
  );
  expect(unexpected.slice(0, 5)).toEqual([]);
  expect(refusedIn.full).toBeGreaterThan(0);
  expect(writesAgain).toBeGreaterThanOrEqual(5 * WRITERS);

  // Nothing half-written: while full, and at the end, the history holds exactly the acknowledged purchases.
  const check = async (label: string, streams: Map<string, any[]>) => {
    const recorded = new Map<string, number>();
    for (const events of streams.values()) {
      for (const event of events) if (event.type === 'PurchaseRecorded') recorded.set(event.data.purchaseId, (recorded.get(event.data.purchaseId) ?? 0) + 1);
      const revisions = events.map((event) => Number(event.revision));
      expect(revisions).toEqual(revisions.map((_, i) => i));
    }
    const duplicated = [...recorded].filter(([, count]) => count > 1);
    const refusedButRecorded = [...refused.values()].filter((sent) => recorded.has(sent.body.purchaseId)).map((sent) => sent.key);
    const acknowledgedButMissing = [...acks.values()].filter((ack) => !recorded.has(ack.body.purchaseId)).map((ack) => ack.key);
    console.log(`${label}: ${recorded.size} purchases recorded, ${duplicated.length} duplicated, ${refusedButRecorded.length} refused but recorded, ${acknowledgedButMissing.length} acknowledged but missing`);
    expect(duplicated).toEqual([]);
    expect(refusedButRecorded).toEqual([]);
    return { recorded, acknowledgedButMissing };
  };
  const whileFull = await check('while full', historyWhileFull);
  // Every purchase acknowledged before that read is in it.
  expect(ackedBeforeRead.filter((id) => !whileFull.recorded.has(id))).toEqual([]);

  const finalHistory = new Map<string, any[]>();
  for (const customerId of customerIds) finalHistory.set(customerId, await history(base, customerId));
  const { recorded, acknowledgedButMissing } = await check('after freeing', finalHistory);
  expect(acknowledgedButMissing).toEqual([]);
  expect(recorded.size).toBe(acks.size);
  for (const customerId of customerIds) {
    const verify = await call(base, 'GET', `/v1/customers/${customerId}/events/verify`, { headers: auth('auditor') });
    expect(verify.body).toMatchObject({ valid: true, events: finalHistory.get(customerId)!.length });
    // The stream ends with the last acknowledged command: nothing beyond what was answered.
    const last = Math.max(...[...acks.values()].filter((ack) => ack.customerId === customerId).map((ack) => Number(ack.response.revision)));
    expect(finalHistory.get(customerId)!.length - 1).toBe(last);
  }

  // A refused request sent again with its key is a new write now (nothing of it was kept), once.
  const retry = [...refused.values()][0];
  const first = await call(base, 'POST', `/v1/customers/${retry.customerId}/purchases`, { headers: { ...auth('writer'), 'Idempotency-Key': retry.key }, body: retry.body });
  expect(first.status).toBe(201);
  const second = await call(base, 'POST', `/v1/customers/${retry.customerId}/purchases`, { headers: { ...auth('writer'), 'Idempotency-Key': retry.key }, body: retry.body });
  expect(second.status).toBe(200);
  expect(second.body).toEqual(first.body);
  acks.set(retry.key, { ...retry, status: first.status, response: first.body });

  const registered = await call(base, 'POST', '/v1/customers', { headers: { ...auth('writer'), 'Idempotency-Key': 'register-new' }, body: newcomer });
  expect(registered.status).toBe(201);
  expect((await history(base, 'full-new')).map((event) => event.type)).toEqual(['CustomerRegistered']);

  // The projections got over the full disk by themselves: the profiles equal the history.
  expect(allCaughtUp(await eventually(() => projections(base), allCaughtUp, 30_000, 100))).toBe(true);
  for (const customerId of customerIds) {
    const mine = [...acks.values()].filter((ack) => ack.customerId === customerId);
    const reply = await call(base, 'GET', `/v1/customers/${customerId}`, { headers: auth('analyst') });
    expect(reply.body.stats).toMatchObject({ purchaseCount: mine.length, totalSpent: mine.reduce((sum, ack) => sum + ack.body.amount, 0) });
  }
  expect(server.child.exitCode).toBeNull();
  console.log(`disk full: whole test ${Date.now() - started} ms`);
});
