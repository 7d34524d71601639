/** Which MongoDB failures mean "the store is unavailable" and which mean "already applied". */
import { MongoBulkWriteError, MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import { QueryTimeoutError } from '../read-model-store.port';

export const DUPLICATE_KEY = 11000;
/** MaxTimeMSExpired: the operation ran past its maxTimeMS. */
export const MAX_TIME_MS_EXPIRED = 50;
/** Server codes of transient states: not primary, shutting down, interrupted, host unreachable. */
const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 10107, 11600, 11602, 13435, 13436]);

export function isMongoUnavailable(error: unknown): boolean {
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError || error instanceof MongoNotConnectedError || error instanceof MongoTopologyClosedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && TRANSIENT_CODES.has(code);
}

/** An unordered bulk write whose only failures are guarded upserts colliding with a newer document. */
export function isAlreadyApplied(error: unknown): boolean {
  // A write concern error (e.g. majority not reached) is never "already applied".
  if (!(error instanceof MongoBulkWriteError) || error.err !== undefined) return false;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY);
}

/** The port's errors for an unavailable store and a query past its time limit; anything else is rethrown as it is. */
export function toReadStoreError(error: unknown, what: string, queryTimeoutMs = 0): unknown {
  if ((error as { code?: unknown } | null)?.code === MAX_TIME_MS_EXPIRED) return new QueryTimeoutError(queryTimeoutMs, { cause: error });
  if (error instanceof StoreUnavailableError || !isMongoUnavailable(error)) return error;
  return new StoreUnavailableError(`MongoDB unavailable during ${what}: ${(error as Error).message}`, { cause: error });
}
