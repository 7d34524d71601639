/** The production event store: EventStoreDB through @eventstore/db-client (gRPC). */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  type Position,
  type StreamingRead,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent, type ReadAllOptions, type ReadStreamOptions, type RecordedEvent, type WriteFailure } from '../event-store.port';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import { decodePosition } from '../position';
import { catchUpPage } from './catch-up-page';
import { AppendNotifier, type LiveSubscription, type LiveSubscriptionHandlers } from './append-notifier';
import { retryTransient, toAppendError, toStoreError, type RetryOptions } from './esdb-errors';
import { isLedgerEvent, ledgerEventFilter } from './esdb-filter';
import { esdbPosition, recordOf, toEsdbExpectedRevision, toEventData, toRecordedEvent } from './esdb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** Connection string, e.g. `esdb://localhost:2113?tls=false` (EVENTSTORE_URL). */
  url: string;
  /** Retry of appends after a transport fault (default 3 attempts, 100 ms doubling). */
  appendRetry?: RetryOptions;
  /** How long ping() waits for an answer (default 2 000 ms). */
  pingTimeoutMs?: number;
  /** First delay before the live subscription is reopened after a drop (default 1 000 ms). */
  resubscribeDelayMs?: number;
  /** Silence after which a catch-up page counts as caught up, for servers that send no caught-up (default 500 ms). */
  caughtUpIdleMs?: number;
  /** A client to use instead of one made from `url` (tests). */
  client?: EventStoreDBClient;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly notifier: AppendNotifier;
  private closed = false;
  private writeFailure: WriteFailure | null = null;

  /** Parses the connection string (throws on a malformed one); connects lazily, on the first call. */
  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = options.client ?? EventStoreDBClient.connectionString(options.url);
    this.notifier = new AppendNotifier((handlers) => this.subscribeLive(handlers), { resubscribeDelayMs: options.resubscribeDelayMs });
  }

  static connect(url: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore({ url });
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new RangeError('an append needs at least one event');
    // Built once: every attempt sends the same ids against the same expected revision.
    const data = events.map(toEventData);
    const expectedRevision = toEsdbExpectedRevision(expected);
    try {
      const result = await retryTransient(() => this.client.appendToStream(streamId, data, { expectedRevision }), this.options.appendRetry);
      if (!result.success) {
        const actual = result.nextExpectedRevision < 0n ? 'no_stream' : result.nextExpectedRevision;
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      // No position (e.g. an idempotent repeat on some servers): read it from the last event.
      const position = result.position ?? (await this.positionOf(streamId, result.nextExpectedRevision));
      this.notifier.notify();
      this.writeFailure = null;
      return { nextRevision: result.nextExpectedRevision, position: esdbPosition(position) };
    } catch (error) {
      const failure = toAppendError(error, streamId, expected);
      if (failure instanceof StoreUnavailableError) this.writeFailure = { at: Date.now(), message: failure.message };
      throw failure;
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const { fromRevision = 0n, maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return;
    const read = this.client.readStream(streamId, { fromRevision, direction: FORWARDS, ...(maxCount === undefined ? {} : { maxCount }) });
    try {
      for await (const resolved of consume(read)) yield toRecordedEvent(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw toStoreError(error, `read of ${streamId}`);
    }
  }

  /** The projection source: a catch-up subscription from `after`, filtered on the server (see catch-up-page.ts). */
  async readAll({ after, maxCount }: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    if (maxCount <= 0) return [];
    const from = after ? decodePosition(after) : null;
    const subscription = this.client.subscribeToAll({ fromPosition: from ?? START, filter: ledgerEventFilter() });
    try {
      return await catchUpPage(subscription, from, maxCount, this.options.caughtUpIdleMs ?? 500);
    } catch (error) {
      throw toStoreError(error, 'catch-up subscription to $all');
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
  }

  async readByIdempotencyKey(streamId: string, idempotencyKey: string): Promise<RecordedEvent[]> {
    const matches: RecordedEvent[] = [];
    for await (const event of this.readStream(streamId)) {
      if (event.metadata.idempotencyKey === idempotencyKey) matches.push(event);
    }
    return matches;
  }

  /** EventStoreDB cannot count the events after a position without reading them. */
  async countEventsAfter(_position: string | null): Promise<number | null> {
    return null;
  }

  async headPosition(): Promise<string | null> {
    this.assertOpen();
    try {
      for await (const resolved of consume(this.client.readAll({ fromPosition: END, direction: BACKWARDS }))) {
        const record = resolved.event ?? resolved.link;
        if (record && isLedgerEvent(record)) return esdbPosition(record.position);
      }
      return null;
    } catch (error) {
      throw toStoreError(error, 'read of $all');
    }
  }

  onAppended(listener: () => void): () => void {
    return this.notifier.add(listener);
  }

  /** Reads the newest record of $all; the client gives reads no deadline, so the timeout is ours. */
  async ping(): Promise<void> {
    this.assertOpen();
    const timeoutMs = this.options.pingTimeoutMs ?? 2000;
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`EventStoreDB did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([drain(read), timeout]);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`EventStoreDB ping failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      void read.cancel().catch(() => undefined);
    }
  }

  /**
   * A cheap read (ping: the newest record of $all). No probe write: every write to EventStoreDB is
   * an event kept forever; writability is told by lastWriteFailure (the appends themselves).
   */
  probe(): Promise<void> {
    return this.ping();
  }

  lastWriteFailure(): WriteFailure | null {
    return this.writeFailure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifier.close();
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
  }

  private async positionOf(streamId: string, revision: bigint): Promise<Position> {
    for await (const resolved of consume(this.client.readStream(streamId, { fromRevision: revision, maxCount: 1 }))) {
      const position = recordOf(resolved)?.position;
      if (position) return position;
    }
    throw new Error(`EventStoreDB returned no position for ${streamId}@${revision}`);
  }

  /** A live subscription to $all from its end, the ledger's events only. */
  private subscribeLive(handlers: LiveSubscriptionHandlers): LiveSubscription {
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: ledgerEventFilter() });
    subscription.on('data', () => handlers.onEvent());
    subscription.on('confirmation', () => handlers.onConfirmed());
    subscription.on('error', (error: Error) => handlers.onDropped(error));
    subscription.on('end', () => handlers.onDropped());
    subscription.on('close', () => handlers.onDropped());
    return {
      close: async () => {
        try {
          await subscription.unsubscribe();
        } finally {
          subscription.destroy();
        }
      },
    };
  }
}

/** Iterates a read; a read left early (break, return, throw) is cancelled on the server too. */
async function* consume<T>(read: StreamingRead<T>): AsyncGenerator<T> {
  let finished = false;
  try {
    for await (const item of read) yield item;
    finished = true;
  } finally {
    if (!finished) await read.cancel().catch(() => undefined);
  }
}

async function drain<T>(read: StreamingRead<T>): Promise<void> {
  for await (const item of read) void item;
}
