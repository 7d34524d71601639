/** The embedded event store: SQLite (better-sqlite3) in WAL mode, durable on acknowledgement, with group commit. */
import type Database from 'better-sqlite3';
import { WrongExpectedRevisionError, type AppendResult, type WriteFailure, type EventMetadata, type EventStore, type ExpectedRevision, type NewEvent, type LogLinesPage, type ReadAllLinesOptions, type ReadAllOptions, type ReadStreamOptions, type RecordedEvent } from '../event-store.port';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import { decodePosition, sequencePosition } from '../position';
import { stageEnd, stageStart } from '../../metrics/stage-probe';
import { TurnBatch } from '../../shared/turn-batch';
import { HEALTH_PROBE_SCHEMA, openSqlite, sqliteCall, sqliteProbe } from '../../shared/sqlite';
import { ADD_SCHEMA_VERSION, EVENT_COLUMNS, EVENT_SCHEMA, EXPORT_LINE, LOG_COLUMNS, ROW, type EventRow } from './event-schema';

export interface SqliteEventStoreOptions {
  filename: string;
  /** FULL (default) fsyncs every commit: an acknowledged append survives a power cut. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Page cache, MB (SQLITE_CACHE_MB); default 16. */
  cacheMB?: number;
}

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const NO_TYPES: ReadonlySet<string> = new Set();
/** The export line (EXPORT_LINE), or NULL for an event of the types bound as a JSON array to @asEvents. */
const LINE_OR_NULL = `CASE WHEN type IN (SELECT value FROM json_each(@asEvents)) THEN NULL ELSE ${EXPORT_LINE} END`;

/** Rows per stream read; a literal in the SQL (with a bound LIMIT the query took 13 us instead of 5.5). */
const STREAM_PAGE = 500;

