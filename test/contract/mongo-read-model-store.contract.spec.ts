import { MongoReadModelStore } from '../../src/read-store/mongodb/mongo-read-model-store';
import { readModelStoreContract } from './read-model-store.contract';

const url = process.env.MONGO_URL;

if (url) {
  readModelStoreContract(`MongoDB at ${url}`, async (options = {}) => {
    const store = MongoReadModelStore.connect(url, 'customer_ledger_contract', options.queryTimeoutMs);
    return { store, dispose: () => store.close() };
  });
} else {
  // The reason is printed once by test/support/skip-reasons.ts (jest's globalSetup).
  describe.skip('ReadModelStore contract: MongoDB (MONGO_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
