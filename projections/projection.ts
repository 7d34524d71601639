/** What a projection definition is: pure functions from a document and an event to the next document. */
import type { CustomerEvent } from '../src/customer/events';

/** An event as projections see it: the domain event plus where and when it was recorded. */
export type ProjectionEvent = CustomerEvent & {
  streamId: string;
  revision: number;
  position: string;
  recordedAt: string;
};

/** Every per-customer read model document: keyed by customer id, guarded by the stream revision it applied. */
export interface CustomerDocument {
  _id: string;
  revision: number;
  [field: string]: unknown;
}

/**
 * A field analysts filter and sort on: both read stores index it (SQLite expression indexes,
 * MongoDB indexes). `type` is a promise of the definition: the value at `path` is always of that
 * type, or null / missing, and no array lies along the path; the SQLite query planner relies on
 * it to push filters down only when the operand has the same type.
 */
export interface QueryableField {
  path: string;
  type: 'string' | 'number' | 'array';
}

export interface ProjectionDefinition<D extends CustomerDocument = CustomerDocument> {
  /** Projection name and the collection readers know it by. */
  name: string;
  /** Fields analysts query (indexed in both read stores); see QueryableField. */
  queryable?: readonly QueryableField[];
  /** Groups of queryable fields indexed together (e.g. tier × stage for segments). */
  compoundIndexes?: readonly (readonly string[])[];
  /** Bump when the definition changes meaning: documents must then be rebuilt. */
  version: number;
  /** Event types it reads; others never reach `apply`. */
  handles: readonly CustomerEvent['type'][];
  /** The document an event belongs to. */
  documentId: (event: ProjectionEvent) => string;
  /** The next document; `undefined` deletes it. Pure: no I/O, no clock. */
  apply: (doc: D | undefined, event: ProjectionEvent) => D | undefined;
}
