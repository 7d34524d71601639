/**
 * The embedded store keeps each declared field in a key column and sets, on a rewrite, only the
 * columns whose value changed. Whatever the sequence of writes (new documents, rewrites that
 * change some fields or none, older revisions the guard refuses, deletions), every key column
 * must hold what json_extract reads from the stored document, and indexed queries must answer as
 * the filter does over the documents.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFilter } from '../../src/read-store/mingo-query';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';

const PROFILES = 'customer_profiles_v1';
const KEYS = ['tier', 'stage', 'outletId', 'stats.totalSpent', 'stats.lastPurchaseAt', 'registeredAt'];

/** A declared field holds a value of its declared type, or null, or nothing (QueryableField's promise). */
const text = fc.option(fc.constantFrom('gold', 'silver', 'standard', 'loyal', 'new', '2024-01-01', '2025-06-30T10:00:00.000Z', ''), { nil: null });
const amount = fc.option(fc.constantFrom(0, 1, 99.5, 300, -7, 1e21, Number.NaN), { nil: null });
/** Anything JSON holds, for the columns alone (queries promise nothing on values of another type). */
const anyValue = fc.oneof(text, amount, fc.boolean(), fc.constant(['a', 1]), fc.constant({ nested: { deeper: 'x' } }), fc.constant([]), fc.constant(''));

const profileOf = (string: fc.Arbitrary<unknown>, number: fc.Arbitrary<unknown>) =>
  fc.record(
    {
      tier: string,
      stage: string,
      outletId: string,
      registeredAt: string,
      stats: fc.record({ totalSpent: number, lastPurchaseAt: string }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );
const writesOf = (fields: fc.Arbitrary<Record<string, unknown>>) =>
  fc.array(
    fc.record({
      id: fc.constantFrom('c-1', 'c-2', 'c-3', 'c-4'),
      /** Added to the document's stored revision: 0 or less is refused by the guard. */
      step: fc.constantFrom(-1, 0, 1, 1, 1, 2),
      fields,
      remove: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
    { minLength: 1, maxLength: 40 },
  );

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const filters = [{ tier: 'gold' }, { stage: { $in: ['loyal', 'new'] } }, { 'stats.totalSpent': { $gte: 1, $lt: 500 } }, { registeredAt: { $lte: '2024-06-01' } }, { outletId: null }, { 'stats.lastPurchaseAt': { $gt: '' } }];

/** Writes in order through the store; returns the documents it must hold (the guard refuses revisions at or below the stored one). */
async function applyWrites(store: SqliteReadModelStore, writes: { id: string; step: number; fields: Record<string, unknown>; remove: boolean }[]): Promise<Map<string, Record<string, unknown>>> {
  const latest = new Map<string, Record<string, unknown>>();
  for (const { id, step, fields, remove } of writes) {
    const current = latest.get(id);
    if (remove) {
      await store.writeBatch(PROFILES, [{ _id: id, doc: null }], null);
      latest.delete(id);
      continue;
    }
    const revision = ((current?.revision as number | undefined) ?? 0) + step;
    // As stored: NaN becomes null.
    const doc = JSON.parse(JSON.stringify({ _id: id, revision, ...fields })) as { _id: string; revision: number };
    await store.writeBatch(PROFILES, [{ _id: id, doc }], null);
    if (current === undefined || step > 0) latest.set(id, doc);
  }
  return latest;
}

/** Rows of the file whose key column differs from json_extract of their document, per key. */
function mismatchedKeyColumns(filename: string): number[] {
  const db = new Database(filename, { readonly: true });
  try {
    return KEYS.map((path) => db.prepare(`SELECT count(*) FROM docs_customer_profiles WHERE "doc.${path}" IS NOT json_extract(doc, '$.${path}')`).pluck().get() as number);
  } finally {
    db.close();
  }
}

let run = 0;
const freshStore = () => {
  const filename = join(dir, `keys-${run++}.sqlite`);
  return { filename, store: new SqliteReadModelStore({ filename, queryWorkers: 0 }) };
};

it('answers indexed queries as the filter does over the documents, through rewrites, refusals and deletions', async () => {
  await fc.assert(
    fc.asyncProperty(writesOf(profileOf(text, amount)), async (writes) => {
      const { filename, store } = freshStore();
      try {
        const latest = await applyWrites(store, writes);
        for (const [id, doc] of latest) expect(await store.get(PROFILES, id)).toEqual(doc);
        for (const filter of filters) {
          const expected = [...latest.values()].filter((doc) => compileFilter(filter).test(doc)).map((doc) => doc._id).sort();
          expect({ filter, ids: (await store.find(PROFILES, { filter, limit: 100 })).map((doc) => doc._id).sort() }).toEqual({ filter, ids: expected });
        }
      } finally {
        await store.close();
      }
      expect(mismatchedKeyColumns(filename)).toEqual(KEYS.map(() => 0));
    }),
    { numRuns: 60 },
  );
});

it('keeps every key column equal to json_extract of the stored document, whatever JSON the field holds', async () => {
  await fc.assert(
    fc.asyncProperty(writesOf(profileOf(anyValue, anyValue)), async (writes) => {
      const { filename, store } = freshStore();
      try {
        await applyWrites(store, writes);
      } finally {
        await store.close();
      }
      expect(mismatchedKeyColumns(filename)).toEqual(KEYS.map(() => 0));
    }),
    { numRuns: 60 },
  );
});
