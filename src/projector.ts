/** Runs the projections and the process managers alone (the production split: API replicas with RUN_PROJECTIONS=false, one projector). */
import { ConfigError, loadConfig } from './config/config';
import { openRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const { eventStore, readStore, engine, idempotencyClaims } = await openRuntime(config, 'here');
  console.log(`customer-ledger projector running (event store: ${config.eventStore}, read store: ${config.readStore})`);
  const shutdown = async () => {
    await engine?.stop();
    await Promise.all([eventStore.close(), readStore.close(), idempotencyClaims.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
