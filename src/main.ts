/** Serves the API (and, unless RUN_PROJECTIONS=false, the projections) on the configured stores. */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { stopOnSignals } from './shutdown';

async function main(): Promise<void> {
  const config = loadConfig();
  const masterKeyFile = config.masterKey === null ? join(config.dataDir, 'master.key') : null;
  const masterKeyExisted = masterKeyFile !== null && existsSync(masterKeyFile);
  const { app, generatedKeys } = await createApp(config, undefined, { shutdownHooks: false });
  stopOnSignals(app, config.shutdownTimeoutMs);
  await app.listen(config.port, '0.0.0.0');
  // The port bound, not the one asked for: PORT=0 lets the system choose one.
  const address = app.getHttpServer().address();
  const port = address !== null && typeof address === 'object' ? address.port : config.port;
  console.log(`customer-ledger listening on http://localhost:${port} (event store: ${config.eventStore}, read store: ${config.readStore}, data: ${config.dataDir})`);
  if (generatedKeys.length > 0) {
    console.log(`\nGenerated API keys (shown once; only their hashes are kept in ${config.dataDir}/api-keys.json):`);
    for (const key of generatedKeys) console.log(`  ${key.role.padEnd(8)} ${key.secret}`);
    console.log('\nUse them as "Authorization: Bearer <key>". OpenAPI: /docs\n');
  }
  if (masterKeyFile !== null && !masterKeyExisted && existsSync(masterKeyFile))
    console.log(`Generated the master key of personal data into ${masterKeyFile} (mode 600): back it up apart from the data; without it no personal field can be read (docs/privacy.md).\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
