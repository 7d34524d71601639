import { createServer, type Server, type Socket } from 'node:net';
import { StoreUnavailableError } from '../../../src/shared/store-unavailable';
import { MongoReadModelStore } from '../../../src/read-store/mongodb/mongo-read-model-store';

/** /health must answer within 1 s when MongoDB is down: ping() has its own deadline, whatever server selection allows. */
describe('MongoReadModelStore.ping deadline (no server needed)', () => {
  const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

  async function expectPingRejectsQuickly(url: string): Promise<void> {
    const store = MongoReadModelStore.connect(url, 'ping_deadline');
    try {
      const started = Date.now();
      const error = await store.ping().then(() => null, (e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(elapsed).toBeLessThan(1500);
    } finally {
      await store.close();
    }
  }

  it('rejects with StoreUnavailableError within 1.5 s when nothing listens on the port', async () => {
    // A port that was just free: bind it, note it, release it.
    const probe = createServer();
    const port = await listen(probe);
    await close(probe);
    await expectPingRejectsQuickly(`mongodb://127.0.0.1:${port}/?directConnection=true`);
  });

  it('rejects within 1.5 s when the server accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    const port = await listen(silent);
    try {
      await expectPingRejectsQuickly(`mongodb://127.0.0.1:${port}/?directConnection=true`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(silent);
    }
  });
});
