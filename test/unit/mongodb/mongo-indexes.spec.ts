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

describe('care read-model indexes', () => {
  it('cover the worklist filters, each followed by the dueAt, _id sort, and the analytics periods', () => {
    const keys = (collection: string) => indexesFor(collection).map((index) => Object.keys(index.key).join(','));
    for (const collection of ['complaints_v1', 'follow_ups_v1']) expect(keys(collection)).toEqual(expect.arrayContaining(['dueAt,_id', 'status,dueAt,_id', 'assignee,dueAt,_id', 'customerId,dueAt,_id']));
    expect(keys('complaints_v1')).toEqual(expect.arrayContaining(['severity,dueAt,_id', 'filedAt']));
    expect(keys('follow_ups_v1')).toEqual(expect.arrayContaining(['reason,dueAt,_id']));
    expect(keys('purchases_v1')).toEqual(expect.arrayContaining(['occurredAt', 'outletId,occurredAt']));
    for (const collection of ['complaints', 'follow_ups', 'purchases']) for (const index of indexesFor(collection)) expect(index.name).toEqual(expect.any(String));
  });
});
