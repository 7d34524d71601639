/** EventStoreDB client errors in the port's terms, and the bounded retry of transient faults. */
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError, type ExpectedRevision } from '../event-store.port';
import { StoreUnavailableError } from '../../shared/store-unavailable';

/** gRPC status codes (from @grpc/grpc-js `status`, which this project does not depend on directly). */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

const grpcCode = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);

/** A fault worth retrying as is: the server could not be reached or did not answer in time. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError) return true;
  const code = grpcCode(error);
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

/** The store is unreachable or not in a state to serve: a reconnect, a leader election or a timeout away. */
export function isUnavailable(error: unknown): boolean {
  if (isRetryable(error)) return true;
  if (error instanceof NotLeaderError || error instanceof TimeoutError || error instanceof CancelledError) return true;
  // Cluster discovery gives up with a plain Error (Client/discovery.js).
  return error instanceof Error && error.message.startsWith('Failed to discover after');
}

/** StoreUnavailableError for an unavailability; any other error unchanged. */
export function toStoreError(error: unknown, operation: string): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailable(error)) return error;
  const detail = error instanceof Error && error.message ? `: ${error.message}` : '';
  return new StoreUnavailableError(`EventStoreDB unavailable during ${operation}${detail}`, { cause: error });
}

/** An append's error: a wrong expected version becomes the port's WrongExpectedRevisionError. */
export function toAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) return new WrongExpectedRevisionError(streamId, expected, error.actualVersion);
  return toStoreError(error, `append to ${streamId}`);
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Delay before the first retry; doubles for each further one (default 100 ms). */
  baseDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `action` again after a transport fault (isRetryable), at most `attempts` times in all.
 * The action must be safe to repeat: appends reuse their expected revision and event ids, so
 * EventStoreDB treats a repeat of a write that did land as the same write.
 */
export async function retryTransient<T>(action: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
