/** The auditors' reads of one customer's history, shared by the audit routes and the benchmarks. */
import { foldStream, type FoldLimit } from '../event-store/customer-stream';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { CustomerState } from '../customer/state';
import { NdjsonChunks } from './ndjson-chunks';

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

/** The customer's state as of a business time (`asOf`), as the ledger knew it (`knownAt`), or up to a revision. */
export async function foldHistory(store: EventStore, streamId: string, limit: FoldLimit = {}): Promise<FoldedState> {
  const folded = await foldStream(store.readStream(streamId), limit);
  return { revision: folded.revision === null ? null : Number(folded.revision), state: folded.state };
}

/** `JSON.stringify(auditView(event))`, copying the stored JSON text when the store hands it over. */
export function auditLine(event: RecordedEvent): string {
  const encoded = event.encoded;
  if (!encoded) return JSON.stringify(auditView(event));
  return `{"revision":${Number(event.revision)},"position":${JSON.stringify(event.position)},"type":${JSON.stringify(event.type)},"data":${encoded.data},"metadata":${encoded.metadata}}`;
}

/** NDJSON of a stream, one event per line, in chunks (NdjsonChunks): memory holds one page, whatever the history's length. `onLines` hears each chunk's lines and the position of its last. */
export async function* exportLines(store: EventStore, streamId: string, onLines?: (lines: number, lastPosition: string | null) => void): AsyncGenerator<Buffer> {
  const chunks = new NdjsonChunks();
  let lastPosition: string | null = null;
  for await (const event of store.readStream(streamId)) {
    // A chunk handed back here is full without this event.
    const full = chunks.add(auditLine(event));
    if (full) {
      onLines?.(full.lines, lastPosition);
      yield full.bytes;
    }
    lastPosition = event.position;
  }
  const last = chunks.end();
  if (last) {
    onLines?.(last.lines, lastPosition);
    yield last.bytes;
  }
}
