/** API keys: parsed from `API_KEYS`, or generated once into DATA_DIR; only their sha256 digests are kept. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config';
import { ROLES, type Actor, type Role } from './roles';

interface StoredKey extends Actor {
  secretSha256: string;
}

const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

export class ApiKeys {
  private constructor(private readonly keys: { actor: Actor; digest: Buffer }[]) {}

  static fromStored(keys: StoredKey[]): ApiKeys {
    return new ApiKeys(keys.map(({ name, role, secretSha256 }) => ({ actor: { name, role }, digest: Buffer.from(secretSha256, 'hex') })));
  }

  /** Parses `name:role:secret,…`. */
  static parse(spec: string): ApiKeys {
    const keys = spec.split(',').map((entry, index) => {
      const [name, role, ...rest] = entry.trim().split(':');
      const secret = rest.join(':');
      if (!name || !secret) throw new ConfigError(`API_KEYS entry ${index + 1} must be name:role:secret`);
      if (!ROLES.includes(role as Role)) throw new ConfigError(`API_KEYS entry ${index + 1} has unknown role "${role}" (use ${ROLES.join(', ')})`);
      if (secret.length < 8) throw new ConfigError(`API_KEYS entry ${index + 1} (${name}) needs a secret of at least 8 characters`);
      return { name, role: role as Role, secretSha256: digest(secret).toString('hex') };
    });
    return ApiKeys.fromStored(keys);
  }

  /** Decisions per request object: the edge and the guard both ask for every request (one sha256 and key scan, not two). */
  private readonly decided = new WeakMap<object, Actor | null>();

  /** The actor of a request's Authorization header, or null; decided once per request object. */
  authenticateRequest(request: { headers: { authorization?: string | string[] } }): Actor | null {
    let actor = this.decided.get(request);
    if (actor === undefined) {
      actor = this.authenticateHeader(request.headers.authorization);
      this.decided.set(request, actor);
    }
    return actor;
  }

  /** The actor of an `Authorization: Bearer <secret>` header, or null. */
  authenticateHeader(header: string | string[] | undefined): Actor | null {
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    return match ? this.authenticate(match[1]) : null;
  }

  /** The actor a bearer secret belongs to; compares against every key in constant time. */
  authenticate(secret: string): Actor | null {
    const presented = digest(secret);
    let found: Actor | null = null;
    for (const key of this.keys) if (timingSafeEqual(presented, key.digest) && found === null) found = key.actor;
    return found;
  }
}

/**
 * The keys of this deployment: `API_KEYS` when set; otherwise the ones generated into
 * `dataDir/api-keys.json` on first start, whose secrets are returned once (to be printed) and never stored.
 */
export function loadApiKeys(spec: string | null, dataDir: string): { keys: ApiKeys; generated: { name: string; role: Role; secret: string }[] } {
  if (spec) return { keys: ApiKeys.parse(spec), generated: [] };
  const file = join(dataDir, 'api-keys.json');
  if (existsSync(file)) {
    try {
      return { keys: ApiKeys.fromStored(JSON.parse(readFileSync(file, 'utf8')) as StoredKey[]), generated: [] };
    } catch (error) {
      throw new ConfigError(`${file} is not a valid API key file (${(error as Error).message}); delete it to generate new keys`);
    }
  }
  const generated = ROLES.map((role) => ({ name: `local-${role}`, role, secret: `cl_${role}_${randomBytes(24).toString('base64url')}` }));
  const stored: StoredKey[] = generated.map(({ name, role, secret }) => ({ name, role, secretSha256: digest(secret).toString('hex') }));
  writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  return { keys: ApiKeys.fromStored(stored), generated };
}
