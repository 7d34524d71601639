/** The readiness rules (src/health/readiness.ts) on their own: deadlines, recent failed writes, projection states. */
import { CHECK_TIMEOUT_MS, projectionsReady, storeWritable, timed, WRITE_FAILURE_WINDOW_MS } from '../../../src/health/readiness';
import type { ProjectionState } from '../../../src/projection-engine/projection-engine';

const state = (over: Partial<ProjectionState>): ProjectionState => ({ name: 'purchases', kind: 'projection', collection: 'purchases', position: null, lag: 0, status: 'running', ...over });

describe('timed', () => {
  it('is ok, ok with a note, or not ok with the reason; a check past its deadline is not ok', async () => {
    expect(await timed(async () => undefined)).toEqual({ ok: true });
    expect(await timed(async () => 'a note')).toEqual({ ok: true, reason: 'a note' });
    expect(await timed(async () => Promise.reject(new Error('down')))).toEqual({ ok: false, reason: 'down' });
    expect(await timed(() => { throw new Error('thrown'); })).toEqual({ ok: false, reason: 'thrown' });
    const started = Date.now();
    expect(await timed(() => new Promise<void>(() => undefined), 50)).toEqual({ ok: false, reason: 'no answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(CHECK_TIMEOUT_MS);
  });
});

describe('storeWritable', () => {
  const ok = async () => undefined;
  it('uses the probe when there is one, ping otherwise', async () => {
    const ping = jest.fn(ok);
    await storeWritable({ ping, probe: ok });
    expect(ping).not.toHaveBeenCalled();
    await storeWritable({ ping });
    expect(ping).toHaveBeenCalled();
    await expect(storeWritable({ ping: ok, probe: async () => Promise.reject(new Error('database or disk is full')) })).rejects.toThrow('not writable or readable: database or disk is full');
  });

  it('a real write that failed within the window, none succeeding since, is not writable; an older one is forgotten', async () => {
    const now = 1_000_000;
    await expect(storeWritable({ ping: ok, probe: ok, lastWriteFailure: () => ({ at: now - 2000, message: 'SQLITE_FULL' }) }, now)).rejects.toThrow(/a write failed 2 s ago and none succeeded since: SQLITE_FULL/);
    await storeWritable({ ping: ok, probe: ok, lastWriteFailure: () => ({ at: now - WRITE_FAILURE_WINDOW_MS, message: 'SQLITE_FULL' }) }, now);
    await storeWritable({ ping: ok, probe: ok, lastWriteFailure: () => null }, now);
  });
});

describe('projectionsReady', () => {
  it('is ok when every projection runs within READY_MAX_LAG', () => {
    expect(projectionsReady([state({}), state({ name: 'complaints', lag: 10 })], 10)).toBeUndefined();
    expect(projectionsReady([state({ lag: null })], 0)).toBeUndefined();
  });

  it('names a failed projection, one not started and one too far behind', () => {
    expect(() => projectionsReady([state({ status: 'failed', error: 'boom' })], 10)).toThrow('purchases failed: boom');
    expect(() => projectionsReady([state({ status: 'stopped', error: 'waiting for the store: down' })], 10)).toThrow('purchases not running: waiting for the store: down');
    expect(() => projectionsReady([state({ lag: 11 })], 10)).toThrow('purchases is 11 events behind (READY_MAX_LAG 10)');
  });

  it('a failed rebuild while the previous version serves is a note, not a failure; a rebuild in progress may lag', () => {
    const note = projectionsReady([state({ collection: 'purchases_v1' }), state({ collection: 'purchases_v2', status: 'failed', error: 'poisoned', lag: 500 })], 10);
    expect(note).toBe('rebuild of purchases (purchases_v2) failed, the previous version serves: poisoned');
    expect(projectionsReady([state({ collection: 'purchases_v1' }), state({ collection: 'purchases_v2', status: 'rebuilding', lag: 50_000 })], 10)).toBeUndefined();
  });
});
