/**
 * Runs one process manager: reads the global log from its own checkpoint (`pm:<name>` in the read
 * store, beside the projections' checkpoints), sends each reaction through the one command
 * pipeline (ExecuteCustomerCommandHandler, shared with HTTP: same per-stream lock, same cache),
 * then moves its checkpoint past the page it read (reactions to different customers run concurrently).
 *
 * Exactly once across crashes and processes (docs/architecture.md, process managers): a reaction
 * is a pure function of its event, sent with the idempotency key `pm:<name> <commandId>` and a
 * hash of the command, so a rerun of an event whose checkpoint was not written finds the events
 * already appended under that key and appends nothing (and their ids are the same UUIDv5s anyway);
 * two processes racing on one stream are told apart by the expected revision, the loser then
 * finds the key. The domain refuses a second reward for the same referral on top of that.
 */
import { createHash } from 'node:crypto';
import type { ProjectionEvent } from '../../projections/projection';
import { ConcurrencyConflictError } from '../commands/command-errors';
import type { CommandResult } from '../commands/command-result';
import { ExecuteCustomerCommand, type CommandContext } from '../commands/execute-customer-command';
import { DomainError } from '../customer/errors';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { canonicalJson } from '../shared/canonical-json';
import { StoreUnavailableError } from '../shared/store-unavailable';
import type { ProcessManagerDefinition, Reaction } from './process-manager';
import { toProjectionEvent } from './projection-event';
import type { TrackOptions } from './projection-track';
import { yieldToEventLoop } from '../shared/yield';

/** The command pipeline, as a process manager uses it (ExecuteCustomerCommandHandler). */
export interface CommandPipeline {
  execute(command: ExecuteCustomerCommand): Promise<CommandResult>;
}

export type ProcessManagerStatus = 'running' | 'stopped' | 'failed';

export const processManagerCheckpoint = (name: string): string => `pm:${name}`;

/**
 * The idempotency key of a reaction: what the pipeline's replay recognises on a rerun. It holds a
 * space, which an HTTP Idempotency-Key never can (visible ASCII only, command-context.ts), so no
 * client can take a reaction's key first and make the process manager's command a reused key.
 */
export const reactionIdempotencyKey = (name: string, reaction: Reaction): string => `pm:${name} ${reaction.commandId}`;

