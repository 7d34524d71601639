import {
  AccessDeniedError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../../../src/event-store/event-store.port';
import { StoreUnavailableError } from '../../../src/shared/store-unavailable';
import { isRetryable, isUnavailable, retryTransient, toAppendError, toStoreError } from '../../../src/event-store/eventstoredb/esdb-errors';

/** What @grpc/grpc-js rejects with when nothing listens: a ServiceError with status 14. */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

function notLeader(): NotLeaderError {
  const serviceError = Object.assign(grpcError(5, 'Leader info available'), {
    metadata: { getMap: () => ({ exception: 'not-leader', 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }) },
  });
  return new NotLeaderError(serviceError as unknown as ConstructorParameters<typeof NotLeaderError>[0]);
}

describe('toAppendError', () => {
  it('maps WrongExpectedVersionError to WrongExpectedRevisionError with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'customer-c1', expected: 3n, current: 5n });
    const mapped = toAppendError(error, 'customer-c1', 3n);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'customer-c1', expected: 3n, actual: 5n });
  });

  it('reports a stream that does not exist as no_stream', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'customer-c1', expected: 0n, current: 'no_stream' });
    expect(toAppendError(error, 'customer-c1', 0n)).toMatchObject({ expected: 0n, actual: 'no_stream' });
  });

  it('reports an existing stream when no_stream was expected', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'customer-c1', expected: 'no_stream', current: 0n });
    expect(toAppendError(error, 'customer-c1', 'no_stream')).toMatchObject({ expected: 'no_stream', actual: 0n });
  });

  it('maps an unavailable server to StoreUnavailableError keeping the cause', () => {
    const cause = new UnavailableError(undefined, 'no connection');
    const mapped = toAppendError(cause, 'customer-c1', 1n);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).cause).toBe(cause);
  });
});

describe('toStoreError', () => {
  it.each([
    ['UnavailableError', new UnavailableError()],
    ['DeadlineExceededError', new DeadlineExceededError()],
    ['TimeoutError', new TimeoutError()],
    ['NotLeaderError', notLeader()],
    ['a raw gRPC error with status 14', grpcError(14, 'UNAVAILABLE: No connection established')],
    ['a raw gRPC error with status 4', grpcError(4, 'DEADLINE_EXCEEDED: Deadline exceeded')],
    ['the client conversion of status 14', convertToCommandError(grpcError(14, 'UNAVAILABLE'))],
    ['a failed cluster discovery', new Error('Failed to discover after 10 attempts.')],
  ])('maps %s to StoreUnavailableError', (_name, error) => {
    expect(isUnavailable(error)).toBe(true);
    const mapped = toStoreError(error, 'test');
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as Error).message).toMatch(/^EventStoreDB unavailable during test/);
  });

  it('recognises the client conversion of status 14 as its UnavailableError', () => {
    expect(convertToCommandError(grpcError(14, 'UNAVAILABLE'))).toBeInstanceOf(UnavailableError);
  });

  it.each([
    ['StreamNotFoundError', new StreamNotFoundError(undefined, 'customer-x')],
    ['AccessDeniedError', new AccessDeniedError()],
    ['a programming error', new TypeError('boom')],
    ['a raw gRPC error with another status', grpcError(3, 'INVALID_ARGUMENT')],
  ])('leaves %s unchanged', (_name, error) => {
    expect(isUnavailable(error)).toBe(false);
    expect(toStoreError(error, 'test')).toBe(error);
  });

  it('leaves a StoreUnavailableError as it is', () => {
    const error = new StoreUnavailableError('closed');
    expect(toStoreError(error, 'test')).toBe(error);
  });
});

describe('isRetryable', () => {
  it('retries only transport faults: unavailable and deadline exceeded', () => {
    expect(isRetryable(new UnavailableError())).toBe(true);
    expect(isRetryable(new DeadlineExceededError())).toBe(true);
    expect(isRetryable(grpcError(14, 'UNAVAILABLE'))).toBe(true);
    expect(isRetryable(grpcError(4, 'DEADLINE_EXCEEDED'))).toBe(true);
    expect(isRetryable(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n }))).toBe(false);
    expect(isRetryable(notLeader())).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});

describe('retryTransient', () => {
  const noSleep = () => {
    const delays: number[] = [];
    return { delays, sleep: async (ms: number) => void delays.push(ms) };
  };

  it('returns at once when the first attempt succeeds', async () => {
    const action = jest.fn(async () => 'ok');
    await expect(retryTransient(action)).resolves.toBe('ok');
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('repeats after an unavailable server, with doubling delays, until it succeeds', async () => {
    const { delays, sleep } = noSleep();
    const action = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new UnavailableError())
      .mockRejectedValueOnce(new DeadlineExceededError())
      .mockResolvedValue('ok');
    await expect(retryTransient(action, { sleep, baseDelayMs: 50 })).resolves.toBe('ok');
    expect(action).toHaveBeenCalledTimes(3);
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after 3 attempts by default and throws the last error', async () => {
    const { delays, sleep } = noSleep();
    const last = grpcError(14, 'UNAVAILABLE');
    const action = jest.fn<Promise<string>, []>().mockRejectedValueOnce(new UnavailableError()).mockRejectedValueOnce(new UnavailableError()).mockRejectedValue(last);
    await expect(retryTransient(action, { sleep })).rejects.toBe(last);
    expect(action).toHaveBeenCalledTimes(3);
    expect(delays).toEqual([100, 200]);
  });

  it('does not repeat a wrong expected version or any other error', async () => {
    const { sleep } = noSleep();
    const conflict = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n });
    const action = jest.fn<Promise<string>, []>().mockRejectedValue(conflict);
    await expect(retryTransient(action, { sleep })).rejects.toBe(conflict);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('honours a custom number of attempts', async () => {
    const { sleep } = noSleep();
    const action = jest.fn<Promise<string>, []>().mockRejectedValue(new UnavailableError());
    await expect(retryTransient(action, { sleep, attempts: 5 })).rejects.toBeInstanceOf(UnavailableError);
    expect(action).toHaveBeenCalledTimes(5);
  });
});
