/** Folds events through a projection definition the way the engine does (revision guard included, settled as written). */
import type { CustomerEvent } from '../../../src/customer/events';
import type { CustomerDocument, ProjectionDefinition, ProjectionEvent } from '../../../projections/projection';

export function asRecorded(events: CustomerEvent[], streamId = 'customer-c1'): ProjectionEvent[] {
  return events.map((event, revision) => ({ ...event, streamId, revision, position: `${revision + 1}/${revision + 1}`, recordedAt: `2026-06-01T00:00:${String(revision % 60).padStart(2, '0')}.000Z` }));
}

/** The document as the engine writes it: settled (the definition's derived fields set). */
export function written<D extends CustomerDocument>(definition: ProjectionDefinition<D>, doc: D | undefined): D | undefined {
  if (doc) definition.settle?.(doc);
  return doc;
}

export function project<D extends CustomerDocument>(definition: ProjectionDefinition<D>, events: ProjectionEvent[], start?: D): D | undefined {
  let doc = start;
  for (const event of events) {
    if (!definition.handles.includes(event.type)) continue;
    if (doc && doc.revision >= event.revision) continue;
    doc = definition.apply(doc, event);
  }
  return written(definition, doc);
}
