import { createServer, connect, type Server, type Socket } from 'node:net';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { MongoReadModelStore } from '../../src/read-store/mongodb/mongo-read-model-store';
import { readModelAggregateContract } from './read-model-aggregate.contract';
import { readModelStoreContract } from './read-model-store.contract';

const url = process.env.MONGO_URL;

if (url) {
  readModelStoreContract(`MongoDB at ${url}`, async (options = {}) => {
    const store = MongoReadModelStore.connect(url, 'customer_ledger_contract', options.queryTimeoutMs);
    return { store, dispose: () => store.close() };
  }, process.env.MONGO_BRIDGE === '1' ? ['time limit', 'position guard'] : []);

  readModelAggregateContract(`MongoDB at ${url}`, async () => {
    const store = MongoReadModelStore.connect(url, 'customer_ledger_contract');
    return { store, dispose: () => store.close() };
  }, process.env.MONGO_BRIDGE === '1' ? ['bucket boundaries'] : []);

  /** Not part of the port's contract: how this adapter lives through MongoDB's absence. */
  describe(`MongoReadModelStore at ${url}: MongoDB down at start-up, then up`, () => {
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
      const store = new MongoReadModelStore({ url: `mongodb://127.0.0.1:${relayPort}/?directConnection=true`, dbName: 'customer_ledger_contract', serverSelectionTimeoutMS: 500 });
      try {
        await expect(store.getSetting('reconnect-probe')).rejects.toBeInstanceOf(StoreUnavailableError);
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
        await store.setSetting('reconnect-probe', 'back');
        expect(await store.getSetting('reconnect-probe')).toBe('back');
      } finally {
        await store.close();
      }
    });
  });
} else {
  // The reason is printed once by test/support/skip-reasons.ts (jest's globalSetup).
  describe.skip('ReadModelStore contract: MongoDB (MONGO_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
