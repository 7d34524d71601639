import { MongoServerError } from 'mongodb';
import { PROJECTIONS } from '../../../projections';
import { MongoReadModelStore } from '../../../src/read-store/mongodb/mongo-read-model-store';
import { indexesFor } from '../../../src/read-store/mongodb/mongo-indexes';
import { QueryTimeoutError } from '../../../src/read-store/read-model-store.port';

describe('read-model indexes', () => {
  it('covers the fields analysts filter on, for every version of a collection', () => {
    const keys = (collection: string) => indexesFor(collection).flatMap((index) => Object.keys(index.key));
    expect(keys('customer_profiles_v1')).toEqual(expect.arrayContaining(['tier', 'stage', 'stats.lastPurchaseAt', 'registeredAt', 'outletId']));
    expect(keys('customer_profiles_v12')).toEqual(keys('customer_profiles_v1'));
    expect(keys('customer_lifecycle_v2')).toEqual(expect.arrayContaining(['stage', 'lastPurchaseAt']));
    expect(keys('loyalty_balances_v1')).toEqual(expect.arrayContaining(['tier', 'nextExpiryAt']));
    expect(indexesFor('contract_abc')).toEqual([]);
  });

  it('indexes every field the projections declare queryable (the fields the SQLite store indexes too)', () => {
    const keys = (collection: string) => indexesFor(collection).flatMap((index) => Object.keys(index.key));
    for (const projection of PROJECTIONS) expect(keys(`${projection.name}_v1`)).toEqual(expect.arrayContaining((projection.queryable ?? []).map((field) => field.path)));
    expect(keys('customer_profiles_v1')).toEqual(expect.arrayContaining(['stats.totalSpent', 'tags']));
    expect(keys('customer_lifecycle_v1')).toEqual(expect.arrayContaining(['atRiskFrom']));
    expect(keys('loyalty_balances_v1')).toEqual(expect.arrayContaining(['balance']));
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

describe('MongoReadModelStore queries (driver calls, no server)', () => {
  /** A stand-in for the driver's collection that records what the store asks of it. */
  function fakeCollection(fail?: Error) {
    const calls: { method: string; args: unknown[] }[] = [];
    const cursor = {
      sort: (...args: unknown[]) => (calls.push({ method: 'sort', args }), cursor),
      skip: (...args: unknown[]) => (calls.push({ method: 'skip', args }), cursor),
      limit: (...args: unknown[]) => (calls.push({ method: 'limit', args }), cursor),
      toArray: async () => {
        if (fail) throw fail;
        return [];
      },
    };
    const collection = {
      find: (...args: unknown[]) => (calls.push({ method: 'find', args }), cursor),
      countDocuments: async (...args: unknown[]) => {
        calls.push({ method: 'countDocuments', args });
        if (fail) throw fail;
        return 0;
      },
      aggregate: (...args: unknown[]) => (calls.push({ method: 'aggregate', args }), cursor),
    };
    return { calls, collection };
  }
  const storeWith = (collection: unknown) => {
    const store = new MongoReadModelStore({ url: 'mongodb://127.0.0.1:9/customer_ledger', queryTimeoutMs: 1234 });
    (store as unknown as { documents: () => unknown }).documents = () => collection;
    return store;
  };

  it('gives find, count and countBy the time limit as maxTimeMS, and sorts with _id last', async () => {
    const { calls, collection } = fakeCollection();
    const store = storeWith(collection);
    await store.find('customer_profiles_v1', { filter: { tier: 'gold' }, sort: { 'stats.totalSpent': -1 }, skip: 5, limit: 10 });
    await store.find('customer_profiles_v1', { filter: { tier: 'gold' }, limit: 10 });
    await store.count('customer_profiles_v1', { tier: 'gold' });
    await store.countBy('customer_profiles_v1', ['tier', 'stage']);
    expect(calls.filter((c) => c.method === 'find').map((c) => c.args[1])).toEqual([{ maxTimeMS: 1234 }, { maxTimeMS: 1234 }]);
    expect(calls.filter((c) => c.method === 'sort').map((c) => c.args[0])).toEqual([{ 'stats.totalSpent': -1, _id: 1 }, { _id: 1 }]);
    expect(calls.find((c) => c.method === 'countDocuments')?.args[1]).toEqual({ maxTimeMS: 1234 });
    expect(calls.find((c) => c.method === 'aggregate')?.args[1]).toEqual({ maxTimeMS: 1234 });
    await store.close();
  });

  it('fails a query past maxTimeMS (server code 50) with QueryTimeoutError', async () => {
    const { collection } = fakeCollection(new MongoServerError({ message: 'operation exceeded time limit', code: 50 }));
    const store = storeWith(collection);
    await expect(store.find('customer_profiles_v1', { filter: { name: { $regex: 'x' } } })).rejects.toBeInstanceOf(QueryTimeoutError);
    await expect(store.count('customer_profiles_v1', { name: { $regex: 'x' } })).rejects.toMatchObject({ name: 'QueryTimeoutError', timeoutMs: 1234 });
    await expect(store.countBy('customer_profiles_v1', ['tier'])).rejects.toBeInstanceOf(QueryTimeoutError);
    await store.close();
  });
});
