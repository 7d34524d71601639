/**
 * SIGTERM under load, on the real server as a child process: it exits 0 within seconds; each purchase
 * either was acknowledged (2xx) or refused / cut off (not acknowledged); after a restart on the same
 * DATA_DIR every acknowledged purchase is in the history exactly once and the projections reach the head.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { builtCli } from '../support/cli';
import { KEYS, newDataDir } from '../support/test-app';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const WRITERS = 20;
const API_KEYS = `w:writer:${KEYS.writer},a:admin:${KEYS.admin}`;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** src/main.ts as transpiled for the CLI tests (the same sources, without ts-node's start-up). */
async function startServer(dataDir: string): Promise<Server> {
  const main = join(dirname(dirname(builtCli())), 'main.js');
  const port = await freePort();
  const child = spawn(process.execPath, [main], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, API_KEYS, PORT: String(port), EVENT_STORE: '', READ_STORE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const until = Date.now() + 20_000;
  while (!output.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`the server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.writer}`, ...headers }, body: JSON.stringify(body) });

const get = async (base: string, path: string) => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
  return { status: response.status, body: (await response.json()) as any };
};

describe('SIGTERM under load (the real server, 20 concurrent writers)', () => {
  const dataDir = newDataDir();
  let server: Server | undefined;
  afterAll(() => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 within seconds; every acknowledged purchase is in the history exactly once after a restart, and the projections catch up', async () => {
    server = await startServer(dataDir);
    const customers = Array.from({ length: WRITERS }, (_, i) => `gs-${process.pid}-${i}`);
    for (const customerId of customers) expect((await post(server.base, '/v1/customers', { customerId, name: 'Li Wei', email: 'li.wei@example.com' })).status).toBe(201);

    const acknowledged = new Map<string, string[]>(customers.map((id) => [id, []]));
    const notAcknowledged: string[] = [];
    const outcomes = { acknowledged: 0, refused: 0, connectionErrors: 0, other: [] as string[] };
    let stop = false;
    const base = server.base;
    const writer = async (customerId: string, index: number) => {
      for (let n = 0; !stop; n += 1) {
        const purchaseId = `p-${index}-${n}`;
        try {
          const response = await post(base, `/v1/customers/${customerId}/purchases`, { purchaseId, amount: 1000 + n, currency: 'CNY' }, { 'idempotency-key': `k-${purchaseId}` });
          await response.arrayBuffer();
          if (response.status >= 200 && response.status < 300) {
            acknowledged.get(customerId)!.push(purchaseId);
            outcomes.acknowledged += 1;
          } else {
            notAcknowledged.push(purchaseId);
            if (response.status === 503) outcomes.refused += 1;
            else outcomes.other.push(`${response.status}`);
            return; // refused: the server is going away
          }
        } catch {
          notAcknowledged.push(purchaseId);
          outcomes.connectionErrors += 1;
          return;
        }
      }
    };
    const load = customers.map((customerId, index) => writer(customerId, index));

    // Mid-load: once a few hundred purchases are acknowledged (or a second has passed).
    const loadStart = Date.now();
    while (outcomes.acknowledged < 300 && Date.now() - loadStart < 3000) await new Promise((resolve) => setTimeout(resolve, 20));
    const sentAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const tookMs = Date.now() - sentAt;
    stop = true;
    await Promise.all(load);

    expect({ ...exit, output: exit.code === 0 ? '' : server.output() }).toEqual({ code: 0, signal: null, output: '' });
    expect(tookMs).toBeLessThan(5000);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.acknowledged).toBeGreaterThan(0);
    // Each writer ended on a refusal (503 while closing) or a refused / closed connection.
    expect(outcomes.refused + outcomes.connectionErrors).toBe(WRITERS);
    expect(server.output()).toMatch(/SIGTERM: stopping[\s\S]*stopped in \d+ ms/);

    server = await startServer(dataDir);
    let total = 0;
    for (const customerId of customers) {
      const { status, body } = await get(server.base, `/v1/customers/${customerId}/events?limit=1000`);
      expect(status).toBe(200);
      const purchases = (body.events as { type: string; data: { purchaseId: string } }[]).filter((event) => event.type === 'PurchaseRecorded').map((event) => event.data.purchaseId);
      const counts = new Map<string, number>();
      for (const id of purchases) counts.set(id, (counts.get(id) ?? 0) + 1);
      // Acknowledged: there exactly once. Not acknowledged (cut off in flight): at most once.
      for (const id of acknowledged.get(customerId)!) expect([id, counts.get(id)]).toEqual([id, 1]);
      for (const [id, count] of counts) expect([id, count]).toEqual([id, 1]);
      for (const id of purchases) expect(acknowledged.get(customerId)!.includes(id) || notAcknowledged.includes(id)).toBe(true);
      total += purchases.length;
    }
    expect(total).toBeGreaterThanOrEqual(outcomes.acknowledged);

    const until = Date.now() + 15_000;
    let projections = await get(server.base, '/v1/projections');
    while ((projections.body as { lag: number; status: string }[]).some((p) => p.lag !== 0 || p.status !== 'running') && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      projections = await get(server.base, '/v1/projections');
    }
    for (const projection of projections.body as { name: string; lag: number; status: string }[]) expect(projection).toMatchObject({ lag: 0, status: 'running' });
    const ready = await fetch(`${server.base}/health/ready`);
    expect(ready.status).toBe(200);
    const purchasesModel = await get(server.base, `/v1/read-models/purchases?limit=1&filter=${encodeURIComponent(JSON.stringify({ customerId: customers[0] }))}`);
    expect(purchasesModel.status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
