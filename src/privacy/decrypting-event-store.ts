/**
 * The event store as the service reads it: every read opens the events' sealed personal fields
 * through the vault (decrypted, or erased placeholders); appends pass through (the command pipeline
 * seals before it hashes). Verification uses `storedData`, what the hashes cover.
 */
import type { AppendResult, EventStore, ExpectedRevision, LogLinesPage, NewEvent, ReadAllLinesOptions, ReadAllOptions, ReadStreamOptions, RecordedEvent, WriteFailure } from '../event-store/event-store.port';
import { TYPES_TO_OPEN, type PersonalDataVault } from './personal-data-vault';

/** Events of a stream opened together (one key lookup per chunk). */
const CHUNK = 512;

export class DecryptingEventStore implements EventStore {
  /** There when the inner store builds export lines: the events the vault may change come back as events, and are opened here. */
  readonly readAllLines?: (options: ReadAllLinesOptions) => Promise<LogLinesPage>;

  constructor(
    private readonly inner: EventStore,
    readonly vault: PersonalDataVault,
  ) {
    const readLines = inner.readAllLines?.bind(inner);
    if (readLines) this.readAllLines = async (options) => this.openLines(await readLines({ ...options, asEvents: options.asEvents ? new Set([...options.asEvents, ...TYPES_TO_OPEN]) : TYPES_TO_OPEN }));
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(streamId, events, expected);
  }

  async *readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    let chunk: RecordedEvent[] = [];
    for await (const event of this.inner.readStream(streamId, options)) {
      chunk.push(event);
      if (chunk.length === CHUNK) {
        yield* await this.vault.open(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) yield* await this.vault.open(chunk);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const page = await this.inner.readAll(options);
    const only = options.openTypes;
    if (!only) return this.vault.open(page);
    const wanted = page.flatMap((event, index) => (only.has(event.type) ? [index] : []));
    if (wanted.length === 0) return page;
    const opened = await this.vault.open(wanted.map((index) => page[index]));
    const result = [...page];
    wanted.forEach((index, i) => (result[index] = opened[i]));
    return result;
  }

  private async openLines(page: LogLinesPage): Promise<LogLinesPage> {
    const events = page.entries.filter((entry): entry is RecordedEvent => typeof entry !== 'string');
    if (events.length === 0) return page;
    const opened = await this.vault.open(events);
    let next = 0;
    return { ...page, entries: page.entries.map((entry) => (typeof entry === 'string' ? entry : opened[next++])) };
  }

  async readByIdempotencyKey(streamId: string, idempotencyKey: string): Promise<RecordedEvent[]> {
    return this.vault.open(await this.inner.readByIdempotencyKey(streamId, idempotencyKey));
  }

  countEventsAfter(position: string | null): Promise<number | null> {
    return this.inner.countEventsAfter(position);
  }

  headPosition(): Promise<string | null> {
    return this.inner.headPosition();
  }

  onAppended(listener: () => void): () => void {
    return this.inner.onAppended(listener);
  }

  /** The event store's own health; the key store's is reported apart (GET /health, `keyStore`). */
  ping(): Promise<void> {
    return this.inner.ping();
  }

  probe(): Promise<void> {
    return this.inner.probe ? this.inner.probe() : this.inner.ping();
  }

  lastWriteFailure(): WriteFailure | null {
    return this.inner.lastWriteFailure?.() ?? null;
  }

  async close(): Promise<void> {
    await Promise.all([this.inner.close(), this.vault.close()]);
  }
}
