/**
 * The thread of one whole-ledger export (export-thread.ts): opens the event store on connections of
 * its own and writes the NDJSON chunks (ledgerExportChunks) into the slots of a buffer it shares
 * with the HTTP thread, which writes each slot to the response and hands it back once the socket
 * has taken it. The export never has more than its slots in flight, so a slow reader holds memory
 * still, and the HTTP thread's heap sees none of the export's lines.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../config/config';
import { openEventStore } from '../open-event-store';
import { SMALL_SQLITE_CACHE_MB } from '../shared/sqlite';
import { StoreUnavailableError } from '../shared/store-unavailable';
import { ledgerExportChunks, type LedgerExportOptions } from './ledger-export';
import { CHUNK_BYTES } from './ndjson-chunks';

export interface ExportThreadData {
  config: AppConfig;
  options: LedgerExportOptions;
  /** Slots of CHUNK_BYTES each, written here and read by the HTTP thread. */
  ring: SharedArrayBuffer;
}

export type FromExportThread =
  /** Slot `slot` holds `length` bytes of whole lines. */
  | { kind: 'slot'; slot: number; length: number }
  /** A chunk too long for a slot (one line longer than a slot), copied. */
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'done' }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: string; unavailable: boolean };

export type ToExportThread = { kind: 'free'; slot: number } | { kind: 'stop' };

async function run(port: NonNullable<typeof parentPort>, { config, options, ring }: ExportThreadData): Promise<void> {
  const slotBytes = CHUNK_BYTES;
  const slots = ring.byteLength / slotBytes;
  const free = Array.from({ length: slots }, (_, slot) => slots - 1 - slot);
  let stopped = false;
  let wake: (() => void) | null = null;
  port.on('message', (message: ToExportThread) => {
    if (message.kind === 'free') free.push(message.slot);
    else stopped = true;
    wake?.();
  });
  // Resolves once a slot is free (or the export is stopped): the next chunk is taken from it.
  const spare = () => (free.length > 0 || stopped ? Promise.resolve() : new Promise<void>((resolve) => (wake = () => ((wake = null), resolve()))));
  const allocate = (bytes: number): Buffer => {
    if (bytes > slotBytes) return Buffer.allocUnsafe(bytes);
    const slot = free.pop();
    // The loop below waits for a free slot before it asks for the next chunk.
    if (slot === undefined) throw new Error('export thread: no free slot');
    return Buffer.from(ring, slot * slotBytes, slotBytes);
  };
  const send = (message: FromExportThread) => port.postMessage(message);
  try {
    // A sequential read gains nothing from a large page cache.
    const store = await openEventStore({ ...config, sqliteCacheMB: SMALL_SQLITE_CACHE_MB });
    try {
      for await (const chunk of ledgerExportChunks(store, options, undefined, allocate)) {
        if (chunk.buffer === ring) send({ kind: 'slot', slot: chunk.byteOffset / slotBytes, length: chunk.length });
        else send({ kind: 'bytes', bytes: chunk });
        await spare();
        if (stopped) break;
      }
    } finally {
      await store.close();
    }
    send({ kind: stopped ? 'stopped' : 'done' });
  } catch (error) {
    send({ kind: 'failed', error: error instanceof Error ? error.message : String(error), unavailable: error instanceof StoreUnavailableError });
  }
}

if (parentPort && (workerData as Partial<ExportThreadData> | null)?.ring) void run(parentPort, workerData as ExportThreadData);
