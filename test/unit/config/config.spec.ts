import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config';

const dir = () => mkdtempSync(join(tmpdir(), 'ledger-config-'));

describe('loadConfig', () => {
  it('defaults to the embedded stores in ./data on port 3000', () => {
    const dataDir = dir();
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ eventStore: 'sqlite', readStore: 'sqlite', dataDir, port: 3000, bodyLimit: 256 * 1024 });
    rmSync(dataDir, { recursive: true });
  });

  it('rejects an unknown EVENT_STORE in one line naming the allowed values', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(new ConfigError('EVENT_STORE must be one of sqlite, eventstoredb (got "postgres")'));
  });

  it('rejects READ_STORE=mongodb without MONGO_URL', () => {
    expect(() => loadConfig({ READ_STORE: 'mongodb', DATA_DIR: dir() })).toThrow(ConfigError);
  });

  it('rejects a DATA_DIR that is a file', () => {
    const file = join(dir(), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => loadConfig({ DATA_DIR: file })).toThrow(/DATA_DIR .* is not a readable and writable directory/);
  });

  it('rejects a DATA_DIR without write permission', () => {
    if (process.getuid?.() === 0) {
      // root ignores file modes; a path under a file is unusable for anyone.
      expect(() => loadConfig({ DATA_DIR: '/proc/version/data' })).toThrow(ConfigError);
      return;
    }
    const locked = dir();
    chmodSync(locked, 0o500);
    expect(() => loadConfig({ DATA_DIR: join(locked, 'data') })).toThrow(ConfigError);
  });

  it('rejects a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000', DATA_DIR: dir() })).toThrow(/PORT/);
  });

  it('reads QUERY_TIMEOUT_MS (default 10 s) and rejects one that is not a positive integer', () => {
    const dataDir = dir();
    expect(loadConfig({ DATA_DIR: dataDir }).queryTimeoutMs).toBe(10_000);
    expect(loadConfig({ DATA_DIR: dataDir, QUERY_TIMEOUT_MS: '250' }).queryTimeoutMs).toBe(250);
    for (const bad of ['0', '-5', '1.5', 'soon']) expect(() => loadConfig({ DATA_DIR: dataDir, QUERY_TIMEOUT_MS: bad })).toThrow(/QUERY_TIMEOUT_MS/);
    rmSync(dataDir, { recursive: true });
  });
});

describe('loadConfig: where the projections run', () => {
  it('runs them on a thread of their own unless PROJECTIONS_THREAD=false', () => {
    expect(loadConfig({ DATA_DIR: dir() })).toMatchObject({ runProjections: true, projectionsThread: true });
    expect(loadConfig({ DATA_DIR: dir(), PROJECTIONS_THREAD: 'false' }).projectionsThread).toBe(false);
  });
});

describe('loadConfig: edge settings', () => {
  it('defaults to a 5 s wait for positions and no rate limit', () => {
    expect(loadConfig({ DATA_DIR: dir() })).toMatchObject({ waitForPositionMs: 5000, rateLimit: { perSecond: 0, burst: 1, limitAdmin: false } });
  });

  it('reads WAIT_FOR_POSITION_MS and the rate limit', () => {
    const config = loadConfig({ DATA_DIR: dir(), WAIT_FOR_POSITION_MS: '250', RATE_LIMIT_PER_SECOND: '20', RATE_LIMIT_ADMIN: 'true' });
    expect(config).toMatchObject({ waitForPositionMs: 250, rateLimit: { perSecond: 20, burst: 20, limitAdmin: true } });
    expect(loadConfig({ DATA_DIR: dir(), RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '50' }).rateLimit.burst).toBe(50);
  });

  it.each([
    ['WAIT_FOR_POSITION_MS', '-1'],
    ['WAIT_FOR_POSITION_MS', '60001'],
    ['WAIT_FOR_POSITION_MS', '1e3'],
    ['RATE_LIMIT_PER_SECOND', 'fast'],
    ['RATE_LIMIT_BURST', '0'],
    ['RATE_LIMIT_ADMIN', 'yes'],
    ['PROJECTIONS_THREAD', 'on'],
  ])('rejects %s=%s in one line naming it', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dir(), [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });
});
