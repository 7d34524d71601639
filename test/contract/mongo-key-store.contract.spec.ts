import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { MongoKeyStore } from '../../src/privacy/mongodb-key-store';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { keyStoreContract } from './key-store.contract';

const url = process.env.MONGO_URL;
const DB = 'customer_ledger_contract';

if (url) {
  keyStoreContract(`MongoDB at ${url}`, async () => {
    const store = MongoKeyStore.connect(url, DB);
    return { store, openAnother: async () => MongoKeyStore.connect(url, DB), dispose: () => store.close() };
  });

  /** Not part of the port's contract: how this adapter lives through MongoDB's absence. */
  describe(`MongoKeyStore at ${url}: MongoDB down at start-up, then up`, () => {
    // The first host of MONGO_URL, reached through a TCP relay on a port of our own that we open late.
    const [host, port] = (/^mongodb:\/\/(?:[^@/]*@)?([^:/?,]+)(?::(\d+))?/.exec(url) ?? []).slice(1);
    const sockets = new Set<Socket>();
    let relay: Server | undefined;
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      if (relay) await new Promise<void>((resolve) => relay?.close(() => resolve()));
    });

    it('answers once MongoDB is reachable, although its first connect failed', async () => {
      const probe = createServer();
      const relayPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const store = new MongoKeyStore({ url: `mongodb://127.0.0.1:${relayPort}/?directConnection=true`, dbName: DB, serverSelectionTimeoutMS: 500 });
      const customerId = `kc-reconnect-${randomBytes(4).toString('hex')}`;
      try {
        await expect(store.putIfAbsent(customerId, randomBytes(61), '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);

        relay = createServer((client) => {
          const upstream = connect(Number(port ?? 27017), host);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on('error', () => undefined);
          }
          client.pipe(upstream).pipe(client);
        });
        await new Promise<void>((resolve) => relay?.listen(relayPort, '127.0.0.1', () => resolve()));

        await expect(store.ping()).resolves.toBeUndefined();
        const key = randomBytes(61);
        expect((await store.putIfAbsent(customerId, key, '2026-01-01T00:00:00.000Z')).wrappedKey).toEqual(key);
      } finally {
        await store.close();
      }
    });
  });
} else {
  // The reason is printed once by test/support/skip-reasons.ts (jest's globalSetup).
  describe.skip('KeyStore contract: MongoDB (MONGO_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
