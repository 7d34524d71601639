import { MongoReadModelStore } from '../../src/read-store/mongodb/mongo-read-model-store';
import { readModelStoreContract } from './read-model-store.contract';

const url = process.env.MONGO_URL;

if (url) {
  readModelStoreContract(`MongoDB at ${url}`, async () => {
    const store = MongoReadModelStore.connect(url, 'customer_ledger_contract');
    return { store, dispose: () => store.close() };
  });
} else {
  console.log('MongoDB contract suite skipped: MONGO_URL is not set (docker compose up -d mongo; MONGO_URL=mongodb://localhost:27017/?replicaSet=rs0&directConnection=true npm test)');
  describe.skip('ReadModelStore contract: MongoDB (MONGO_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
