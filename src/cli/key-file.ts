/** DATA_DIR/api-keys.json as the service reads it (src/auth/api-keys.ts): name, role and sha256 of the secret; never the secret. */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../auth/roles';
import { CliError, EXIT } from './cli';

export interface StoredKey {
  name: string;
  role: Role;
  secretSha256: string;
}

export const keyFile = (dataDir: string): string => join(dataDir, 'api-keys.json');

/** The same shape of secret the service generates on first start. */
export const newSecret = (role: Role): string => `cl_${role}_${randomBytes(24).toString('base64url')}`;
export const secretSha256 = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

const isStoredKey = (key: unknown): key is StoredKey => {
  const k = key as Partial<StoredKey> | null;
  return typeof k === 'object' && k !== null && typeof k.name === 'string' && ROLES.includes(k.role as Role) && typeof k.secretSha256 === 'string' && /^[0-9a-f]{64}$/.test(k.secretSha256);
};

/** The stored keys; none when the file does not exist yet. */
export function readKeys(dataDir: string): StoredKey[] {
  const file = keyFile(dataDir);
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message})`, EXIT.failure);
  }
  if (!Array.isArray(parsed) || !parsed.every(isStoredKey)) throw new CliError(`${file} is not an API key file (an array of { name, role, secretSha256 })`, EXIT.failure);
  return parsed;
}

/** Replaces the file whole (written aside, renamed), readable by its owner only. */
export function writeKeys(dataDir: string, keys: StoredKey[]): void {
  const file = keyFile(dataDir);
  const partial = `${file}.partial`;
  writeFileSync(partial, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}
