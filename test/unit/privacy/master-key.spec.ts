import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config';
import { loadMasterKey, masterKeyFile, parseMasterKey } from '../../../src/privacy/master-key';
import { builtCli } from '../../support/cli';

const KEY = randomBytes(32);

describe('LEDGER_MASTER_KEY', () => {
  it('is 64 hex characters, either case', () => {
    expect(parseMasterKey(KEY.toString('hex'))).toEqual(KEY);
    expect(parseMasterKey(KEY.toString('hex').toUpperCase())).toEqual(KEY);
    expect(loadMasterKey(KEY.toString('hex'), '/nonexistent')).toEqual({ key: KEY, source: 'env', generated: false });
  });

  it('or the base64 of 32 bytes, with or without padding, standard or url-safe', () => {
    expect(parseMasterKey(KEY.toString('base64'))).toEqual(KEY);
    expect(parseMasterKey(KEY.toString('base64').replace(/=$/, ''))).toEqual(KEY);
    expect(parseMasterKey(KEY.toString('base64url'))).toEqual(KEY);
    expect(parseMasterKey(` ${KEY.toString('base64')}\n`)).toEqual(KEY);
  });

  it.each([
    ['too short hex', KEY.toString('hex').slice(2)],
    ['too long hex', KEY.toString('hex') + '00'],
    ['non-hex characters', 'g'.repeat(64)],
    ['base64 of 31 bytes', randomBytes(31).toString('base64')],
    ['base64 of 33 bytes', randomBytes(33).toString('base64')],
    ['base64 whose spare bits are set', KEY.toString('base64').slice(0, 42) + 'B='],
    ['a passphrase', 'correct horse battery staple'],
  ])('refuses %s with a ConfigError that does not echo the value', (_, value) => {
    expect(() => parseMasterKey(value)).toThrow(ConfigError);
    expect(() => parseMasterKey(value)).toThrow(/^LEDGER_MASTER_KEY must be 64 hex characters or the base64 of 32 bytes/);
    try {
      parseMasterKey(value);
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('is in the configuration as given', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-mk-'));
    expect(loadConfig({ DATA_DIR: dataDir }).masterKey).toBeNull();
    expect(loadConfig({ DATA_DIR: dataDir, LEDGER_MASTER_KEY: KEY.toString('hex') }).masterKey).toBe(KEY.toString('hex'));
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('DATA_DIR/master.key', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-mk-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is generated on first start: 32 random bytes, mode 600, no partial file left', () => {
    const first = loadMasterKey(null, dataDir);
    expect(first).toMatchObject({ source: 'file', generated: true });
    expect(first.key).toHaveLength(32);
    const file = masterKeyFile(dataDir);
    expect(readFileSync(file)).toEqual(first.key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual(['master.key']);
  });

  it('gives the same key on the next start', () => {
    const first = loadMasterKey(null, dataDir);
    expect(loadMasterKey(null, dataDir)).toEqual({ key: first.key, source: 'file', generated: false });
  });

  it('LEDGER_MASTER_KEY wins over the file and creates none', () => {
    expect(loadMasterKey(KEY.toString('hex'), dataDir).key).toEqual(KEY);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it.each([
    ['empty', 0],
    ['too short', 16],
    ['too long (a hex text, say)', 65],
  ])('a file of the wrong size (%s) is refused, not replaced', (_, size) => {
    const file = masterKeyFile(dataDir);
    const content = randomBytes(size);
    writeFileSync(file, content, { mode: 0o600 });
    expect(() => loadMasterKey(null, dataDir)).toThrow(ConfigError);
    expect(() => loadMasterKey(null, dataDir)).toThrow(new RegExp(`has ${size} bytes, not the 32 of a master key`));
    expect(readFileSync(file)).toEqual(content);
  });

  it('an unwritable directory is a ConfigError', () => {
    expect(() => loadMasterKey(null, join(dataDir, 'missing'))).toThrow(/master\.key cannot be created \(ENOENT\)/);
  });

  it('processes starting together all end up with the same key', async () => {
    const module = join(dirname(builtCli()), '..', 'privacy', 'master-key.js');
    // Each child loads the module, then waits for the same instant before loading the key.
    const at = Date.now() + 1500;
    const script = `const { loadMasterKey } = require(${JSON.stringify(module)}); while (Date.now() < ${at}); const r = loadMasterKey(null, ${JSON.stringify(dataDir)}); process.stdout.write(JSON.stringify({ key: r.key.toString('hex'), generated: r.generated }));`;
    const runs = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Promise<{ key: string; generated: boolean }>((resolve, reject) => {
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
    expect(new Set(runs.map((run) => run.key)).size).toBe(1);
    expect(runs.filter((run) => run.generated)).toHaveLength(1);
    expect(readFileSync(masterKeyFile(dataDir)).toString('hex')).toBe(runs[0].key);
    expect(readdirSync(dataDir)).toEqual(['master.key']);
  }, 60_000);
});
