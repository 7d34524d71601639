/**
 * What every IdempotencyClaimStore adapter must do (src/idempotency/idempotency-claim-store.port.ts).
 * API key names and keys are unique per run, so a shared server works too.
 */
import { randomUUID } from 'node:crypto';
import type { IdempotencyClaim, IdempotencyClaimStore } from '../../src/idempotency/idempotency-claim-store.port';

export interface IdempotencyClaimStoreSubject {
  store: IdempotencyClaimStore;
  /** A second connection to the same store (another process would open one like it). */
  openAnother(): Promise<IdempotencyClaimStore>;
  dispose(): Promise<void>;
}

export function idempotencyClaimStoreContract(name: string, open: () => Promise<IdempotencyClaimStoreSubject>): void {
  describe(`IdempotencyClaimStore contract: ${name}`, () => {
    let subject: IdempotencyClaimStoreSubject;
    let store: IdempotencyClaimStore;
    const run = randomUUID().slice(0, 8);
    let n = 0;
    const apiKey = (): string => `ic-${run}-writer-${++n}`;
    const claim = (apiKeyName: string, idempotencyKey: string, change: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
      apiKeyName,
      idempotencyKey,
      streamId: 'customer-c-1',
      route: 'purchase:c-1',
      commandHash: 'a'.repeat(64),
      createdAt: '2026-01-01T00:00:00.000Z',
      ...change,
    });

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject.dispose());

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('putIfAbsent stores the first claim and returns it; get finds it; an unknown one is null', async () => {
      const first = claim(apiKey(), 'k-1');
      expect(await store.get(first.apiKeyName, 'k-1')).toBeNull();
      expect(await store.putIfAbsent(first)).toEqual(first);
      expect(await store.get(first.apiKeyName, 'k-1')).toEqual(first);
      expect(await store.get(first.apiKeyName, 'k-2')).toBeNull();
    });

    it('a second putIfAbsent of the same (API key, key) returns the first claim, whatever it differs in', async () => {
      const first = claim(apiKey(), 'k-1');
      await store.putIfAbsent(first);
      for (const change of [{ streamId: 'customer-c-2' }, { route: 'visit:c-1' }, { commandHash: 'b'.repeat(64) }, { createdAt: '2026-02-01T00:00:00.000Z' }])
        expect(await store.putIfAbsent(claim(first.apiKeyName, 'k-1', change))).toEqual(first);
      expect(await store.get(first.apiKeyName, 'k-1')).toEqual(first);
    });

    it('the same key under two API keys makes two claims', async () => {
      const [a, b] = [apiKey(), apiKey()];
      const ofA = claim(a, 'shared', { streamId: 'customer-a' });
      const ofB = claim(b, 'shared', { streamId: 'customer-b' });
      expect(await store.putIfAbsent(ofA)).toEqual(ofA);
      expect(await store.putIfAbsent(ofB)).toEqual(ofB);
      expect(await store.get(a, 'shared')).toEqual(ofA);
      expect(await store.get(b, 'shared')).toEqual(ofB);
    });

    it('keeps names and keys apart exactly: no separator makes two pairs one', async () => {
      const name = apiKey();
      const one = claim(`${name}:x`, 'y', { streamId: 'customer-1' });
      const two = claim(name, 'x:y', { streamId: 'customer-2' });
      const three = claim(`${name}","x`, 'y', { streamId: 'customer-3' });
      for (const c of [one, two, three]) expect(await store.putIfAbsent(c)).toEqual(c);
      expect(await store.get(name, 'x:y')).toEqual(two);
      expect(await store.get(name.toUpperCase(), 'x:y')).toBeNull();
      expect(await store.get(name, 'X:Y')).toBeNull();
    });

    it('concurrent putIfAbsent of ten different claims: all answer the same claim, the one stored', async () => {
      const name = apiKey();
      const claims = Array.from({ length: 10 }, (_, i) => claim(name, 'race', { streamId: `customer-${i}`, commandHash: String(i).repeat(64) }));
      const results = await Promise.all(claims.map((c) => store.putIfAbsent(c)));
      for (const result of results) expect(result).toEqual(results[0]);
      expect(claims).toContainEqual(results[0]);
      expect(await store.get(name, 'race')).toEqual(results[0]);
    });

    it('concurrent putIfAbsent through two connections agree on one claim per key', async () => {
      const other = await subject.openAnother();
      try {
        const name = apiKey();
        const keys = Array.from({ length: 20 }, (_, i) => `k-${i}`);
        const results = await Promise.all(keys.flatMap((key) => [store.putIfAbsent(claim(name, key, { streamId: 'customer-here' })), other.putIfAbsent(claim(name, key, { streamId: 'customer-there' }))]));
        for (let i = 0; i < keys.length; i++) {
          expect(results[2 * i + 1]).toEqual(results[2 * i]);
          expect(await other.get(name, keys[i])).toEqual(results[2 * i]);
        }
      } finally {
        await other.close();
      }
    });
  });
}
