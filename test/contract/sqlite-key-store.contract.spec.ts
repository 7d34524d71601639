import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteKeyStore } from '../../src/privacy/sqlite-key-store';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { builtCli } from '../support/cli';
import { keyStoreContract } from './key-store.contract';

keyStoreContract('SQLite (embedded)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
  const filename = join(dir, 'keys.sqlite');
  const store = new SqliteKeyStore({ filename });
  return {
    store,
    openAnother: async () => new SqliteKeyStore({ filename }),
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** Names of the files in `dir` holding `bytes` anywhere. */
const filesHolding = (dir: string, bytes: Buffer): string[] => readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(bytes));

describe('SQLite key store: a destroyed key leaves no copy in any file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['only in the WAL', false],
    ['checkpointed into the database file', true],
  ])('key %s before destroy', async (_, checkpointFirst) => {
    const filename = join(dir, 'keys.sqlite');
    const store = new SqliteKeyStore({ filename });
    // Neighbours on the same pages, before and after it, kept and then read.
    const keys = new Map(Array.from({ length: 60 }, (_, i) => [`c-${String(i).padStart(3, '0')}`, randomBytes(61)] as const));
    for (const [customerId, key] of keys) await store.putIfAbsent(customerId, key, '2026-01-01T00:00:00.000Z');
    const victim = keys.get('c-030') as Buffer;
    if (checkpointFirst) {
      const probe = new SqliteKeyStore({ filename });
      await probe.destroy('unrelated', '2026-01-02T00:00:00.000Z'); // a destroy checkpoints (TRUNCATE) the whole WAL
      await probe.close();
    }
    // The scan finds the bytes while they are there.
    expect(filesHolding(dir, victim).length).toBeGreaterThan(0);

    await store.destroy('c-030', '2026-03-01T00:00:00.000Z');

    expect(filesHolding(dir, victim)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['keys.sqlite']));
    // The others are intact, and found by the same scan.
    const rest = await store.getMany([...keys.keys()]);
    for (const [customerId, key] of keys) if (customerId !== 'c-030') expect(rest.get(customerId)?.wrappedKey).toEqual(key);
    expect(filesHolding(dir, keys.get('c-031') as Buffer).length).toBeGreaterThan(0);
    await store.close();
    expect(filesHolding(dir, victim)).toEqual([]);

    // Reopened, the tombstone is there and still no copy appears.
    const reopened = new SqliteKeyStore({ filename });
    expect((await reopened.getMany(['c-030'])).get('c-030')).toMatchObject({ wrappedKey: null, destroyedAt: '2026-03-01T00:00:00.000Z' });
    await reopened.close();
    expect(filesHolding(dir, victim)).toEqual([]);
  });

  it('destroy fails, the tombstone committed, while a reader keeps the WAL from being emptied; again afterwards, it finishes', async () => {
    const filename = join(dir, 'keys.sqlite');
    const store = new SqliteKeyStore({ filename });
    const key = randomBytes(61);
    await store.putIfAbsent('c-1', key, '2026-01-01T00:00:00.000Z');
    // A reader in the middle of a read transaction (another process would hold one the same way).
    const reader = new Database(filename, { readonly: true });
    reader.pragma('busy_timeout = 0');
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM data_keys').get();
    const busyStore = new SqliteKeyStore({ filename });
    (busyStore as unknown as { db: { pragma(s: string): unknown } }).db.pragma('busy_timeout = 50');
    await expect(busyStore.destroy('c-1', '2026-03-01T00:00:00.000Z')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.getMany(['c-1'])).get('c-1')?.wrappedKey).toBeNull();
    reader.exec('COMMIT');
    reader.close();
    await busyStore.destroy('c-1', '2026-03-02T00:00:00.000Z');
    expect(filesHolding(dir, key)).toEqual([]);
    expect((await store.getMany(['c-1'])).get('c-1')?.destroyedAt).toBe('2026-03-01T00:00:00.000Z');
    await busyStore.close();
    await store.close();
  });

  it('destroy waits out a reader that finishes soon (another connection checkpointing answers busy at once, without the busy timeout)', async () => {
    const filename = join(dir, 'keys.sqlite');
    const store = new SqliteKeyStore({ filename });
    const key = randomBytes(61);
    await store.putIfAbsent('c-1', key, '2026-01-01T00:00:00.000Z');
    const reader = new Database(filename, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM data_keys').get();
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('busy_timeout = 0');
    setTimeout(() => {
      reader.exec('COMMIT');
      reader.close();
    }, 40);
    await store.destroy('c-1', '2026-03-01T00:00:00.000Z');
    expect(filesHolding(dir, key)).toEqual([]);
    await store.close();
  });
});

describe('SQLite key store: closed', () => {
  it('answers StoreUnavailableError', async () => {
    const store = new SqliteKeyStore({ filename: ':memory:' });
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.getMany(['c-1'])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.putIfAbsent('c-1', randomBytes(61), '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.destroy('c-1', '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('a file that cannot be opened is StoreUnavailableError', () => {
    expect(() => new SqliteKeyStore({ filename: join(tmpdir(), 'no-such-dir-ledger', 'x', 'keys.sqlite') })).toThrow(StoreUnavailableError);
  });
});

describe('SQLite key store: processes racing', () => {
  it('four processes putting keys for the same customers at the same instant all get the same records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    const filename = join(dir, 'keys.sqlite');
    try {
      new SqliteKeyStore({ filename }).close(); // the schema, before the race
      const module = join(dirname(builtCli()), '..', 'privacy', 'sqlite-key-store.js');
      const at = Date.now() + 1500;
      const script = `const { randomBytes } = require('node:crypto');
        const { SqliteKeyStore } = require(${JSON.stringify(module)});
        const store = new SqliteKeyStore({ filename: ${JSON.stringify(filename)} });
        while (Date.now() < ${at});
        (async () => {
          const out = {};
          for (let i = 0; i < 100; i++) out['c-' + i] = (await store.putIfAbsent('c-' + i, randomBytes(61), new Date().toISOString())).wrappedKey.toString('hex');
          await store.close();
          process.stdout.write(JSON.stringify(out));
        })();`;
      const runs = await Promise.all(
        Array.from({ length: 4 }, () =>
          new Promise<Record<string, string>>((resolve, reject) => {
            const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
            child.on('error', reject);
            child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`))));
          }),
        ),
      );
      for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
      const store = new SqliteKeyStore({ filename });
      const stored = await store.getMany(Object.keys(runs[0]));
      await store.close();
      expect(stored.size).toBe(100);
      for (const [customerId, hex] of Object.entries(runs[0])) expect(stored.get(customerId)?.wrappedKey?.toString('hex')).toBe(hex);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
