/** The auditors' reads of one customer's history, shared by the audit routes and the benchmarks. */
import { evolve } from '../customer/evolve';
import { initialState, type CustomerState } from '../customer/state';
import { toCustomerEvent } from '../event-store/customer-events';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';

/** What auditors see of an event: the stored event with its revision and position. */
export const auditView = (event: RecordedEvent) => ({
  revision: Number(event.revision),
  position: event.position,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

export interface FoldedState {
  /** Revision of the last event folded, null when none was. */
  revision: number | null;
  state: CustomerState;
}

/** The customer's state as the ledger stood: events recorded up to `asOf`, or up to `revision` (a prefix of the stream). */
export async function foldHistory(store: EventStore, streamId: string, until: { asOf?: string | null; revision?: number } = {}): Promise<FoldedState> {
  const state = initialState();
  let revision: number | null = null;
  for await (const event of store.readStream(streamId)) {
    if (until.asOf != null && event.recordedAt > until.asOf) break;
    if (until.revision !== undefined && Number(event.revision) > until.revision) break;
    const domainEvent = toCustomerEvent(event);
    if (domainEvent) evolve(state, domainEvent);
    revision = Number(event.revision);
  }
  return { revision, state };
}

const LINES_PER_CHUNK = 256;

/** `JSON.stringify(auditView(event))`, copying the stored JSON text when the store hands it over. */
export function auditLine(event: RecordedEvent): string {
  const encoded = event.encoded;
  if (!encoded) return JSON.stringify(auditView(event));
  return `{"revision":${Number(event.revision)},"position":${JSON.stringify(event.position)},"type":${JSON.stringify(event.type)},"data":${encoded.data},"metadata":${encoded.metadata}}`;
}

/** NDJSON of a stream, one event per line, in chunks of lines: memory holds one page, whatever the history's length. */
export async function* exportLines(store: EventStore, streamId: string): AsyncGenerator<string> {
  let chunk = '';
  let lines = 0;
  for await (const event of store.readStream(streamId)) {
    chunk += `${auditLine(event)}\n`;
    if (++lines === LINES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}
