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
  handles: readonly CustomerEvent['type'][];
  /** The document an event belongs to. */
  documentId: (event: ProjectionEvent) => string;
  /** The next document; `undefined` deletes it. Pure: no I/O, no clock. (Method syntax: a definition of any document type is a ProjectionDefinition<ProjectionDocument>.) */
  apply(doc: D | undefined, event: ProjectionEvent): D | undefined;
}
