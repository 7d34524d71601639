import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { readModelAggregateContract } from './read-model-aggregate.contract';
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

readModelAggregateContract('SQLite + mingo (embedded)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rm-'));
  const store = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

// In memory there are no query workers: the aggregation runs on the event loop, with a document limit.
readModelAggregateContract('SQLite in memory (main thread)', async () => {
  const store = new SqliteReadModelStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

describe('SQLite read-model store: dropping a large collection', () => {
  it('deletes in statements of 2,000 documents, letting the event loop run between them, and leaves the others', async () => {
    const store = new SqliteReadModelStore({ filename: ':memory:' });
    const doc = (_id: string, n: number) => ({ _id, revision: 0, n });
    await store.writeBatch('kept_v1', [{ _id: 'k', doc: doc('k', 0) }], null);
    await store.writeBatch('big_v1', Array.from({ length: 4500 }, (_, i) => ({ _id: `d${i}`, doc: doc(`d${i}`, i) })), null);
    let dropped = false;
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = !dropped));
    await store.dropCollection('big_v1');
    dropped = true;
    expect(ranMeanwhile).toBe(true);
    expect(await store.count('big_v1')).toBe(0);
    expect(await store.count('kept_v1')).toBe(1);
    await store.close();
  });
});

describe('SQLite read-model store file made before position guards', () => {
  it('gets the applied column on open and keeps its documents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-rm-'));
    const filename = join(dir, 'read-models.sqlite');
    const old = new Database(filename);
    old.exec(`CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER, doc TEXT NOT NULL, UNIQUE (collection, id));
      INSERT INTO documents VALUES ('c_v1', 'a', 1, '{"_id":"a","revision":1}');`);
    old.close();
    const store = new SqliteReadModelStore({ filename });
    expect(await store.get('c_v1', 'a')).toEqual({ _id: 'a', revision: 1 });
    await store.writeBatch('o_v1', [{ _id: 'o', doc: { _id: 'o', position: '2/2' } }], null, { guard: 'position' });
    await store.writeBatch('o_v1', [{ _id: 'o', doc: { _id: 'o', position: '1/1', stale: true } }], null, { guard: 'position' });
    expect(await store.get('o_v1', 'o')).toEqual({ _id: 'o', position: '2/2' });
    await store.close();
    new SqliteReadModelStore({ filename }).close();
    rmSync(dir, { recursive: true, force: true });
  });
});
