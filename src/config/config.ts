/** Configuration from the environment, validated once at start-up. */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { currencyExponent } from '../customer/money';
import { DEFAULT_RULES, type Rules } from '../customer/rules';
import { DEFAULT_SQLITE_CACHE_MB } from '../shared/sqlite';

/** READY_MAX_LAG when unset: a projection this far behind is catching up after an outage, not serving fresh reads. */
export const DEFAULT_READY_MAX_LAG = 10_000;

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
  /**
   * Whether the server runs them (and the process managers) on a worker thread of their own
   * (`PROJECTIONS_THREAD`, default true), so the HTTP thread only answers and both cores work;
   * false: on the HTTP thread.
   */
  projectionsThread: boolean;
  /** The domain's settings: `BASE_CURRENCY` (default CNY), `LATE_ARRIVAL_MAX_DAYS` (default 90). */
  rules: Rules;
  /** Batch evaluation every this many minutes in the process that runs the projections (`EVALUATION_INTERVAL_MINUTES`, default 60, 0 = off). */
  evaluationIntervalMinutes: number;
  /** How long a read with `waitForPosition` waits for the projection before answering 504 (`WAIT_FOR_POSITION_MS`). */
  waitForPositionMs: number;
  /** The most events a projection may be behind the head while GET /health/ready still answers 200 (`READY_MAX_LAG`). */
  readyMaxLag: number;
  /** How long the server may take to stop on SIGTERM/SIGINT before it exits 1 anyway (`SHUTDOWN_TIMEOUT_MS`). */
  shutdownTimeoutMs: number;
  /** Per-API-key token bucket: `perSecond` 0 turns it off; `admin` keys are exempt unless `limitAdmin`. */
  rateLimit: { perSecond: number; burst: number; limitAdmin: boolean };
  /** Time limit of one read-model query (QUERY_TIMEOUT_MS): past it the query fails with 422 QUERY_TIMEOUT. */
  queryTimeoutMs: number;
  /** Page cache per SQLite connection of the embedded event and read stores, MB (SQLITE_CACHE_MB, default 16). */
  sqliteCacheMB: number;
  /**
   * `LEDGER_MASTER_KEY` as given (64 hex characters or the base64 of 32 bytes), or null to generate
   * `dataDir/master.key` on first start. It wraps the per-customer data keys of crypto-shredding;
   * parsed, with a one-line error for anything else, by `loadMasterKey` (src/privacy/master-key.ts).
   */
  masterKey: string | null;
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

/** A whole decimal number from `min` to `max`, or `fallback` when unset. */
const integer = (name: string, value: string | undefined, min: number, max: number, fallback: number): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
  return parsed;
};

const flag = (name: string, value: string | undefined, fallback: boolean): boolean => {
  if (value === undefined || value === '') return fallback;
  if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false (got "${value}")`);
  return value === 'true';
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
  const waitForPositionMs = integer('WAIT_FOR_POSITION_MS', env.WAIT_FOR_POSITION_MS, 0, 60_000, 5000);
  const shutdownTimeoutMs = integer('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS, 100, 600_000, 8000);
  const readyMaxLag = integer('READY_MAX_LAG', env.READY_MAX_LAG, 0, Number.MAX_SAFE_INTEGER, DEFAULT_READY_MAX_LAG);
  const perSecond = integer('RATE_LIMIT_PER_SECOND', env.RATE_LIMIT_PER_SECOND, 0, 1_000_000, 0);
  const burst = integer('RATE_LIMIT_BURST', env.RATE_LIMIT_BURST, 1, 1_000_000, Math.max(1, perSecond));
  const limitAdmin = flag('RATE_LIMIT_ADMIN', env.RATE_LIMIT_ADMIN, false);
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
    projectionsThread: flag('PROJECTIONS_THREAD', env.PROJECTIONS_THREAD, true),
    rules: loadRules(env),
    evaluationIntervalMinutes: wholeNumber('EVALUATION_INTERVAL_MINUTES', env.EVALUATION_INTERVAL_MINUTES, 60, 7 * 24 * 60),
    waitForPositionMs,
    readyMaxLag,
    shutdownTimeoutMs,
    rateLimit: { perSecond, burst, limitAdmin },
    queryTimeoutMs,
    sqliteCacheMB: integer('SQLITE_CACHE_MB', env.SQLITE_CACHE_MB, 1, 65_536, DEFAULT_SQLITE_CACHE_MB),
    masterKey: env.LEDGER_MASTER_KEY || null,
  };
}

function loadRules(env: NodeJS.ProcessEnv): Rules {
  const baseCurrency = env.BASE_CURRENCY || DEFAULT_RULES.baseCurrency;
  if (currencyExponent(baseCurrency) === null) throw new ConfigError(`BASE_CURRENCY must be an ISO-4217 code such as CNY (got "${baseCurrency}")`);
  const days = env.LATE_ARRIVAL_MAX_DAYS === undefined || env.LATE_ARRIVAL_MAX_DAYS === '' ? DEFAULT_RULES.lateArrivalMaxDays : Number(env.LATE_ARRIVAL_MAX_DAYS);
  // Beyond the at-risk threshold a late purchase could date a consequence before the stage it replaces.
  if (!/^\d+$/.test(String(days)) || days > 90) throw new ConfigError(`LATE_ARRIVAL_MAX_DAYS must be a whole number of days from 0 to 90 (got "${env.LATE_ARRIVAL_MAX_DAYS}")`);
  return { baseCurrency, lateArrivalMaxDays: days };
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new ConfigError(`DATA_DIR ${dir} is not a readable and writable directory (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) > max) throw new ConfigError(`${name} must be a whole number from 0 to ${max} (got "${value}")`);
  return Number(value);
}
