/** customer-ledger itself, as `npm start` serves it, on a fresh data directory with customers registered. */
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';

const [dir, customers, projections] = process.argv.slice(2);

async function main(): Promise<void> {
  const config = loadConfig({ DATA_DIR: join(dir, 'ledger'), API_KEYS: 'bench:writer:bench-secret-1,bench-audit:auditor:bench-secret-2', RUN_PROJECTIONS: projections ?? 'true' });
  const { app } = await createApp(config, ['error']);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const port = Number(new URL(url.replace('[::1]', 'localhost')).port);
  for (let i = 0; i < Number(customers); i++) {
    const response = await app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: 'Bearer bench-secret-1', 'content-type': 'application/json' },
      payload: { customerId: `bench-${i}`, name: `Bench ${i}`, email: `bench-${i}@example.com` },
    });
    if (response.statusCode !== 201) throw new Error(`registration failed: ${response.body}`);
  }
  process.send?.({ port });
  // The harness asks for a clean exit (so --cpu-prof can write its profile).
  process.on('message', () => void app.close().then(() => process.exit(0)));
}

void main();
