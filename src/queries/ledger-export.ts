/**
 * The whole ledger as NDJSON, in global order from a position: `ledger export` (the CLI) and
 * GET /v1/events/export share this code. Memory holds one page of the log, whatever its length.
 */
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';

/** Events per read of the global log. */
const PAGE = 1000;
const LINES_PER_CHUNK = 256;

export interface LedgerExportOptions {
  /** Events strictly after this position (the last `position` already exported); null: from the start. */
  fromPosition?: string | null;
  /** Only these event types; null or empty: all. */
  types?: readonly string[] | null;
}

/** One event as a line: its global position and stream first, then what the per-customer export shows. Copies the stored JSON text when the store hands it over. */
export function ledgerLine(event: RecordedEvent): string {
  const head = `{"position":${JSON.stringify(event.position)},"streamId":${JSON.stringify(event.streamId)},"revision":${Number(event.revision)},"type":${JSON.stringify(event.type)}`;
  const encoded = event.encoded;
  if (encoded) return `${head},"data":${encoded.data},"metadata":${encoded.metadata}}`;
  return `${head},"data":${JSON.stringify(event.data)},"metadata":${JSON.stringify(event.metadata)}}`;
}

/** The global log after `fromPosition`, page by page, until a read finds nothing more. */
export async function* ledgerEvents(store: EventStore, { fromPosition = null, types = null }: LedgerExportOptions = {}): AsyncGenerator<RecordedEvent> {
  const wanted = types && types.length > 0 ? new Set(types) : null;
  let after = fromPosition;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE, withMetadata: true });
    // Only an empty page ends the log: a server store may answer a short page before its end.
    if (page.length === 0) return;
    for (const event of page) if (wanted === null || wanted.has(event.type)) yield event;
    after = page[page.length - 1].position;
  }
}

/** NDJSON chunks of `LINES_PER_CHUNK` lines; `onLines` hears how many lines each chunk holds (progress). */
export async function* ledgerExportChunks(store: EventStore, options: LedgerExportOptions = {}, onLines?: (lines: number, last: RecordedEvent) => void): AsyncGenerator<string> {
  let chunk = '';
  let lines = 0;
  let last: RecordedEvent | null = null;
  for await (const event of ledgerEvents(store, options)) {
    chunk += `${ledgerLine(event)}\n`;
    last = event;
    if (++lines === LINES_PER_CHUNK) {
      onLines?.(lines, event);
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk && last) {
    onLines?.(lines, last);
    yield chunk;
  }
}
