/** GET /health/live and /health/ready: what each check says, how fast it answers, and a full disk told truthfully. */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionThread } from '../../src/projection-engine/projection-thread';
import { Projections } from '../../src/projection-engine/projections';
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, type TestApp } from '../support/test-app';

const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('GET /health/live and /health/ready on healthy stores', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('answers live 200 and ready 200 with every check ok, without a key', async () => {
    const live = await t.http().get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const customerId = await registerCustomer(t);
    expect((await purchase(t, customerId)).status).toBe(201);
    const ready = await eventually(() => t.http().get('/health/ready'), (r) => r.status === 200);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { eventStore: { ok: true }, readStore: { ok: true }, keyStore: { ok: true }, projections: { ok: true } } });
    const health = await t.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', eventStore: 'up', readStore: 'up', keyStore: 'up', projections: expect.any(Array) });
  });

  it('leaves the event log alone: probes write no events', async () => {
    const before = (await t.http().get('/v1/projections').set(t.as('admin'))).body;
    for (let i = 0; i < 5; i += 1) await t.http().get('/health/ready');
    const after = (await t.http().get('/v1/projections').set(t.as('admin'))).body;
    expect(JSON.stringify(after)).toContain('position');
    const positions = (body: unknown) => JSON.stringify(body).match(/"position":"[^"]*"/g);
    expect(positions(after)).toEqual(positions(before));
  });
});

describe('GET /health/ready with a failed projection, or one too far behind', () => {
  let t: TestApp;
  beforeAll(async () => {
    // On the HTTP thread, so the test can stop the engine and leave the log running ahead of it.
    t = await startTestApp(undefined, { READY_MAX_LAG: '2', PROJECTIONS_THREAD: 'false' });
  });
  afterAll(() => t.destroy());

  it('answers 503 naming the projection that lags past READY_MAX_LAG', async () => {
    const engine = t.app.get(Projections);
    const customerId = await registerCustomer(t);
    await eventually(() => t.http().get('/health/ready'), (r) => r.status === 200);
    await engine.stop();
    for (let i = 0; i < 4; i += 1) expect((await purchase(t, customerId)).status).toBe(201);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', checks: { eventStore: { ok: true }, readStore: { ok: true }, keyStore: { ok: true }, projections: { ok: false, reason: expect.stringMatching(/purchases is \d+ events behind \(READY_MAX_LAG 2\)/) } } });
    // /health keeps its shape and its rule: projections are reported, the stores are up.
    expect((await t.http().get('/health')).status).toBe(200);
  });
});

describe('GET /health/ready with a failed projection', () => {
  let t: TestApp;
  beforeAll(async () => {
    // On the HTTP thread, so the test can mark a runner failed as the track would.
    t = await startTestApp(undefined, { PROJECTIONS_THREAD: 'false' });
  });
  afterAll(() => t.destroy());

  it('answers 503 with the failure as the reason; /health reports it and stays 200', async () => {
    const engine = t.app.get(Projections);
    await eventually(() => t.http().get('/health/ready'), (r) => r.status === 200);
    // A definition that throws marks its runner failed (projection-track.ts, guarded); the real
    // definitions do not throw, so the runner is marked as the track would.
    const runner = (engine as unknown as { runners: Map<string, { status: string; error: string | null }> }).runners.get('purchases')!;
    runner.status = 'failed';
    runner.error = 'purchases failed on PurchaseRecorded at customer-x@3: boom';
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.projections).toEqual({ ok: false, reason: expect.stringContaining('purchases failed: purchases failed on PurchaseRecorded') });
    expect(ready.body.checks.eventStore).toEqual({ ok: true });
    const health = await t.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body.projections).toContainEqual(expect.objectContaining({ name: 'purchases', status: 'failed' }));
  });
});

