/**
 * The whole ledger as NDJSON, in global order from a position: `ledger export` (the CLI) and
 * GET /v1/events/export share this code. Memory holds one page of the log, whatever its length.
 */
import type { EventStore, LogLinesPage, RecordedEvent } from '../event-store/event-store.port';
import { NdjsonChunks, type ChunkAllocator } from './ndjson-chunks';

/**
 * Events per read of the global log. A page's lines are held until their chunk is written: 250 holds
 * a quarter of what 1000 did, and exported 1M events as fast (the export thread, docs/performance.md).
 */
const PAGE = 250;

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

/** One page of the export: the store's own lines when it builds them, else its events (filtered here). */
async function exportPage(store: EventStore, after: string | null, types: readonly string[] | null): Promise<LogLinesPage> {
  if (store.readAllLines) return store.readAllLines({ after, maxCount: PAGE, types });
  const page = await store.readAll({ after, maxCount: PAGE, withMetadata: true });
  const wanted = types && types.length > 0 ? new Set(types) : null;
  const entries = wanted === null ? page : page.filter((event) => wanted.has(event.type));
  return { entries, lastEntry: entries.length === 0 ? null : entries[entries.length - 1].position, next: page.length === 0 ? null : page[page.length - 1].position };
}

/**
 * NDJSON chunks (NdjsonChunks) of the whole ledger. `onLines` hears how many lines each chunk holds
 * (progress) and the position of the last line of the pages finished so far (null within the first):
 * for the last chunk, the export's last line. `allocate` gives each chunk its buffer (NdjsonChunks).
 */
export async function* ledgerExportChunks(store: EventStore, { fromPosition = null, types = null }: LedgerExportOptions = {}, onLines?: (lines: number, lastPosition: string | null) => void, allocate?: ChunkAllocator): AsyncGenerator<Buffer> {
  const chunks = new NdjsonChunks(allocate);
  let lastPosition: string | null = null;
  for (let after = fromPosition; ; ) {
    const page = await exportPage(store, after, types);
    if (page.next === null) break;
    for (const entry of page.entries) {
      const full = chunks.add(typeof entry === 'string' ? entry : ledgerLine(entry));
      if (full) {
        onLines?.(full.lines, lastPosition);
        yield full.bytes;
      }
    }
    if (page.lastEntry !== null) lastPosition = page.lastEntry;
    after = page.next;
  }
  const last = chunks.end();
  if (last) {
    onLines?.(last.lines, lastPosition);
    yield last.bytes;
  }
}
