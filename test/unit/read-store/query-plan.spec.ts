import Database from 'better-sqlite3';
import { allQueryables } from '../../../src/read-store/queryable-fields';
import { planQuery, tableLayouts } from '../../../src/read-store/sqlite/query-plan';
import { READ_MODEL_SCHEMA } from '../../../src/read-store/sqlite/read-model-schema';

const P = 'customer_profiles_v1';
const tier = '"doc.tier"';
const spent = '"doc.stats.totalSpent"';

describe('SQLite query planning', () => {
  it('pushes equality, $in, null and ranges on declared fields down, exactly', () => {
    expect(planQuery(P, { tier: 'gold', 'stats.totalSpent': { $gte: 100, $lt: 500 } }, undefined)).toMatchObject({
      table: 'docs_customer_profiles',
      where: `collection = ? AND ${tier} = ? AND ${spent} >= ? AND ${spent} < '' AND ${spent} < ?`,
      params: [P, 'gold', 100, 500],
      exact: true,
      orderBy: 'id',
    });
    expect(planQuery(P, { $and: [{ stage: { $in: ['new', 'loyal'] } }, { outletId: null }] }, undefined)).toMatchObject({ exact: true, params: [P, 'new', 'loyal'] });
    expect(planQuery(P, { registeredAt: { $lte: '2024-01-01' } }, undefined).where).toContain(`"doc.registeredAt" >= ''`);
    expect(planQuery(P, { _id: 'c-1' }, undefined)).toMatchObject({ where: 'collection = ? AND id = ?', exact: true });
  });

  it('leaves to mingo what the indexes cannot answer exactly: other fields, $or, $regex, $ne, arrays, other operand types', () => {
    for (const filter of [
      { name: 'x' },
      { $or: [{ tier: 'gold' }, { tier: 'silver' }] },
      { tier: { $regex: '^g' } },
      { tier: { $ne: 'gold' } },
      { tags: 'vip' },
      { 'stats.totalSpent': '100' },
      { tier: 5 },
      { tier: { $in: ['gold', 5] } },
      { tier: { $in: [] } },
      { 'stats.totalSpent': { $gt: Number.POSITIVE_INFINITY } },
    ])
      expect({ filter, plan: planQuery(P, filter, undefined) }).toMatchObject({ filter, plan: { where: 'collection = ?', exact: false } });
    const mixed = planQuery(P, { tier: 'gold', name: { $regex: 'x' } }, undefined);
    expect(mixed).toMatchObject({ where: `collection = ? AND ${tier} = ?`, exact: false, hasRegex: true });
  });

  it('pushes a sort on declared fields down with _id breaking ties, and not one on other fields', () => {
    expect(planQuery(P, undefined, { 'stats.totalSpent': -1 })).toMatchObject({ orderBy: `${spent} DESC, id ASC`, sortPushed: true });
    expect(planQuery(P, undefined, { tier: 1, _id: -1 })).toMatchObject({ orderBy: `${tier} ASC, id DESC`, sortPushed: true });
    expect(planQuery(P, undefined, { name: 1 })).toMatchObject({ sortPushed: false });
  });

  it('pushes nothing but _id for collections no projection declares fields on, or unversioned ones', () => {
    expect(planQuery('contract_x', { tier: 'gold', _id: 'a' }, { tier: 1 })).toMatchObject({ table: 'documents', where: 'collection = ? AND id = ?', exact: false, sortPushed: false });
    expect(planQuery('customer_profiles', { tier: 'gold' }, undefined)).toMatchObject({ table: 'documents', where: 'collection = ?', exact: false });
  });

  it('creates indexes on the key columns that EXPLAIN QUERY PLAN shows in use', () => {
    const db = new Database(':memory:');
    db.exec(READ_MODEL_SCHEMA);
    for (const layout of tableLayouts(allQueryables())) for (const statement of [layout.create, ...layout.indexes]) db.exec(statement);
    const explain = (filter: Record<string, unknown>, sort?: Record<string, 1 | -1>) => {
      const plan = planQuery(P, filter, sort);
      return (db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM ${plan.table} WHERE ${plan.where} ORDER BY ${plan.orderBy} LIMIT 50`).all(...plan.params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    };
    expect(explain({ tier: 'gold' })).toMatch(/USING INDEX docs_customer_profiles__tier/);
    expect(explain({ 'stats.lastPurchaseAt': { $gte: '2024-01-01' } }, { 'stats.lastPurchaseAt': 1 })).toMatch(/^SEARCH docs_customer_profiles USING INDEX docs_customer_profiles__stats_lastPurchaseAt \(collection=\? AND doc\.stats\.lastPurchaseAt>\? AND doc\.stats\.lastPurchaseAt<\?\)$/);
    expect(explain({ stage: 'loyal' })).toMatch(/USING INDEX docs_customer_profiles__stage /);
    db.close();
  });
});