describe('GET /health/ready when the projection thread is gone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.destroy());

  it('answers 503 with the reason, /health and GET /v1/projections report every projection failed, and commands still work', async () => {
    const projections = t.app.get(Projections);
    expect(projections).toBeInstanceOf(ProjectionThread);
    await eventually(() => t.http().get('/health/ready'), (r) => r.status === 200);
    await (projections as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const ready = await eventually(() => t.http().get('/health/ready'), (r) => r.status === 503);
    expect(ready.body.checks.projections).toEqual({ ok: false, reason: expect.stringContaining('the projection thread stopped') });
    const health = await t.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body.projections).toContainEqual(expect.objectContaining({ name: 'purchases', status: 'failed' }));
    const listed = await t.http().get('/v1/projections').set(t.as('admin'));
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(expect.objectContaining({ name: 'customer_profiles', status: 'failed', error: expect.stringContaining('the projection thread stopped') }));
    await registerCustomer(t);
  });
});

describe('GET /health/ready with the read store unreachable (READ_STORE=mongodb, nothing on port 9)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { READ_STORE: 'mongodb', MONGO_URL: 'mongodb://127.0.0.1:9/ledger' });
  });
  afterAll(() => t.destroy());

  it('answers 503 within 1 s, naming the read store and the key store; live stays 200', async () => {
    const started = Date.now();
    const ready = await t.http().get('/health/ready');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      checks: { eventStore: { ok: true }, readStore: { ok: false, reason: expect.any(String) }, keyStore: { ok: false, reason: expect.any(String) }, projections: { ok: false, reason: expect.any(String) } },
    });
    const live = await t.http().get('/health/live');
    expect(live.status).toBe(200);
  });
});

/** A few MB of tmpfs as DATA_DIR, filled with a filler file: the disk is full, then it is not. */
describe('a full disk under DATA_DIR (tmpfs; root only)', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'ledger-tmpfs-'));
  let mounted = false;
  let skipReason: string | null = null;
  let t: TestApp | undefined;
  const filler = join(mountPoint, 'filler');

  beforeAll(async () => {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) skipReason = 'not root: cannot mount a tmpfs';
    else {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'pipe' });
        mounted = true;
      } catch (error) {
        skipReason = `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
      }
    }
    if (skipReason) {
      process.stdout.write(`disk-full health test skipped: ${skipReason}\n`);
      return;
    }
    t = await startTestApp(mountPoint);
  });

  afterAll(async () => {
    await t?.close();
    if (mounted) execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  /** Writes until ENOSPC (64 KB, then byte by byte at the end). */
  const fillDisk = () => {
    const fd = openSync(filler, 'w');
    try {
      for (const size of [65_536, 4096, 1]) {
        const chunk = Buffer.alloc(size, 0x61);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
    } finally {
      closeSync(fd);
    }
  };

  it('commands answer 503 STORE_UNAVAILABLE, /health/ready and /health 503 with the event store not writable; without the filler it recovers, no restart', async () => {
    if (!t) return;
    const customerId = await registerCustomer(t);
    expect((await purchase(t, customerId)).status).toBe(201);
    expect((await eventually(() => t!.http().get('/health/ready'), (r) => r.status === 200)).status).toBe(200);

    fillDisk();
    const refused = await purchase(t, customerId);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('STORE_UNAVAILABLE');
    const started = Date.now();
    const ready = await t.http().get('/health/ready');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.eventStore).toEqual({ ok: false, reason: expect.stringMatching(/full/i) });
    const health = await t.http().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', eventStore: 'down' });
    expect((await t.http().get('/health/live')).status).toBe(200);

    unlinkSync(filler);
    expect((await purchase(t, customerId)).status).toBe(201);
    const recovered = await eventually(() => t!.http().get('/health/ready'), (r) => r.status === 200);
    expect(recovered.body).toEqual({ status: 'ok', checks: { eventStore: { ok: true }, readStore: { ok: true }, keyStore: { ok: true }, projections: { ok: true } } });
    expect((await t.http().get('/health')).status).toBe(200);
  });
});
