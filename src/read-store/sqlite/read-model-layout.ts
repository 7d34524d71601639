/**
 * The embedded read store's tables, made or brought up to date when a store opens its file: each
 * projection's table with its key columns and indexes (tableLayouts), and files of earlier layouts
 * moved over. In one IMMEDIATE transaction, so a second process opening the file meanwhile finds
 * it brought up to date or not at all.
 */
import type Database from 'better-sqlite3';
import { allQueryables } from '../queryable-fields';
import { keyPathsOf, tableLayouts, tableOf, type TableLayout } from './query-plan';
import { ADD_APPLIED_COLUMN, HAS_APPLIED_COLUMN, keyColumn, READ_MODEL_SCHEMA } from './read-model-schema';

export function prepareLayout(db: Database.Database): void {
  db.exec(READ_MODEL_SCHEMA);
  addAppliedColumn(db);
  const layouts = tableLayouts(allQueryables());
  db.transaction(() => {
    for (const layout of layouts) {
      db.exec(layout.create);
      addKeyColumns(db, layout);
      dropExpressionIndexes(db, layout.table);
      for (const statement of layout.indexes) db.exec(statement);
    }
    moveToProjectionTables(db);
  }).immediate();
}

/**
 * Key columns a table lacks (a file of an earlier release, or a definition that declares a new
 * field) are added and filled from the documents, as json_extract reads them (keyValue's contract).
 */
function addKeyColumns(db: Database.Database, { table, keyPaths }: TableLayout): void {
  const columns = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);
  const missing = keyPaths.filter((path) => !columns.has(`doc.${path}`));
  if (missing.length === 0) return;
  for (const path of missing) db.exec(`ALTER TABLE ${table} ADD COLUMN ${keyColumn(path)}`);
  fillKeyColumns(db, table, missing);
}

function fillKeyColumns(db: Database.Database, table: string, paths: readonly string[], collection?: string): void {
  if (paths.length === 0) return;
  const sets = paths.map((path) => `${keyColumn(path)} = json_extract(doc, '$.${path}')`).join(', ');
  if (collection === undefined) db.exec(`UPDATE ${table} SET ${sets}`);
  else db.prepare(`UPDATE ${table} SET ${sets} WHERE collection = ?`).run(collection);
}

/** The indexes on json_extract(doc, …) of the release before key columns. */
function dropExpressionIndexes(db: Database.Database, table: string): void {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql LIKE '%json_extract(%'").pluck().all(table) as string[];
  for (const name of names) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

/**
 * Files written before projections had tables of their own: their documents move from
 * `documents` to their projection's table (key columns filled), and the partial indexes on
 * `documents` are dropped.
 */
function moveToProjectionTables(db: Database.Database): void {
  const oldIndexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND name GLOB 'rm_*'").pluck().all() as string[];
  const misplaced = (db.prepare('SELECT DISTINCT collection FROM documents').pluck().all() as string[]).filter((collection) => tableOf(collection) !== 'documents');
  for (const collection of misplaced) {
    const table = tableOf(collection);
    db.prepare(`INSERT OR IGNORE INTO ${table} (collection, id, revision, doc, applied) SELECT collection, id, revision, doc, applied FROM documents WHERE collection = ?`).run(collection);
    fillKeyColumns(db, table, keyPathsOf(collection), collection);
    db.prepare('DELETE FROM documents WHERE collection = ?').run(collection);
  }
  for (const name of oldIndexes) db.exec(`DROP INDEX IF EXISTS ${name}`);
}

/** Another process may add the column at the same moment: "duplicate column" then means done. */
function addAppliedColumn(db: Database.Database): void {
  if (db.prepare(HAS_APPLIED_COLUMN).get() !== undefined) return;
  try {
    db.exec(ADD_APPLIED_COLUMN);
  } catch (error) {
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}
