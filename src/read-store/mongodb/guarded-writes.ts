/** A projection batch as MongoDB bulk operations, each upsert guarded by what it applies (stream revision or global position). */
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { decodePosition } from '../../event-store/position';
import type { DocumentGuard, DocumentWrite, ReadModelDocument } from '../read-model-store.port';

export type MongoDocument = ReadModelDocument;

/**
 * An upsert replaces the stored document only when that one applied an older revision (or none),
 * or with guard 'position', an earlier global position (or none). When the stored one is as new or
 * newer, the filter matches nothing and the upsert's insert collides on `_id`: duplicate key
 * 11000, which means "already applied" (see isAlreadyApplied).
 */
export function guardedWrites(writes: readonly DocumentWrite[], guard: DocumentGuard = 'revision'): AnyBulkWriteOperation<MongoDocument>[] {
  return writes.map(({ _id, doc }): AnyBulkWriteOperation<MongoDocument> => {
    if (doc === null) return { deleteOne: { filter: { _id } } };
    if (guard === 'position') {
      if (typeof doc.position !== 'string') return { replaceOne: { filter: { _id }, replacement: doc, upsert: true } };
      return { replaceOne: { filter: { _id, $or: [{ position: { $exists: false } }, { $expr: storedPositionBefore(doc.position) }] }, replacement: doc, upsert: true } };
    }
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

/**
 * Positions are `commit/prepare` strings of unsigned 64-bit integers, so they neither sort as text
 * nor fit a BSON long: both parts of the stored `position` are compared as Decimal128.
 */
export function storedPositionBefore(position: string): Document {
  const { commit, prepare } = decodePosition(position);
  const part = (index: number) => ({ $toDecimal: { $arrayElemAt: [{ $split: ['$position', '/'] }, index] } });
  const value = (n: bigint) => ({ $toDecimal: n.toString() });
  return {
    $or: [{ $lt: [part(0), value(commit)] }, { $and: [{ $eq: [part(0), value(commit)] }, { $lt: [part(1), value(prepare)] }] }],
  };
}
