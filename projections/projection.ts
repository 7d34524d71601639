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

/**
 * Any read-model document: per-customer ones carry the stream `revision` they applied; documents
 * fed by many streams (guard 'position') carry the global `position` they applied, set by the engine.
 */
export interface ProjectionDocument {
  _id: string;
  revision?: number;
  position?: string;
  [field: string]: unknown;
}

export interface ProjectionDefinition<D extends ProjectionDocument = CustomerDocument> {
  /** Projection name and the collection readers know it by. */
  name: string;
  /** Fields analysts query (indexed in both read stores); see QueryableField. */
  queryable?: readonly QueryableField[];
  /** Groups of queryable fields indexed together (e.g. tier × stage for segments). */
  compoundIndexes?: readonly (readonly string[])[];
  /** Bump when the definition changes meaning: documents must then be rebuilt. */
  version: number;
  /**
   * What keeps an event from being applied twice to a document (after a crash between document
   * writes and checkpoint, or by two processes): 'revision' (default) — the document is one
   * stream's and `apply` sets `revision`; 'position' — the document gathers many streams' events
   * (e.g. per outlet per day) and the engine stamps it with the global `position` it applied.
   */
  guard?: 'revision' | 'position';
  /** Event types it reads; others never reach `apply`. */
  handles: readonly CustomerEventType[];
  /** The document an event belongs to. */
  documentId: (event: ProjectionEvent) => string;
  /**
   * For an event that changes many of the projection's documents (an erasure clears every
   * follow-up's notes): their ids, of which only those that exist are changed; null for an event of
   * one document (`documentId`'s).
   */
  fanOut?: (event: ProjectionEvent) => readonly string[] | null;
  /**
   * What a cached document weighs against the runner's cache bound, in documents of a few hundred
   * bytes; 1 when absent. For documents that grow with a customer's history (`listWeight`). (Method syntax, as `apply`.)
   */
  cacheWeight?(doc: D): number;
  /** The next document; `undefined` deletes it. Pure: no I/O, no clock. (Method syntax: a definition of any document type is a ProjectionDefinition<ProjectionDocument>.) */
  apply(doc: D | undefined, event: ProjectionEvent): D | undefined;
  /**
   * Sets the fields a document derives from the rest of it, once before it is written instead of
   * after every event (due_dates' next due instant). Pure, and a function of the document alone,
   * so where the writes fall does not change what is written.
   */
  settle?(doc: D): void;
}

/**
 * A `cacheWeight` for a document whose lists grow with its customer's history: 1, plus one for
 * every ten entries of those lists (ten entries weigh about as much as a small document).
 */
export const listWeight = (...lengths: number[]): number => 1 + lengths.reduce((sum, length) => sum + length, 0) / 10;

/** One handler per event type a projection reads: it changes `doc`, a copy it owns. */
export type Handlers<D> = { [K in CustomerEventType]?: (doc: D, event: ProjectionEventOf<K>) => void };

/**
 * A projection declared by its handlers: the event types it reads are the handlers' keys (never a
 * second list), and each event is applied to a copy of the document (`copy`) or a new one (`create`).
 */
export function defineProjection<D extends ProjectionDocument>(spec: {
  name: string;
  version: number;
  guard?: 'revision' | 'position';
  queryable?: readonly QueryableField[];
  compoundIndexes?: readonly (readonly string[])[];
  create: (event: ProjectionEvent) => D;
  /** A copy deep enough that handlers may change it without touching the cached original. */
  copy: (doc: D) => D;
  on: Handlers<D>;
  documentId?: (event: ProjectionEvent) => string;
  fanOut?: (event: ProjectionEvent) => readonly string[] | null;
  cacheWeight?: (doc: D) => number;
  settle?: (doc: D) => void;
}): ProjectionDefinition<D> {
  const handlers = spec.on as Record<string, ((doc: D, event: ProjectionEvent) => void) | undefined>;
  return {
    name: spec.name,
    version: spec.version,
    guard: spec.guard,
    queryable: spec.queryable,
    compoundIndexes: spec.compoundIndexes,
    handles: Object.keys(spec.on) as CustomerEventType[],
    documentId: spec.documentId ?? ((event) => event.data.customerId),
    fanOut: spec.fanOut,
    cacheWeight: spec.cacheWeight,
    settle: spec.settle,
    apply(current, event) {
      const handler = handlers[event.type];
      if (!handler) return current;
      const doc = current ? spec.copy(current) : spec.create(event);
      handler(doc, event);
      if (spec.guard !== 'position') doc.revision = event.revision;
      return doc;
    },
  };
}
