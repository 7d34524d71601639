import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { readModelStoreContract } from './read-model-store.contract';

readModelStoreContract('SQLite + mingo (embedded)', async (options = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rm-'));
  const store = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite'), ...options });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
