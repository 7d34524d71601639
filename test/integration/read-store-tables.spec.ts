/**
 * Each projection's documents have a table of their own in the embedded read store; a file of the
 * previous layout (every document in `documents`, partial indexes on it) is moved over on open, and
 * one of the release before key columns (expression indexes) is brought up to date.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-tables-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'doc*' ORDER BY name").pluck().all() as string[];
const indexesOn = (db: Database.Database, table: string) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").pluck().all(table) as string[];

it('writes a projection\'s documents to its own table with its own indexes, and others to documents', async () => {
  const filename = join(dir, 'read.sqlite');
  const store = new SqliteReadModelStore({ filename, queryWorkers: 0 });
  await store.writeBatch('customer_profiles_v1', [{ _id: 'c-1', doc: { _id: 'c-1', revision: 0, tier: 'gold' } }], null);
  await store.writeBatch('scratch', [{ _id: 'x', doc: { _id: 'x', revision: 0 } }], null);
  await store.close();
  const db = new Database(filename, { readonly: true });
  try {
    expect(tables(db)).toEqual(expect.arrayContaining(['documents', 'docs_customer_profiles', 'docs_loyalty_balances', 'docs_purchases']));
    expect(db.prepare('SELECT collection, id FROM docs_customer_profiles').all()).toEqual([{ collection: 'customer_profiles_v1', id: 'c-1' }]);
    expect(db.prepare('SELECT collection, id FROM documents').all()).toEqual([{ collection: 'scratch', id: 'x' }]);
    expect(indexesOn(db, 'docs_customer_profiles')).toContain('docs_customer_profiles__tier');
    expect(indexesOn(db, 'docs_loyalty_balances').every((name) => name.startsWith('docs_loyalty_balances__'))).toBe(true);
    expect(indexesOn(db, 'documents')).toEqual([]);
  } finally {
    db.close();
  }
});

it('moves the documents of a file in the previous layout to their projections\' tables and drops the partial indexes', async () => {
  const filename = join(dir, 'old.sqlite');
  const old = new Database(filename);
  old.exec(`
    CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER, doc TEXT NOT NULL, applied TEXT, UNIQUE (collection, id));
    CREATE INDEX rm_customer_profiles__tier ON documents (collection, json_extract(doc, '$.tier'), id) WHERE collection GLOB 'customer_profiles_v*';
    CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
  const insert = old.prepare('INSERT INTO documents (collection, id, revision, doc, applied) VALUES (?, ?, ?, ?, ?)');
  for (let i = 0; i < 50; i++) insert.run('customer_profiles_v2', `c-${i}`, i, JSON.stringify({ _id: `c-${i}`, revision: i, tier: i % 2 ? 'gold' : 'basic' }), null);
  insert.run('outlet_activity_v1', 'o-1|2026-01-01', null, JSON.stringify({ _id: 'o-1|2026-01-01', outletId: 'o-1', day: '2026-01-01' }), '00000000000000000007/00000000000000000007');
  insert.run('scratch', 'x', 0, JSON.stringify({ _id: 'x', revision: 0 }), null);
  old.close();

  const store = new SqliteReadModelStore({ filename, queryWorkers: 0 });
  try {
    expect((await store.find('customer_profiles_v2', { filter: { tier: 'gold' }, limit: 100 })).map((doc) => doc._id)).toHaveLength(25);
    expect(store.explainFind('customer_profiles_v2', { filter: { tier: 'gold' } }).join(' ')).toContain('USING INDEX docs_customer_profiles__tier');
    expect(await store.get('outlet_activity_v1', 'o-1|2026-01-01')).toMatchObject({ outletId: 'o-1' });
    expect(await store.get('scratch', 'x')).toEqual({ _id: 'x', revision: 0 });
    expect((await store.listCollections()).sort()).toEqual(['customer_profiles_v2', 'outlet_activity_v1', 'scratch']);
    // The guard still holds on a moved document: an older revision does not overwrite it.
    await store.writeBatch('customer_profiles_v2', [{ _id: 'c-3', doc: { _id: 'c-3', revision: 1, tier: 'basic' } }], null);
    expect(await store.get('customer_profiles_v2', 'c-3')).toMatchObject({ revision: 3, tier: 'gold' });
  } finally {
    await store.close();
  }
  const db = new Database(filename, { readonly: true });
  try {
    expect(db.prepare('SELECT collection FROM documents').pluck().all()).toEqual(['scratch']);
    expect(indexesOn(db, 'documents')).toEqual([]);
    expect(db.prepare('SELECT applied FROM docs_outlet_activity').pluck().get()).toBe('00000000000000000007/00000000000000000007');
  } finally {
    db.close();
  }
  // Opened again: nothing left to move, nothing lost.
  const again = new SqliteReadModelStore({ filename, queryWorkers: 0 });
  expect(await again.count('customer_profiles_v2')).toBe(50);
  await again.close();
});

it('brings a file of the release before key columns up to date: columns added and filled, expression indexes replaced', async () => {
  const filename = join(dir, 'expressions.sqlite');
  const old = new Database(filename);
  old.exec(`
    CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER, doc TEXT NOT NULL, applied TEXT, UNIQUE (collection, id));
    CREATE TABLE docs_customer_profiles (collection TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER, doc TEXT NOT NULL, applied TEXT, UNIQUE (collection, id));
    CREATE INDEX docs_customer_profiles__tier ON docs_customer_profiles (collection, json_extract(doc, '$.tier'), id);
    CREATE INDEX docs_customer_profiles__stats_totalSpent ON docs_customer_profiles (collection, json_extract(doc, '$.stats.totalSpent'), id);
    CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
  const insert = old.prepare('INSERT INTO docs_customer_profiles (collection, id, revision, doc) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 40; i++) insert.run('customer_profiles_v1', `c-${i}`, i, JSON.stringify({ _id: `c-${i}`, revision: i, tier: i % 4 ? 'basic' : 'gold', stats: { totalSpent: i * 10 } }));
  old.close();

  const store = new SqliteReadModelStore({ filename, queryWorkers: 0 });
  try {
    expect((await store.find('customer_profiles_v1', { filter: { tier: 'gold' }, limit: 100 })).map((doc) => doc._id)).toHaveLength(10);
    expect(await store.count('customer_profiles_v1', { 'stats.totalSpent': { $gte: 200 } })).toBe(20);
    expect(store.explainFind('customer_profiles_v1', { filter: { tier: 'gold' } }).join(' ')).toContain('USING INDEX docs_customer_profiles__tier (collection=? AND doc.tier=?)');
    // A rewrite after the upgrade moves the document between index entries.
    await store.writeBatch('customer_profiles_v1', [{ _id: 'c-0', doc: { _id: 'c-0', revision: 1, tier: 'basic', stats: { totalSpent: 0 } } }], null);
    expect((await store.find('customer_profiles_v1', { filter: { tier: 'gold' }, limit: 100 })).map((doc) => doc._id)).toHaveLength(9);
  } finally {
    await store.close();
  }
  const db = new Database(filename, { readonly: true });
  try {
    expect(db.prepare("SELECT count(*) FROM docs_customer_profiles WHERE \"doc.tier\" IS json_extract(doc, '$.tier') AND \"doc.stats.totalSpent\" IS json_extract(doc, '$.stats.totalSpent')").pluck().get()).toBe(40);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql LIKE '%json_extract(%'").pluck().get()).toBe(0);
  } finally {
    db.close();
  }
});
