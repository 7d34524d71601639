/** A projection batch as MongoDB bulk operations, each upsert guarded by the stream revision it applies. */
import type { AnyBulkWriteOperation } from 'mongodb';
import type { DocumentWrite, ReadModelDocument } from '../read-model-store.port';

export type MongoDocument = ReadModelDocument;

/**
 * An upsert replaces the stored document only when that one applied an older revision (or none).
 * When the stored one is as new or newer, the filter matches nothing and the upsert's insert
 * collides on `_id`: duplicate key 11000, which means "already applied" (see isAlreadyApplied).
 */
export function guardedWrites(writes: readonly DocumentWrite[]): AnyBulkWriteOperation<MongoDocument>[] {
  return writes.map(({ _id, doc }): AnyBulkWriteOperation<MongoDocument> => {
    if (doc === null) return { deleteOne: { filter: { _id } } };
    if (doc.revision === undefined) return { replaceOne: { filter: { _id }, replacement: doc, upsert: true } };
    return {
      replaceOne: {
        filter: { _id, $or: [{ revision: { $lt: doc.revision } }, { revision: { $exists: false } }] },
        replacement: doc,
        upsert: true,
      },
    };
  });
}
