/**
 * One table of the embedded read store (`documents` or a projection's `docs_<projection>`): its
 * statements, prepared once, and the guarded write of a document with its key columns.
 */
import type Database from 'better-sqlite3';
import type { ReadModelDocument } from '../read-model-store.port';
import { keyColumn, keyValue, replaces } from './read-model-schema';

/** [rowid, revision, applied, key value…] of a stored document. */
type StoredRow = [number, number | null, string | null, ...unknown[]];

export class DocumentTable {
  readonly get: Database.Statement;
  readonly getMany: Database.Statement;
  readonly delete: Database.Statement;
  /** Deletes up to N documents of a collection (the store drops a collection in such chunks). */
  readonly dropChunk: Database.Statement;
  private readonly stored: Database.Statement;
  private readonly insert: Database.Statement;
  /** UPDATE statements by the set of key columns they change (bit i: keyPaths[i]), prepared when first needed. */
  private readonly updates = new Map<number, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly name: string,
    readonly keyPaths: readonly string[],
  ) {
    if (keyPaths.length > 30) throw new Error(`table ${name} declares ${keyPaths.length} fields: at most 30 fit the changed-column mask`);
    const keys = keyPaths.map(keyColumn);
    this.get = db.prepare(`SELECT doc FROM ${name} WHERE collection = ? AND id = ?`).pluck();
    this.getMany = db.prepare(`SELECT doc FROM ${name} WHERE collection = ? AND id IN (SELECT value FROM json_each(?))`).pluck();
    this.delete = db.prepare(`DELETE FROM ${name} WHERE collection = ? AND id = ?`);
    this.dropChunk = db.prepare(`DELETE FROM ${name} WHERE rowid IN (SELECT rowid FROM ${name} WHERE collection = ? LIMIT ?)`);
    this.stored = db.prepare(`SELECT rowid, revision, applied${keys.map((key) => `, ${key}`).join('')} FROM ${name} WHERE collection = ? AND id = ?`).raw();
    this.insert = db.prepare(`INSERT INTO ${name} (collection, id, revision, applied, doc${keys.map((key) => `, ${key}`).join('')}) VALUES (?, ?, ?, ?, ?${keys.map(() => ', ?').join('')})`);
  }

  /**
   * Writes `doc` unless the stored one applied as much (`replaces`). Only the key columns whose value
   * changed are set, so only their indexes are touched. Run inside the store's write transaction:
   * the read of the stored row and the write see one state of the file.
   */
  write(collection: string, doc: ReadModelDocument, revision: number | null, applied: string | null): void {
    const values = this.keyPaths.map((path) => keyValue(doc, path));
    const stored = this.stored.get(collection, doc._id) as StoredRow | undefined;
    if (stored === undefined) {
      this.insert.run(collection, doc._id, revision, applied, JSON.stringify(doc), ...values);
      return;
    }
    const [rowid, storedRevision, storedApplied] = stored;
    if (!replaces({ revision: storedRevision, applied: storedApplied }, { revision, applied })) return;
    let changed = 0;
    const changedValues: unknown[] = [];
    values.forEach((value, index) => {
      if (value === stored[3 + index]) return;
      changed |= 1 << index;
      changedValues.push(value);
    });
    this.update(changed).run(revision, applied, JSON.stringify(doc), ...changedValues, rowid);
  }

  private update(changed: number): Database.Statement {
    let statement = this.updates.get(changed);
    if (!statement) {
      const keys = this.keyPaths.flatMap((path, index) => (changed & (1 << index) ? [`, ${keyColumn(path)} = ?`] : []));
      statement = this.db.prepare(`UPDATE ${this.name} SET revision = ?, applied = ?, doc = ?${keys.join('')} WHERE rowid = ?`);
      this.updates.set(changed, statement);
    }
    return statement;
  }
}
