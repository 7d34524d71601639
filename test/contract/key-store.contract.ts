/**
 * What every KeyStore adapter must do (src/privacy/key-store.port.ts). Customer ids are unique per
 * run, so a shared server works too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataKeyRecord, KeyStore } from '../../src/privacy/key-store.port';

export interface KeyStoreSubject {
  store: KeyStore;
  /** A second connection to the same store (another process would open one like it). */
  openAnother(): Promise<KeyStore>;
  dispose(): Promise<void>;
}

/** Bytes shaped like a wrapped key (61), zeros included, so nothing is cut at a NUL. */
const wrapped = (): Buffer => Buffer.concat([Buffer.of(1, 0, 0), randomBytes(58)]);

export function keyStoreContract(name: string, open: () => Promise<KeyStoreSubject>): void {
  describe(`KeyStore contract: ${name}`, () => {
    let subject: KeyStoreSubject;
    let store: KeyStore;
    const run = randomUUID().slice(0, 8);
    let n = 0;
    const id = (): string => `kc-${run}-${++n}`;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject.dispose());

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('putIfAbsent stores the first key and returns it; a second putIfAbsent returns the first record', async () => {
      const customerId = id();
      const first = wrapped();
      const stored = await store.putIfAbsent(customerId, first, '2026-01-01T00:00:00.000Z');
      expect(stored).toEqual<DataKeyRecord>({ customerId, wrappedKey: first, createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: null });
      expect(Buffer.isBuffer(stored.wrappedKey)).toBe(true);

      const again = await store.putIfAbsent(customerId, wrapped(), '2026-02-01T00:00:00.000Z');
      expect(again).toEqual(stored);
      expect((await store.getMany([customerId])).get(customerId)).toEqual(stored);
    });

    it('putManyIfAbsent stores the missing keys in one write and answers the stored record of each (existing and destroyed ones win)', async () => {
      const [existing, destroyed, fresh1, fresh2] = [id(), id(), id(), id()];
      const kept = await store.putIfAbsent(existing, wrapped(), '2026-01-01T00:00:00.000Z');
      await store.destroy(destroyed, '2026-01-02T00:00:00.000Z');
      const keys = [existing, destroyed, fresh1, fresh2].map((customerId) => ({ customerId, wrappedKey: wrapped() }));
      const stored = await store.putManyIfAbsent(keys, '2026-03-01T00:00:00.000Z');
      expect([...stored.keys()].sort()).toEqual([existing, destroyed, fresh1, fresh2].sort());
      expect(stored.get(existing)).toEqual(kept);
      expect(stored.get(destroyed)).toMatchObject({ wrappedKey: null, destroyedAt: '2026-01-02T00:00:00.000Z' });
      expect(stored.get(fresh1)).toEqual<DataKeyRecord>({ customerId: fresh1, wrappedKey: keys[2].wrappedKey, createdAt: '2026-03-01T00:00:00.000Z', destroyedAt: null });
      expect(await store.getMany([fresh1, fresh2])).toEqual(new Map([[fresh1, stored.get(fresh1)], [fresh2, stored.get(fresh2)]]));
      expect(await store.putManyIfAbsent([], '2026-03-01T00:00:00.000Z')).toEqual(new Map());
    });

    it('concurrent putIfAbsent of ten different keys: all answer the same record, the one stored', async () => {
      const customerId = id();
      const keys = Array.from({ length: 10 }, wrapped);
      const results = await Promise.all(keys.map((key, i) => store.putIfAbsent(customerId, key, `2026-01-01T00:00:0${i}.000Z`)));
      const winner = results[0];
      for (const result of results) expect(result).toEqual(winner);
      expect(keys.some((key) => key.equals(winner.wrappedKey as Buffer))).toBe(true);
      expect((await store.getMany([customerId])).get(customerId)).toEqual(winner);
    });

    it('concurrent putIfAbsent through two connections agree on one key', async () => {
      const other = await subject.openAnother();
      try {
        const ids = Array.from({ length: 20 }, id);
        const results = await Promise.all(ids.flatMap((customerId) => [store.putIfAbsent(customerId, wrapped(), '2026-01-01T00:00:00.000Z'), other.putIfAbsent(customerId, wrapped(), '2026-01-01T00:00:00.000Z')]));
        for (let i = 0; i < ids.length; i++) expect(results[2 * i + 1]).toEqual(results[2 * i]);
        const seen = await other.getMany(ids);
        for (let i = 0; i < ids.length; i++) expect(seen.get(ids[i])).toEqual(results[2 * i]);
      } finally {
        await other.close();
      }
    });

    it('getMany answers the customers that have a record, destroyed ones included, and nothing for an empty list', async () => {
      const [live, destroyed, unknown] = [id(), id(), id()];
      const key = wrapped();
      await store.putIfAbsent(live, key, '2026-01-01T00:00:00.000Z');
      await store.putIfAbsent(destroyed, wrapped(), '2026-01-01T00:00:00.000Z');
      await store.destroy(destroyed, '2026-03-01T00:00:00.000Z');

      const found = await store.getMany([live, unknown, destroyed, live]);
      expect([...found.keys()].sort()).toEqual([destroyed, live].sort());
      expect(found.get(live)).toEqual({ customerId: live, wrappedKey: key, createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: null });
      expect(found.get(destroyed)).toEqual({ customerId: destroyed, wrappedKey: null, createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: '2026-03-01T00:00:00.000Z' });
      expect(await store.getMany([])).toEqual(new Map());
      expect(await store.getMany([unknown])).toEqual(new Map());
    });

    it('destroy nulls the key, keeps createdAt, and putIfAbsent afterwards answers the tombstone', async () => {
      const customerId = id();
      await store.putIfAbsent(customerId, wrapped(), '2026-01-01T00:00:00.000Z');
      await store.destroy(customerId, '2026-03-01T00:00:00.000Z');
      const tombstone: DataKeyRecord = { customerId, wrappedKey: null, createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: '2026-03-01T00:00:00.000Z' };
      expect((await store.getMany([customerId])).get(customerId)).toEqual(tombstone);
      expect(await store.putIfAbsent(customerId, wrapped(), '2026-04-01T00:00:00.000Z')).toEqual(tombstone);
      expect((await store.getMany([customerId])).get(customerId)).toEqual(tombstone);
    });

    it('destroy of a customer without a key leaves a tombstone that putIfAbsent answers', async () => {
      const customerId = id();
      await store.destroy(customerId, '2026-03-01T00:00:00.000Z');
      const record = (await store.getMany([customerId])).get(customerId);
      expect(record).toMatchObject({ customerId, wrappedKey: null, destroyedAt: '2026-03-01T00:00:00.000Z' });
      expect(typeof record?.createdAt).toBe('string');
      expect(await store.putIfAbsent(customerId, wrapped(), '2026-04-01T00:00:00.000Z')).toEqual(record);
    });

    it('destroy is idempotent: again, later, concurrently, the first destroyedAt stays', async () => {
      const customerId = id();
      await store.putIfAbsent(customerId, wrapped(), '2026-01-01T00:00:00.000Z');
      await store.destroy(customerId, '2026-03-01T00:00:00.000Z');
      await store.destroy(customerId, '2026-05-01T00:00:00.000Z');
      await Promise.all([store.destroy(customerId, '2026-06-01T00:00:00.000Z'), store.destroy(customerId, '2026-06-02T00:00:00.000Z')]);
      expect((await store.getMany([customerId])).get(customerId)).toEqual({ customerId, wrappedKey: null, createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: '2026-03-01T00:00:00.000Z' });

      const unknown = id();
      await Promise.all([store.destroy(unknown, '2026-03-01T00:00:00.000Z'), store.destroy(unknown, '2026-03-01T00:00:00.000Z')]);
      expect((await store.getMany([unknown])).get(unknown)).toMatchObject({ wrappedKey: null, destroyedAt: '2026-03-01T00:00:00.000Z' });
    });

    it('a destroy racing putIfAbsent ends destroyed, and no key is made after it', async () => {
      const customerId = id();
      await Promise.all([store.putIfAbsent(customerId, wrapped(), '2026-01-01T00:00:00.000Z'), store.destroy(customerId, '2026-03-01T00:00:00.000Z')]);
      expect((await store.getMany([customerId])).get(customerId)).toMatchObject({ wrappedKey: null, destroyedAt: '2026-03-01T00:00:00.000Z' });
      expect((await store.putIfAbsent(customerId, wrapped(), '2026-04-01T00:00:00.000Z')).wrappedKey).toBeNull();
    });
  });
}
