/** What needs no server: MongoDB down, and the duplicate-key answers of a race (which a server gives only sometimes). */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Binary, MongoServerError } from 'mongodb';
import { MongoKeyStore } from '../../../src/privacy/mongodb-key-store';
import { StoreUnavailableError } from '../../../src/shared/store-unavailable';

async function closedPort(): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const duplicateKey = () => new MongoServerError({ message: 'E11000 duplicate key error collection: personal_data_keys index: _id_', code: 11000 });

/** A store whose collection is a stand-in (never connected). */
function withCollection(keys: Record<string, unknown>): MongoKeyStore {
  const store = new MongoKeyStore({ url: 'mongodb://127.0.0.1:1/?directConnection=true', dbName: 'unit' });
  (store as unknown as { keys: unknown }).keys = keys;
  return store;
}

describe('MongoKeyStore without a server', () => {
  it('starts while MongoDB is down (lazy connect); every operation is StoreUnavailableError', async () => {
    const store = new MongoKeyStore({ url: `mongodb://127.0.0.1:${await closedPort()}/?directConnection=true`, dbName: 'unit', serverSelectionTimeoutMS: 300 });
    try {
      await expect(store.getMany(['c-1'])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.putIfAbsent('c-1', randomBytes(61), '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.destroy('c-1', '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('putIfAbsent that loses the insert race (E11000) answers the winner, read back', async () => {
    const winner = randomBytes(61);
    const store = withCollection({
      updateOne: async () => {
        throw duplicateKey();
      },
      findOne: async () => ({ _id: 'c-1', wrappedKey: new Binary(winner), createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: null }),
    });
    expect(await store.putIfAbsent('c-1', randomBytes(61), '2026-02-01T00:00:00.000Z')).toEqual({ customerId: 'c-1', wrappedKey: winner, createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: null });
  });

  it('destroy of a customer destroyed already (its upsert collides with the tombstone) is done', async () => {
    const store = withCollection({
      updateOne: async () => {
        throw duplicateKey();
      },
    });
    await expect(store.destroy('c-1', '2026-03-01T00:00:00.000Z')).resolves.toBeUndefined();
  });

  it('any other server error is StoreUnavailableError; an error of our own passes as it is', async () => {
    const refused = withCollection({
      find: () => ({
        toArray: async () => {
          throw new MongoServerError({ message: 'not authorized', code: 13 });
        },
      }),
    });
    await expect(refused.getMany(['c-1'])).rejects.toBeInstanceOf(StoreUnavailableError);
    const bug = new TypeError('bug');
    const broken = withCollection({
      updateOne: async () => {
        throw bug;
      },
    });
    await expect(broken.putIfAbsent('c-1', randomBytes(61), '2026-01-01T00:00:00.000Z')).rejects.toBe(bug);
  });

  it('getMany of no ids asks nothing', async () => {
    const store = withCollection({});
    expect(await store.getMany([])).toEqual(new Map());
  });
});
