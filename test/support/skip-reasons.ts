/**
 * Jest globalSetup: says, once and before any test runs, which suites will skip and why (a skipped
 * file's own console output is not shown by jest).
 */
export default function printSkipReasons(): void {
  if (!process.env.EVENTSTORE_URL) console.log('\nEventStoreDB contract suite skipped: EVENTSTORE_URL is not set (docker compose up -d eventstore; EVENTSTORE_URL=esdb://localhost:2113?tls=false npm test)');
  if (process.env.MONGO_URL && process.env.MONGO_BRIDGE === '1')
    console.log('MongoDB contract on the wire bridge (MONGO_BRIDGE=1): the time-limit, position-guard and $bucket-boundary cases skipped — mongomock has no maxTimeMS, cannot compare Decimal128 and places $bucket boundaries its own way (docs/testing-mongodb.md)');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) console.log('Disk-full health test (test/e2e/health) skipped: not root (it mounts a tmpfs as DATA_DIR)');
  if (!process.env.MONGO_URL) console.log('MongoDB contract and e2e suites skipped: MONGO_URL is not set (docker compose up -d mongo; MONGO_URL=mongodb://localhost:27017/?replicaSet=rs0&directConnection=true npm test; or the bridge: docs/testing-mongodb.md)');
}
