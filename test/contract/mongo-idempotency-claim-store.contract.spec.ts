import { MongoIdempotencyClaimStore } from '../../src/idempotency/mongodb-idempotency-claim-store';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { idempotencyClaimStoreContract } from './idempotency-claim-store.contract';

const url = process.env.MONGO_URL;
const DB = 'customer_ledger_contract';

if (url) {
  idempotencyClaimStoreContract(`MongoDB at ${url}`, async () => {
    const store = MongoIdempotencyClaimStore.connect(url, DB);
    return { store, openAnother: async () => MongoIdempotencyClaimStore.connect(url, DB), dispose: () => store.close() };
  });

  /** Not part of the port's contract: an unreachable server is a 503, not a crash. */
  describe('MongoIdempotencyClaimStore: MongoDB unreachable', () => {
    it('answers StoreUnavailableError', async () => {
      const store = new MongoIdempotencyClaimStore({ url: 'mongodb://127.0.0.1:1/?directConnection=true', dbName: DB, serverSelectionTimeoutMS: 300, pingTimeoutMS: 300 });
      try {
        await expect(store.putIfAbsent({ apiKeyName: 'w', idempotencyKey: 'k', streamId: 's', route: 'r', commandHash: 'h', createdAt: '2026-01-01T00:00:00.000Z' })).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      } finally {
        await store.close();
      }
    });
  });
} else {
  // The reason is printed once by test/support/skip-reasons.ts (jest's globalSetup).
  describe.skip('IdempotencyClaimStore contract: MongoDB (MONGO_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
