/** What a projection definition is: pure functions from a document and an event to the next document. */
import type { CustomerEvent, CustomerEventType } from '../src/customer/events';

/** An event as projections see it: the domain event plus where and when it was recorded. */
export type ProjectionEvent = CustomerEvent & {
  streamId: string;
  revision: number;
  position: string;
  recordedAt: string;
};

export type ProjectionEventOf<T extends CustomerEventType> = Extract<ProjectionEvent, { type: T }>;

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
  handles: readonly CustomerEventType[];
  /** The document an event belongs to. */
  documentId: (event: ProjectionEvent) => string;
  /** The next document; `undefined` deletes it. Pure: no I/O, no clock. (A method, so a definition of any document type is a definition.) */
  apply(doc: D | undefined, event: ProjectionEvent): D | undefined;
}

/** One handler per event type a projection reads: it changes `doc`, a copy it owns. */
export type Handlers<D> = { [K in CustomerEventType]?: (doc: D, event: ProjectionEventOf<K>) => void };

/**
 * A projection declared by its handlers: the event types it reads are the handlers' keys (never a
 * second list), and each event is applied to a copy of the document (`copy`) or a new one (`create`).
 */
export function defineProjection<D extends CustomerDocument>(spec: {
  name: string;
  version: number;
  queryable?: readonly QueryableField[];
  compoundIndexes?: readonly (readonly string[])[];
  create: (event: ProjectionEvent) => D;
  /** A copy deep enough that handlers may change it without touching the cached original. */
  copy: (doc: D) => D;
  on: Handlers<D>;
  documentId?: (event: ProjectionEvent) => string;
}): ProjectionDefinition<D> {
  const handlers = spec.on as Record<string, ((doc: D, event: ProjectionEvent) => void) | undefined>;
  return {
    name: spec.name,
    version: spec.version,
    queryable: spec.queryable,
    compoundIndexes: spec.compoundIndexes,
    handles: Object.keys(spec.on) as CustomerEventType[],
    documentId: spec.documentId ?? ((event) => event.data.customerId),
    apply(current, event) {
      const handler = handlers[event.type];
      if (!handler) return current;
      const doc = current ? spec.copy(current) : spec.create(event);
      handler(doc, event);
      doc.revision = event.revision;
      return doc;
    },
  };
}
