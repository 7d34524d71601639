/** The event store port: one stream per customer, a global order across streams, atomic appends. */

/** A stream's revision: the 0-based index of its last event (first event = 0). */
export type StreamRevision = bigint;

/**
 * What an append expects of the stream: a revision (the stream's last event must be at it),
 * `no_stream` (the stream must not exist) or `any` (no check; tests and tools only).
 */
export type ExpectedRevision = StreamRevision | 'no_stream' | 'any';

/** Metadata stored with every event; see docs/architecture.md, Ports and adapters. */
export interface EventMetadata {
  eventId: string;
  correlationId: string;
  causationId: string;
  actor: { name: string; role: string };
  idempotencyKey: string | null;
  /** sha256 of the command as sent (route + body): tells a retry from a reused key. */
  commandHash: string | null;
  occurredAt: string;
  recordedAt: string;
  schemaVersion: number;
  prevHash: string;
  hash: string;
}

/** An event about to be appended. `metadata.eventId` must be unique in the whole store. */
export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /**
   * The JSON text of `data` and `metadata`, when the holder has it (a stored event, or one made on
   * another thread and sent as text, event-text.ts): a store that keeps text writes it as it is, a
   * copier (NDJSON export) needs no decode and re-encode.
   */
  readonly encoded?: { data: string; metadata: string };
}

/** An event as stored: with its stream, revision and global position. */
export interface RecordedEvent extends NewEvent {
  streamId: string;
  revision: StreamRevision;
  /** Opaque, totally ordered position in the global log (see position.ts). */
  position: string;
  /** `metadata.recordedAt`, readable without decoding the metadata (projections need only this of it). */
  recordedAt: string;
  /** `metadata.schemaVersion`, readable without decoding the metadata: which upcasters the payload needs. */
  schemaVersion: number;
  /**
   * The data as stored, when `data` is not it: an event whose personal fields were sealed
   * (src/privacy/) is read with them opened, and the hash chain covers this stored form.
   */
  readonly storedData?: Record<string, unknown>;
}

export interface AppendResult {
  /** Revision of the last event appended. */
  nextRevision: StreamRevision;
  /** Position of the last event appended. */
  position: string;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  fromRevision?: StreamRevision;
  /** At most this many events; default: all. */
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position; default: from the very start. */
  after?: string | null;
  /** At most this many events. */
  maxCount: number;
  /**
   * The event types whose personal fields the reader needs opened (DecryptingEventStore); the
   * others come back as stored, sealed. Default: every type. A reader that reacts to a few types
   * (a process manager) spares the decryption of the rest.
   */
  openTypes?: ReadonlySet<string>;
  /**
   * The reader uses every event's metadata (an export): the embedded store then reads it with the
   * page instead of one event at a time when first asked for. Server stores always return it.
   */
  withMetadata?: boolean;
}

export interface ReadAllLinesOptions {
  /** Lines of the events strictly after this position; default: from the very start. */
  after?: string | null;
  /** At most this stretch of the log is read (events, matching `types` or not), so a page is bounded whatever the filter. */
  maxCount: number;
  /** Only these event types; null or empty: every type. */
  types?: readonly string[] | null;
  /** Types returned as events (with metadata) instead of lines: those the DecryptingEventStore has to open. Default: none. */
  asEvents?: ReadonlySet<string>;
}

/**
 * A page of the whole-ledger export. An export line is
 * `{"position","streamId","revision","type","data","metadata"}` with data and metadata copied as
 * stored, no newline (`ledgerLine`, src/queries/ledger-export.ts, writes the same line from an event).
 */
export interface LogLinesPage {
  /** In log order: each event as its export line, or (types in `asEvents`) as the event itself. */
  entries: Array<string | RecordedEvent>;
  /** The position of the last entry; null when the page has none. */
  lastEntry: string | null;
  /** Where the next page starts: the end of the stretch this page read, whether or not its events matched; null when the log ends at `after`. */
  next: string | null;
}

/** Thrown when the stream is not at the expected revision; nothing was appended. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(`stream ${streamId} expected at ${String(expected)} but is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface EventStore {
  /** Appends all events or none, if the stream is at `expected`. */
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Reads a stream forward; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** One page of the global log, in order, strictly after `options.after`. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The export's pages with the lines built by the store (optional: the embedded store builds them in
   * SQL, a third of the CPU of decoding each event and encoding it again). Stores without it are
   * exported from readAll.
   */
  readAllLines?(options: ReadAllLinesOptions): Promise<LogLinesPage>;
  /** The events a command with this idempotency key appended to the stream (empty if none). */
  readByIdempotencyKey(streamId: string, idempotencyKey: string): Promise<RecordedEvent[]>;
  /** How many events lie after `position` (all when null), or null when the store cannot count cheaply. */
  countEventsAfter(position: string | null): Promise<number | null>;
  /** Position of the newest event, or null for an empty store. */
  headPosition(): Promise<string | null>;
  /** Calls `listener` after events are appended (by this process or, for servers, by any); returns an unsubscribe. */
  onAppended(listener: () => void): () => void;
  /** Resolves if the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /**
   * Health (GET /health/ready): writes and reads back a small record outside the log (never an
   * event), so a full disk or a read-only file shows before a command meets it. Rejects with
   * StoreUnavailableError. Adapters without it are checked with ping() only.
   */
  probe?(): Promise<void>;
  /** The last append that failed on a store fault since the last one that succeeded, or null. */
  lastWriteFailure?(): WriteFailure | null;
  close(): Promise<void>;
}

/** A write that failed on a store fault: when (epoch ms) and why. */
export interface WriteFailure {
  at: number;
  message: string;
}
