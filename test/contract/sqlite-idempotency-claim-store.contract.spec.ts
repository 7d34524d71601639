import Database from 'better-sqlite3';
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
  const claimOf = (idempotencyKey: string, streamId = 'customer-c') => ({ apiKeyName: 'w', idempotencyKey, streamId, route: 'visit:c', commandHash: 'f'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z' });

  it('keeps its claims across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-claims-'));
    const filename = join(dir, 'read-models.sqlite');
    try {
      const claim = claimOf('k');
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

  it('claims made in one turn of the event loop share one commit, each answered as if alone (the first of a key wins)', async () => {
    const store = new SqliteIdempotencyClaimStore({ filename: ':memory:' });
    try {
      const claims = [claimOf('a', 'customer-1'), claimOf('b', 'customer-2'), claimOf('a', 'customer-3'), claimOf('c', 'customer-4')];
      const stored = await Promise.all(claims.map((c) => store.putIfAbsent(c)));
      expect(stored).toEqual([claims[0], claims[1], claims[0], claims[3]]);
      expect(store.commits).toBe(1);
      // The next turn commits on its own, and sees the claims before it.
      expect(await store.putIfAbsent(claimOf('b', 'customer-5'))).toEqual(claims[1]);
      expect(store.commits).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('a group whose commit fails answers every claim in it with StoreUnavailableError and stores none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-claims-'));
    const filename = join(dir, 'read-models.sqlite');
    const store = new SqliteIdempotencyClaimStore({ filename });
    // Another process holds the write lock past the store's busy timeout (5 s).
    const other = new Database(filename);
    try {
      const claim = (key: string) => claimOf(key);
      other.exec('BEGIN IMMEDIATE');
      const answers = await Promise.allSettled([store.putIfAbsent(claim('x')), store.putIfAbsent(claim('y'))]);
      expect(answers.map((answer) => answer.status === 'rejected' && answer.reason instanceof StoreUnavailableError)).toEqual([true, true]);
      other.exec('ROLLBACK');
      expect(await store.get('w', 'x')).toBeNull();
      expect(await store.get('w', 'y')).toBeNull();
      // The store goes on: the next claim commits.
      expect(await store.putIfAbsent(claim('x'))).toEqual(claim('x'));
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('a claim queued when the store closes is committed first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-claims-'));
    const filename = join(dir, 'read-models.sqlite');
    try {
      const claim = claimOf('q');
      const store = new SqliteIdempotencyClaimStore({ filename });
      const answer = store.putIfAbsent(claim);
      await store.close();
      expect(await answer).toEqual(claim);
      const reopened = new SqliteIdempotencyClaimStore({ filename });
      expect(await reopened.get('w', 'q')).toEqual(claim);
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
