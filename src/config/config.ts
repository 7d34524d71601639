/** Configuration from the environment, validated once at start-up. */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export interface AppConfig {
  eventStore: 'sqlite' | 'eventstoredb';
  readStore: 'sqlite' | 'mongodb';
  /** Where the embedded stores and generated API keys live. */
  dataDir: string;
  eventStoreUrl: string;
  mongoUrl: string | null;
  port: number;
  /** `API_KEYS` as given (`name:role:secret,…`), or null to generate keys into `dataDir`. */
  apiKeys: string | null;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Whether this process runs the projections (the API alone in the production split). */
  runProjections: boolean;
  /** Time limit of one read-model query (QUERY_TIMEOUT_MS): past it the query fails with 422 QUERY_TIMEOUT. */
  queryTimeoutMs: number;
}

/** A configuration problem, told in one line; start-up prints it and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const eventStore = oneOf('EVENT_STORE', env.EVENT_STORE, ['sqlite', 'eventstoredb'] as const, 'sqlite');
  const readStore = oneOf('READ_STORE', env.READ_STORE, ['sqlite', 'mongodb'] as const, 'sqlite');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535 (got "${env.PORT}")`);
  const queryTimeoutMs = Number(env.QUERY_TIMEOUT_MS || 10_000);
  if (!Number.isInteger(queryTimeoutMs) || queryTimeoutMs < 1) throw new ConfigError(`QUERY_TIMEOUT_MS must be a positive integer of milliseconds (got "${env.QUERY_TIMEOUT_MS}")`);
  const mongoUrl = env.MONGO_URL || null;
  if (readStore === 'mongodb' && !mongoUrl) throw new ConfigError('READ_STORE=mongodb needs MONGO_URL (e.g. mongodb://localhost:27017/?replicaSet=rs0)');
  const dataDir = resolve(env.DATA_DIR || './data');
  if (eventStore === 'sqlite' || readStore === 'sqlite' || !env.API_KEYS) ensureWritableDir(dataDir);
  return {
    eventStore,
    readStore,
    dataDir,
    eventStoreUrl: env.EVENTSTORE_URL || 'esdb://localhost:2113?tls=false',
    mongoUrl,
    port,
    apiKeys: env.API_KEYS || null,
    bodyLimit: 256 * 1024,
    runProjections: env.RUN_PROJECTIONS !== 'false',
    queryTimeoutMs,
  };
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new ConfigError(`DATA_DIR ${dir} is not a readable and writable directory (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
