import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteIdempotencyClaimStore } from '../../src/idempotency/sqlite-idempotency-claim-store';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { idempotencyClaimStoreContract } from './idempotency-claim-store.contract';

idempotencyClaimStoreContract('SQLite (embedded, in the read models file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-claims-'));
  const filename = join(dir, 'read-models.sqlite');
  // As at runtime: the read model store has the same file open.
  const readStore = new SqliteReadModelStore({ filename, queryTimeoutMs: 1000 });
  const store = new SqliteIdempotencyClaimStore({ filename });
  return {
    store,
    openAnother: async () => new SqliteIdempotencyClaimStore({ filename }),
    dispose: async () => {
      await store.close();
      await readStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite idempotency claim store', () => {
  it('keeps its claims across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-claims-'));
    const filename = join(dir, 'read-models.sqlite');
    try {
      const claim = { apiKeyName: 'w', idempotencyKey: 'k', streamId: 'customer-c', route: 'visit:c', commandHash: 'f'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z' };
      const store = new SqliteIdempotencyClaimStore({ filename });
      await store.putIfAbsent(claim);
      await store.close();
      const reopened = new SqliteIdempotencyClaimStore({ filename });
      expect(await reopened.get('w', 'k')).toEqual(claim);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closed, answers StoreUnavailableError; a file that cannot be opened is StoreUnavailableError', async () => {
    const store = new SqliteIdempotencyClaimStore({ filename: ':memory:' });
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get('w', 'k')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.putIfAbsent({ apiKeyName: 'w', idempotencyKey: 'k', streamId: 's', route: 'r', commandHash: 'h', createdAt: '2026-01-01T00:00:00.000Z' })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(() => new SqliteIdempotencyClaimStore({ filename: join(tmpdir(), 'no-such-dir-ledger', 'x', 'read-models.sqlite') })).toThrow(StoreUnavailableError);
  });
});
