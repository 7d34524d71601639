import { MongoReadModelStore } from '../../../src/read-store/mongodb/mongo-read-model-store';
import { indexesFor } from '../../../src/read-store/mongodb/mongo-indexes';

describe('read-model indexes', () => {
  it('covers the fields analysts filter on, for every version of a collection', () => {
    const keys = (collection: string) => indexesFor(collection).flatMap((index) => Object.keys(index.key));
    expect(keys('customer_profiles_v1')).toEqual(expect.arrayContaining(['tier', 'stage', 'stats.lastPurchaseAt', 'registeredAt', 'outletId']));
    expect(keys('customer_profiles_v12')).toEqual(keys('customer_profiles_v1'));
    expect(keys('customer_lifecycle_v2')).toEqual(expect.arrayContaining(['stage', 'lastPurchaseAt']));
    expect(keys('loyalty_balances_v1')).toEqual(expect.arrayContaining(['tier', 'nextExpiryAt']));
    expect(indexesFor('contract_abc')).toEqual([]);
  });

  it('names every index, so creating them again is a no-op', () => {
    for (const collection of ['customer_profiles', 'customer_lifecycle', 'loyalty_balances']) for (const index of indexesFor(collection)) expect(index.name).toEqual(expect.any(String));
  });
});

describe('MongoReadModelStore without a server', () => {
  it('constructs without connecting, and answers STORE_UNAVAILABLE when no server can be selected', async () => {
    const store = new MongoReadModelStore({ url: 'mongodb://127.0.0.1:9/customer_ledger', serverSelectionTimeoutMS: 200 });
    await expect(store.get('customer_profiles_v1', 'c-1')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    await expect(store.writeBatch('customer_profiles_v1', [], { name: 'x', position: '1/1' })).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    await expect(store.ping()).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    await store.close();
  });
});
