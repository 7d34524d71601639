import { MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError, type BulkWriteResult, type WriteConcernError, type WriteError } from 'mongodb';
import { StoreUnavailableError } from '../../../src/shared/store-unavailable';
import { isAlreadyApplied, isMongoUnavailable, toReadStoreError } from '../../../src/read-store/mongodb/mongo-errors';
import { withIdTieBreak } from '../../../src/read-store/mongodb/mongo-read-model-store';
import { QueryTimeoutError } from '../../../src/read-store/read-model-store.port';

const result = {} as BulkWriteResult;
/** The driver does not export WriteError's constructor; the check reads only `code`. */
const writeError = (code: number, index = 0) => ({ code, index, errmsg: `E${code}` }) as unknown as WriteError;
const bulkError = (...codes: number[]) => new MongoBulkWriteError({ message: 'bulk', code: codes[0], writeErrors: codes.map((code, index) => writeError(code, index)) }, result);

describe('MongoDB error mapping', () => {
  it('treats a bulk write failing only on duplicate keys as already applied', () => {
    expect(isAlreadyApplied(bulkError(11000))).toBe(true);
    expect(isAlreadyApplied(bulkError(11000, 11000))).toBe(true);
  });

  it('does not hide any other write error, a write concern error, or a plain server error', () => {
    expect(isAlreadyApplied(bulkError(11000, 121))).toBe(false);
    const concern = bulkError(11000);
    concern.err = { code: 64, errmsg: 'waiting for replication timed out' } as unknown as WriteConcernError;
    expect(isAlreadyApplied(concern)).toBe(false);
    expect(isAlreadyApplied(new MongoServerError({ message: 'dup', code: 11000 }))).toBe(false);
  });

  it('maps unreachable servers and transient states to STORE_UNAVAILABLE, and nothing else', () => {
    expect(isMongoUnavailable(new MongoNetworkError('connection reset'))).toBe(true);
    expect(isMongoUnavailable(new MongoServerSelectionError('no primary', { type: 'Unknown' } as ConstructorParameters<typeof MongoServerSelectionError>[1]))).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ message: 'not primary', code: 10107 }))).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ message: 'bad filter', code: 2 }))).toBe(false);
    expect(toReadStoreError(new MongoNetworkError('reset'), 'find')).toBeInstanceOf(StoreUnavailableError);
    const bad = new MongoServerError({ message: 'bad filter', code: 2 });
    expect(toReadStoreError(bad, 'find')).toBe(bad);
  });

  it('maps a query past its maxTimeMS (code 50) to the port\'s QueryTimeoutError', () => {
    const expired = toReadStoreError(new MongoServerError({ message: 'operation exceeded time limit', code: 50 }), 'find', 250);
    expect(expired).toBeInstanceOf(QueryTimeoutError);
    expect(expired).toMatchObject({ timeoutMs: 250 });
  });
});

describe('MongoDB sort', () => {
  it('breaks ties by _id ascending, as the embedded store does', () => {
    expect(withIdTieBreak(undefined)).toEqual({ _id: 1 });
    expect(Object.entries(withIdTieBreak({ tier: 1, 'stats.totalSpent': -1 }))).toEqual([['tier', 1], ['stats.totalSpent', -1], ['_id', 1]]);
    expect(withIdTieBreak({ _id: -1 })).toEqual({ _id: -1 });
  });
});
