/**
 * Random filters, sorts and pages on the embedded store against the oracle (mingo filter, MongoDB
 * order): whatever part goes down to SQL, the answer must be the filter's, in the same order.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Filter, Sort } from '../../src/read-store/read-model-store.port';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { expectedFind, profileDocs } from '../contract/read-model-store.contract';

const PROFILES = 'customer_profiles_v1';
const docs = profileDocs(400);

const value = fc.oneof(
  fc.constantFrom('gold', 'silver', 'standard', 'loyal', 'new', 'at_risk', 'outlet-1', 'outlet-2', '500', '2023-06-01', '2024-03-01', 'cust-1', ''),
  fc.constantFrom(0, 100, 300, 450, 500, 800, -1),
  fc.constant(null),
  fc.boolean(),
);
const field = fc.constantFrom('tier', 'stage', 'outletId', 'stats.totalSpent', 'stats.lastPurchaseAt', 'registeredAt', 'tags', 'name', 'stats.purchaseCount', '_id');
const condition: fc.Arbitrary<unknown> = fc.oneof(
  value,
  fc.record({ $eq: value }),
  fc.record({ $in: fc.array(value, { minLength: 1, maxLength: 4 }) }),
  fc.record({ $gt: value }, { requiredKeys: [] }),
  fc.record({ $gte: value, $lt: value }, { requiredKeys: [] }),
  fc.record({ $lte: value }),
  fc.record({ $ne: value }),
  fc.record({ $exists: fc.boolean() }),
  fc.record({ $regex: fc.constantFrom('^cust-1', 'vip$', '0', '^o') }),
);
const anyClause = fc.dictionary(field, condition, { minKeys: 1, maxKeys: 3 });
/** Conditions on declared fields with operands mostly of the declared type: what the planner pushes down. */
const numberOperand = fc.oneof(fc.constantFrom(0, 100, 250, 300, 500, 700, 800), fc.constantFrom('500', null));
const dateOperand = fc.oneof(fc.constantFrom('2023-03-01', '2023-06-05', '2024-01-01', '2024-05-15T00:00:00.000Z', '2025'), fc.constantFrom(5, null));
const typedCondition = (operand: fc.Arbitrary<unknown>) =>
  fc.oneof(operand, fc.record({ $gt: operand }), fc.record({ $gte: operand }), fc.record({ $lt: operand }), fc.record({ $lte: operand }), fc.record({ $gte: operand, $lt: operand }), fc.record({ $in: fc.array(operand, { minLength: 1, maxLength: 3 }) }));
const typedClause = fc.oneof(
  fc.record({ 'stats.totalSpent': typedCondition(numberOperand) }),
  fc.record({ registeredAt: typedCondition(dateOperand) }),
  fc.record({ 'stats.lastPurchaseAt': typedCondition(dateOperand) }),
  fc.record({ tier: typedCondition(fc.constantFrom('gold', 'silver', 'standard', 'platinum')) }, { requiredKeys: [] }),
  fc.record({ stage: typedCondition(fc.constantFrom('new', 'loyal', 'at_risk', null)), outletId: typedCondition(fc.constantFrom('outlet-1', 'outlet-3', null)) }, { requiredKeys: [] }),
);
const clause = fc.oneof({ arbitrary: typedClause, weight: 3 }, { arbitrary: anyClause, weight: 2 });
const filter: fc.Arbitrary<Filter> = fc.oneof(
  clause,
  fc.record({ $and: fc.array(clause, { minLength: 1, maxLength: 3 }) }),
  fc.record({ $or: fc.array(clause, { minLength: 1, maxLength: 3 }) }),
  fc.tuple(clause, fc.array(clause, { minLength: 1, maxLength: 2 })).map(([c, or]) => ({ ...c, $or: or })),
);
const sort: fc.Arbitrary<Sort | undefined> = fc.option(fc.dictionary(field, fc.constantFrom<1 | -1>(1, -1), { minKeys: 1, maxKeys: 2 }), { nil: undefined, freq: 3 });

describe('SQLite read store: random queries agree with the oracle', () => {
  let dir: string;
  let store: SqliteReadModelStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-fuzz-'));
    store = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
    await store.writeBatch(PROFILES, docs.map((d) => ({ _id: d._id, doc: d })), { name: PROFILES, position: '1/1' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds and counts the same documents in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(filter, sort, fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), async (f, s, skip, limit) => {
        const options = { filter: f, sort: s, skip, limit };
        expect((await store.find(PROFILES, options)).map((d) => d._id)).toEqual(expectedFind(docs, options));
        expect(await store.count(PROFILES, f)).toBe(expectedFind(docs, { filter: f }).length);
      }),
      { numRuns: 400, seed: 20261201 },
    );
  }, 120_000);
});