/** A reaction the pipeline failed on for a reason that is neither a domain refusal nor a store fault: the process manager stops there. */
export class ProcessManagerFailure extends Error {
  constructor(name: string, event: ProjectionEvent, cause: unknown) {
    super(`${name} failed on ${event.type} at ${event.streamId}@${event.revision} (position ${event.position}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProcessManagerFailure';
  }
}

/** Reactions in flight at once within a page. */
const MAX_CONCURRENT_REACTIONS = 64;

/**
 * The read store's setting that pauses every process manager on it, in every process, until the
 * instant it holds (a lease: `ledger seed-demo` renews it while it appends at the revisions it
 * decided on, which a reaction appended meanwhile would move; a seed that dies stops renewing it).
 */
export const PROCESS_MANAGERS_PAUSED_UNTIL = 'process-managers:paused-until';

export async function processManagersPaused(readModels: ReadModelStore, now = Date.now()): Promise<boolean> {
  const until = await readModels.getSetting(PROCESS_MANAGERS_PAUSED_UNTIL);
  return until !== null && Date.parse(until) > now;
}

export class ProcessManagerTrack {
  status: ProcessManagerStatus = 'running';
  /** The checkpoint as last written (or read at start): everything up to it has been handled. */
  position: string | null = null;
  /** Reactions the pipeline accepted (appended, or found already appended), since this process started. */
  handled = 0;
  /** Reactions the domain refused (e.g. the referrer is not registered): counted, the error kept, not retried. */
  refused = 0;
  lastError: string | null = null;
  /** Set while the track retries after a store fault. */
  storeError: string | null = null;
  private stopped = false;
  private started = false;
  private signalled = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly handles: Set<string>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    readonly definition: ProcessManagerDefinition,
    private readonly pipeline: CommandPipeline,
    private readonly options: TrackOptions,
    private readonly listener: { progress?: () => void } = {},
  ) {
    this.handles = new Set(definition.handles);
    this.unsubscribe = events.onAppended(() => {
      this.signalled = true;
      this.wake?.();
    });
  }

  get checkpointName(): string {
    return processManagerCheckpoint(this.definition.name);
  }

  get actorName(): string {
    return `process-manager:${this.definition.name}`;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
    await this.loop;
    if (this.status === 'running') this.status = 'stopped';
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.signalled = false;
      try {
        if (!this.started) {
          this.position = await this.readModels.getCheckpoint(this.checkpointName);
          this.started = true;
        }
        // Only the events it reacts to are opened (their personal fields decrypted).
        const page = await this.events.readAll({ after: this.position, maxCount: this.options.batchSize, openTypes: this.handles });
        this.storeError = null;
        // Checked after the read: a page read once the pause is set is left for later.
        if (page.length === 0 || (await processManagersPaused(this.readModels))) {
          await this.idle(this.options.idleMs);
          continue;
        }
        await this.handlePage(page);
        this.listener.progress?.();
        await yieldToEventLoop();
      } catch (error) {
        if (error instanceof ProcessManagerFailure || !isTransient(error)) {
          this.status = 'failed';
          this.lastError = error instanceof Error ? error.message : String(error);
          this.listener.progress?.();
          return;
        }
        // A store fault: nothing past the checkpoint counts; pause, then read again from it (the reactions resent are recognised).
        this.storeError = error instanceof Error ? error.message : String(error);
        await this.idle(this.options.retryMs);
      }
    }
  }

  /**
   * Reacts to the page's events: reactions to different customers run concurrently (up to
   * MAX_CONCURRENT_REACTIONS, so their appends share group commits), those to one customer one after
   * the other in log order, and a customer whose reaction failed gets none of its later ones. The
   * checkpoint moves once, past the page, when every reaction of it has been handled: after a crash
   * or a failure the page is read again, and the reactions already appended are recognised by their
   * idempotency keys (the class comment).
   */
  private async handlePage(page: readonly RecordedEvent[]): Promise<void> {
    let queued: Promise<void>[] = [];
    const byCustomer = new Map<string, Promise<void>>();
    const settle = async () => {
      const outcomes = await Promise.allSettled(queued);
      queued = [];
      byCustomer.clear();
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    };
    for (const recorded of page) {
      if (this.stopped) break;
      if (!this.handles.has(recorded.type)) continue;
      const event = toProjectionEvent(recorded);
      if (!event || !this.handles.has(event.type)) continue;
      let reactions: Reaction[];
      try {
        reactions = this.definition.react(event);
      } catch (error) {
        await settle();
        throw new ProcessManagerFailure(this.definition.name, event, error);
      }
      for (const reaction of reactions) {
        const customerId = reaction.command.data.customerId;
        const sent = (byCustomer.get(customerId) ?? Promise.resolve()).then(() => this.send(reaction, event, recorded));
        byCustomer.set(customerId, sent);
        queued.push(sent);
        if (queued.length >= MAX_CONCURRENT_REACTIONS) await settle();
      }
    }
    await settle();
    if (!this.stopped) await this.checkpoint(page[page.length - 1].position);
  }

  private async send(reaction: Reaction, event: ProjectionEvent, recorded: RecordedEvent): Promise<void> {
    const context: CommandContext = {
      requestId: reaction.commandId,
      correlationId: recorded.metadata.correlationId,
      actor: { name: this.actorName, role: 'admin' },
      idempotencyKey: reactionIdempotencyKey(this.definition.name, reaction),
      commandHash: createHash('sha256').update(canonicalJson({ processManager: this.definition.name, command: reaction.command })).digest('hex'),
      expectedRevision: null,
      now: new Date(),
    };
    try {
      await this.pipeline.execute(new ExecuteCustomerCommand(reaction.command, context));
      this.handled++;
    } catch (error) {
      if (error instanceof DomainError) {
        this.refused++;
        this.lastError = `${error.code}: ${error.message} (reacting to ${event.type} at ${event.streamId}@${event.revision})`;
        return;
      }
      if (isTransient(error)) throw error;
      throw new ProcessManagerFailure(this.definition.name, event, error);
    }
  }

  private async checkpoint(position: string): Promise<void> {
    if (this.position === position) return;
    await this.readModels.writeBatch(this.checkpointName, [], { name: this.checkpointName, position });
    this.position = position;
  }

  private idle(ms: number): Promise<void> {
    if (this.signalled || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

/** Faults worth retrying from the checkpoint: the store unreachable, or a stream that kept changing under the command. */
const isTransient = (error: unknown): boolean => error instanceof StoreUnavailableError || error instanceof ConcurrencyConflictError;
