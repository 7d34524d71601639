/**
 * The master key that wraps every customer's data key (key-wrap.ts): `LEDGER_MASTER_KEY` when set
 * (64 hex characters or the base64 of 32 bytes), otherwise `DATA_DIR/master.key`, 32 random bytes
 * generated on first start, readable by its owner only. Losing it makes every stored data key
 * unreadable, so a file of the wrong size is refused rather than replaced.
 *
 * Processes that share a key store must share the master key: with a shared MongoDB key store and
 * a DATA_DIR per host, set LEDGER_MASTER_KEY.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config';
import { KEY_BYTES } from './key-wrap';

export const masterKeyFile = (dataDir: string): string => join(dataDir, 'master.key');

/** The 32 bytes of a `LEDGER_MASTER_KEY` value; ConfigError (never echoing the value) otherwise. */
export function parseMasterKey(value: string): Buffer {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) {
    const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    // 43 characters carry 258 bits: the last character's 2 spare bits must be zero, or it is not the encoding of these 32 bytes.
    if (bytes.length === KEY_BYTES && bytes.toString('base64url') === text.replace(/=$/, '').replace(/\+/g, '-').replace(/\//g, '_')) return bytes;
  }
  throw new ConfigError(`LEDGER_MASTER_KEY must be 64 hex characters or the base64 of 32 bytes (got ${text.length} characters that are neither); generate one with: openssl rand -hex 32`);
}

/**
 * The master key of this deployment: `LEDGER_MASTER_KEY` when set; otherwise the one in
 * `dataDir/master.key`, generated when the file does not exist. Processes starting together agree:
 * the key is written whole to a file of this process's own (created with 'wx', mode 600, synced)
 * and then hard-linked to `master.key`, which fails for all but the first; everyone reads back
 * what the first one linked. A half-written master.key is never visible.
 */
export function loadMasterKey(spec: string | null, dataDir: string): { key: Buffer; source: 'env' | 'file'; generated: boolean } {
  if (spec) return { key: parseMasterKey(spec), source: 'env', generated: false };
  const file = masterKeyFile(dataDir);
  const existing = readKeyFile(file);
  if (existing) return { key: existing, source: 'file', generated: false };
  const generated = createKeyFile(file);
  const key = readKeyFile(file);
  if (!key) throw new ConfigError(`${file} vanished right after it was created`);
  return { key, source: 'file', generated };
}

/** The key in the file, null when there is no file. */
function readKeyFile(file: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length !== KEY_BYTES) {
    throw new ConfigError(`${file} has ${bytes.length} bytes, not the ${KEY_BYTES} of a master key; restore the right file or set LEDGER_MASTER_KEY (a new key would leave every stored data key unreadable)`);
  }
  return bytes;
}

/** Whether this process's key became the file (false: another process was first). */
function createKeyFile(file: string): boolean {
  const partial = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.partial`;
  try {
    const fd = openSync(partial, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(KEY_BYTES));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(partial, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    syncDirectory(file);
    return true;
  } catch (error) {
    throw new ConfigError(`${file} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    try {
      unlinkSync(partial);
    } catch {
      // Not created, or already gone.
    }
  }
}

/** The new directory entry survives a power cut (best effort: not every platform opens directories). */
function syncDirectory(file: string): void {
  try {
    const fd = openSync(join(file, '..'), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // A directory that cannot be synced is no reason to refuse the key.
  }
}
