import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config';
import { MongoKeyStore } from '../../../src/privacy/mongodb-key-store';
import { SqliteKeyStore } from '../../../src/privacy/sqlite-key-store';
import { openKeyStore } from '../../../src/open-event-store';

describe('openKeyStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-ks-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('embedded read store: DATA_DIR/keys.sqlite', async () => {
    const store = await openKeyStore(loadConfig({ DATA_DIR: dataDir }));
    expect(store).toBeInstanceOf(SqliteKeyStore);
    expect(existsSync(join(dataDir, 'keys.sqlite'))).toBe(true);
    await store.close();
  });

  it('MongoDB read store: the MongoDB key store on MONGO_URL, without connecting yet', async () => {
    const store = await openKeyStore(loadConfig({ DATA_DIR: dataDir, READ_STORE: 'mongodb', MONGO_URL: 'mongodb://127.0.0.1:1/?directConnection=true' }));
    expect(store).toBeInstanceOf(MongoKeyStore);
    expect(existsSync(join(dataDir, 'keys.sqlite'))).toBe(false);
    await store.close();
  });
});