/**
 * Appends that arrive while a commit is pending join the next one: each append runs in its own
 * savepoint (all or nothing, checked against its expected revision), and one fsync makes the
 * whole group durable. Nobody is answered before that commit returns.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements;
  /** Transaction control, prepared once: parsing it per append showed in profiles. */
  private readonly transaction;
  private readonly pending = new TurnBatch<PendingAppend>((batch) => this.flush(batch));
  private readonly listeners = new Set<() => void>();
  private closed = false;
  private writeFailure: WriteFailure | null = null;
  /** Transactions committed so far; appends / commits is the group-commit factor. */
  commits = 0;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openSqlite(options.filename, options.synchronous ?? 'FULL', options.cacheMB);
    this.db.exec(EVENT_SCHEMA);
    const columns = this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('events') as string[];
    if (!columns.includes('schema_version')) this.db.exec(ADD_SCHEMA_VERSION);
    this.db.exec(HEALTH_PROBE_SCHEMA);
    this.transaction = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT append'),
      release: this.db.prepare('RELEASE append'),
      rollbackTo: this.db.prepare('ROLLBACK TO append'),
    };
    this.statements = {
      streamRevision: this.db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ?').pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at, idempotency_key, schema_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      streamPage: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ${STREAM_PAGE}`).raw(),
      // The global log is read by projections, which need no metadata: it is fetched if asked for.
      allPage: this.db.prepare(`SELECT ${LOG_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`).raw(),
      allPageWithMetadata: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`).raw(),
      metadata: this.db.prepare('SELECT metadata FROM events WHERE seq = ?').pluck(),
      // The export: a line per event, or NULL for the types asked for as events (fetched by eventsBySeq).
      lines: this.db.prepare(`SELECT seq, ${LINE_OR_NULL} FROM events WHERE seq > @after AND seq <= @until ORDER BY seq`).raw(),
      linesOfTypes: this.db.prepare(`SELECT seq, ${LINE_OR_NULL} FROM events WHERE seq > @after AND seq <= @until AND type IN (SELECT value FROM json_each(@types)) ORDER BY seq`).raw(),
      eventsBySeq: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq`).raw(),
      byIdempotencyKey: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND idempotency_key = ? ORDER BY revision`).raw(),
      head: this.db.prepare('SELECT max(seq) FROM events').pluck(),
    };
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('event store is closed'));
    if (events.length === 0) return Promise.reject(new RangeError('an append needs at least one event'));
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events, expected, resolve, reject });
    });
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let from = options.fromRevision ?? 0n;
    let left = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const rows = this.query(() => this.statements.streamPage.all(streamId, from) as EventRow[]);
      for (const row of rows.length > left ? rows.slice(0, left) : rows) yield storedEvent(row);
      if (rows.length < STREAM_PAGE) return;
      left -= rows.length;
      from = BigInt(rows[rows.length - 1][ROW.revision]) + 1n;
    }
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ? decodePosition(options.after).commit : 0n;
    if (options.withMetadata) return this.query(() => this.statements.allPageWithMetadata.all(after, options.maxCount) as EventRow[]).map(storedEvent);
    const rows = this.query(() => this.statements.allPage.all(after, options.maxCount) as EventRow[]);
    return rows.map((row) => new StoredEvent(row, () => this.query(() => this.statements.metadata.get(row[ROW.seq]) as string)));
  }

  /** Reads the stretch of `maxCount` sequence numbers after `after`, whatever `types` lets through, so that a narrow filter never scans the log in one call. */
  async readAllLines({ after = null, maxCount, types = null, asEvents = NO_TYPES }: ReadAllLinesOptions): Promise<LogLinesPage> {
    const from = after ? Number(decodePosition(after).commit) : 0;
    return this.query(() => {
      const head = (this.statements.head.get() as number | null) ?? 0;
      if (head <= from) return { entries: [], lastEntry: null, next: null };
      const until = Math.min(head, from + maxCount);
      const asEventsJson = JSON.stringify([...asEvents]);
      const rows = (
        types && types.length > 0
          ? this.statements.linesOfTypes.all({ after: from, until, asEvents: asEventsJson, types: JSON.stringify(types) })
          : this.statements.lines.all({ after: from, until, asEvents: asEventsJson })
      ) as Array<[seq: number, line: string | null]>;
      const wanted = rows.filter((row) => row[1] === null).map((row) => row[0]);
      const events = wanted.length === 0 ? [] : (this.statements.eventsBySeq.all(JSON.stringify(wanted)) as EventRow[]).map(storedEvent);
      let next = 0;
      const entries = rows.map(([, line]) => line ?? events[next++]);
      return { entries, lastEntry: rows.length === 0 ? null : sequencePosition(rows[rows.length - 1][0]), next: sequencePosition(until) };
    });
  }

  async readByIdempotencyKey(streamId: string, idempotencyKey: string): Promise<RecordedEvent[]> {
    return this.query(() => this.statements.byIdempotencyKey.all(streamId, idempotencyKey) as EventRow[]).map(storedEvent);
  }

  /** Sequence numbers have no gaps (rows are never deleted, a rolled-back insert frees its number), so this is a subtraction. */
  async countEventsAfter(position: string | null): Promise<number> {
    const head = BigInt(this.query(() => this.statements.head.get() as number | null) ?? 0);
    const after = position ? decodePosition(position).commit : 0n;
    return Number(head > after ? head - after : 0n);
  }

  async headPosition(): Promise<string | null> {
    const head = this.query(() => this.statements.head.get() as number | null);
    return head === null ? null : sequencePosition(head);
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ping(): Promise<void> {
    if (this.closed || !this.db.open) throw new StoreUnavailableError('event store is closed');
  }

  /** Writes and reads the `health_probe` row (not an event: the log and its sequence are untouched). */
  async probe(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
    sqliteProbe(this.db, 'event store');
    this.query(() => this.statements.head.get());
  }

  lastWriteFailure(): WriteFailure | null {
    return this.writeFailure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.pending.flush();
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  private query<T>(read: () => T): T {
    return sqliteCall(this.db, 'event store', read);
  }

  /** Commits every queued append in one transaction; each succeeds or fails on its own. */
  private flush(batch: PendingAppend[]): void {
    const start = stageStart();
    try {
      this.commitBatch(batch);
    } finally {
      stageEnd('append commit (inserts + fsync, per group)', start);
    }
  }

  private commitBatch(batch: PendingAppend[]): void {
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      this.transaction.begin.run();
      for (const request of batch) outcomes.push(this.appendInSavepoint(request));
      this.transaction.commit.run();
      this.commits += 1;
      this.writeFailure = null;
    } catch (error) {
      if (this.db.inTransaction) this.transaction.rollback.run();
      const failure = new StoreUnavailableError(`event store could not commit: ${(error as Error).message}`, { cause: error });
      this.writeFailure = { at: Date.now(), message: failure.message };
      for (const request of batch) request.reject(failure);
      return;
    }
    batch.forEach((request, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) request.resolve(outcome.result);
      else request.reject(outcome.error);
    });
    if (outcomes.some((outcome) => outcome.ok)) for (const listener of this.listeners) listener();
  }

  private appendInSavepoint(request: PendingAppend): { ok: true; result: AppendResult } | { ok: false; error: unknown } {
    this.transaction.savepoint.run();
    try {
      const result = this.insert(request);
      this.transaction.release.run();
      return { ok: true, result };
    } catch (error) {
      this.transaction.rollbackTo.run();
      this.transaction.release.run();
      return { ok: false, error };
    }
  }

  private insert({ streamId, events, expected }: PendingAppend): AppendResult {
    const stored = this.statements.streamRevision.get(streamId) as number | null;
    const current = stored === null ? null : BigInt(stored);
    if (expected !== 'any') {
      const matches = expected === 'no_stream' ? current === null : current === expected;
      if (!matches) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
    }
    let revision = current ?? -1n;
    let seq = 0n;
    for (const event of events) {
      revision += 1n;
      const encoded = event.encoded;
      const { lastInsertRowid } = this.statements.insert.run(
        streamId,
        revision,
        event.metadata.eventId,
        event.type,
        encoded ? encoded.data : JSON.stringify(event.data),
        encoded ? encoded.metadata : JSON.stringify(event.metadata),
        event.metadata.recordedAt,
        event.metadata.idempotencyKey,
        event.metadata.schemaVersion,
      );
      seq = BigInt(lastInsertRowid);
    }
    return { nextRevision: revision, position: sequencePosition(seq) };
  }
}

/** An event read with its metadata column. */
const storedEvent = (row: EventRow): RecordedEvent => new StoredEvent(row, () => row[ROW.metadata] as string);

/**
 * A stored event whose JSON columns are decoded on first use (and metadata, for the global log,
 * read on first use): projections read thousands of events a batch and need no metadata, the
 * export copies the stored text as it is.
 */
class StoredEvent implements RecordedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly schemaVersion: number;
  private decodedData: Record<string, unknown> | undefined;
  private decodedMetadata: EventMetadata | undefined;

  constructor(
    private readonly row: EventRow,
    private readonly readMetadata: () => string,
  ) {
    this.streamId = row[ROW.streamId];
    this.revision = BigInt(row[ROW.revision]);
    this.position = sequencePosition(row[ROW.seq]);
    this.type = row[ROW.type];
    this.recordedAt = row[ROW.recordedAt];
    this.schemaVersion = row[ROW.schemaVersion];
  }

  get data(): Record<string, unknown> {
    return (this.decodedData ??= JSON.parse(this.row[ROW.data]) as Record<string, unknown>);
  }

  get metadata(): EventMetadata {
    return (this.decodedMetadata ??= JSON.parse(this.readMetadata()) as EventMetadata);
  }

  get encoded(): { data: string; metadata: string } {
    return { data: this.row[ROW.data], metadata: this.readMetadata() };
  }
}
