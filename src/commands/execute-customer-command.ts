/** The one command pipeline: load the stream, decide, append with the expected revision, answer. */
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '../auth/roles';
import type { CustomerCommand } from '../customer/commands';
import { decide } from '../customer/decide';
import { DomainError } from '../customer/errors';
import type { CustomerEvent } from '../customer/events';
import type { Rules } from '../customer/rules';
import { customerStream, stampEvents, type FoldedStream } from '../event-store/customer-stream';
import { EVENT_STORE } from '../event-store/event-store.token';
import { WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '../event-store/event-store.port';
import { sameRequest, type IdempotencyClaimStore } from '../idempotency/idempotency-claim-store.port';
import { IDEMPOTENCY_CLAIMS } from '../idempotency/idempotency-claim-store.token';
import { Metrics } from '../metrics/metrics';
import { stageEnd, stageStart } from '../metrics/stage-probe';
import { needsSealing } from '../privacy/personal-data-cipher';
import { PERSONAL_DATA_VAULT } from '../privacy/personal-data-vault.token';
import type { PersonalDataVault } from '../privacy/personal-data-vault';
import { KeyedMutex } from '../shared/keyed-mutex';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, RevisionConflictError } from './command-errors';
import { resultOf, type CommandResult } from './command-result';
import { CustomerStreamCache } from './customer-stream-cache';
import { RULES } from './rules.token';

/** Attempts when another writer appended to the stream between our read and our append. */
const MAX_ATTEMPTS = 10;

export interface CommandContext {
  /** Unique per request; the causation id of the events and, without an idempotency key, the seed of their ids. */
  requestId: string;
  correlationId: string;
  actor: Actor;
  idempotencyKey: string | null;
  /** The command route as the controller names it (`purchase:c-1`); set for HTTP commands, the only ones with an idempotency key. */
  route?: string;
  /** sha256 of the request as sent, to tell a retry from a reused idempotency key. */
  commandHash: string;
  /** From If-Match: run only if the stream is at this revision, or (`exists`, If-Match: *) only if the customer exists. */
  expectedRevision: bigint | 'exists' | null;
  now: Date;
}

export class ExecuteCustomerCommand extends Command<CommandResult> {
  constructor(
    readonly command: CustomerCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

type Decision = { events: CustomerEvent[] } | { error: Error };

/**
 * The pipeline itself. One instance per process, built by runtime.ts (not by Nest), so the HTTP
 * commands (through CommandBusHandler below) and the process managers share its locks and cache.
 */
@Injectable()
export class ExecuteCustomerCommandHandler implements ICommandHandler<ExecuteCustomerCommand> {
  private readonly streams: CustomerStreamCache;
  private readonly locks = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RULES) private readonly rules: Rules,
    private readonly metrics: Metrics,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    /** null only for callers whose commands never carry an Idempotency-Key (ledger evaluate). */
    @Inject(IDEMPOTENCY_CLAIMS) private readonly claims: IdempotencyClaimStore | null,
  ) {
    this.streams = new CustomerStreamCache(store);
  }

  async execute({ command, context }: ExecuteCustomerCommand): Promise<CommandResult> {
    const streamId = customerStream(command.data.customerId);
    await this.claimIdempotencyKey(streamId, context);
    // A referral runs on the referred customer's stream but names a referrer, who must exist. Checked
    // before (not while) holding the referred stream's lock, so two customers referring each other
    // never wait on each other's locks; a registration is never undone, so the answer cannot go stale.
    if (command.type === 'ReferCustomer') await this.requireRegistered(command.data.referrerId, 'referrerId');
    // One command per stream at a time in this process; other processes are caught by the expected revision.
    return this.locks.run(streamId, () => this.run(streamId, command, context));
  }

  /** Refuses with CUSTOMER_NOT_FOUND unless the customer is registered (its state loaded under its own lock, through the cache). */
  private async requireRegistered(customerId: string, field: string): Promise<void> {
    const streamId = customerStream(customerId);
    const loaded = await this.locks.run(streamId, () => this.streams.load(streamId));
    if (!loaded.state.registered) throw new DomainError('CUSTOMER_NOT_FOUND', `customer ${customerId} is not registered`, field);
  }

  /** The command's events on this state, or why it is refused (If-Match mismatch, a domain rule). */
  private decideOn(command: CustomerCommand, loaded: FoldedStream, context: CommandContext): Decision {
    if (context.expectedRevision === 'exists') {
      if (loaded.revision === null) return { error: new RevisionConflictError('If-Match: * asks for an existing customer, and there is none') };
    } else if (context.expectedRevision !== null && context.expectedRevision !== loaded.revision)
      return { error: new RevisionConflictError(`the customer is at revision ${loaded.revision ?? 'none'}, not ${context.expectedRevision}`) };
    try {
      return { events: decide(command, loaded.state, context.now, this.rules) };
    } catch (error) {
      if (error instanceof DomainError) return { error };
      throw error;
    }
  }

  private async run(streamId: string, command: CustomerCommand, context: CommandContext): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      let start = stageStart();
      const replayed = await this.replay(streamId, command, context);
      stageEnd('idempotency lookup', start);
      if (replayed) return replayed;
      // The cached state is trusted when the decision ends in an append: the expected revision
      // verifies it. Any other answer (an error, nothing to append) is decided on the store's state.
      start = stageStart();
      let loaded = this.streams.peek(streamId);
      stageEnd('load state (cache)', start);
      start = stageStart();
      let decision = loaded ? this.decideOn(command, loaded, context) : null;
      stageEnd('decide', start);
      if (!loaded || !decision || !('events' in decision) || decision.events.length === 0) {
        start = stageStart();
        loaded = await this.streams.load(streamId);
        stageEnd('load state (store)', start);
        start = stageStart();
        decision = this.decideOn(command, loaded, context);
        stageEnd('decide', start);
      }
      if ('error' in decision) throw decision.error;
      const { events } = decision;
      if (events.length === 0) return { ...resultOf(command, loaded, []), changed: false };
      start = stageStart();
      // Personal fields are sealed with the customer's data key before they are hashed.
      const seal = events.some((event) => needsSealing(event.type, event.data as unknown as Record<string, unknown>)) ? await this.vault.sealerFor(command.data.customerId) : null;
      stageEnd('seal personal data', start);
      start = stageStart();
      const stamped = stampEvents(streamId, events, loaded.headHash, {
        // Keys are per API key: two API keys' equal keys on one stream must not make equal event ids.
        commandId: context.idempotencyKey === null ? context.requestId : `idempotency:${context.actor.name}\u0000${context.idempotencyKey}`,
        correlationId: context.correlationId,
        actor: context.actor,
        idempotencyKey: context.idempotencyKey,
        commandHash: context.commandHash,
        recordedAt: context.now.toISOString(),
      }, seal);
      stageEnd('stamp (ids + hash chain)', start);
      try {
        start = stageStart();
        const appended = await this.store.append(streamId, stamped, loaded.revision ?? 'no_stream');
        stageEnd('append wait (group commit)', start);
        start = stageStart();
        this.metrics.appendedEvents.inc(stamped.length);
        const first = (loaded.revision ?? -1n) + 1n;
        const recorded: RecordedEvent[] = stamped.map((event, index) => ({
          ...event,
          // The state folds the data as decided; the store holds it sealed.
          data: events[index].data as unknown as Record<string, unknown>,
          ...(event.data === (events[index].data as unknown) ? {} : { storedData: event.data }),
          streamId,
          revision: first + BigInt(index),
          position: appended.position,
          recordedAt: event.metadata.recordedAt,
          schemaVersion: event.metadata.schemaVersion,
        }));
        this.streams.advance(streamId, loaded, recorded);
        // The erasure is appended first, then the key destroyed: a crash in between is repaired by the next read of the erasure (PersonalDataVault.open).
        if (events.some((event) => event.type === 'CustomerForgotten')) await this.vault.destroy(command.data.customerId);
        const result = { ...resultOf(command, loaded, events), changed: true };
        stageEnd('advance cached state + result', start);
        return result;
      } catch (error) {
        this.streams.forget(streamId);
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (typeof context.expectedRevision === 'bigint') throw new RevisionConflictError(`the customer changed concurrently; it is no longer at revision ${context.expectedRevision}`);
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyConflictError(`the customer kept changing concurrently; gave up after ${attempt} attempts`);
      }
    }
  }

  /** The first response of a command already run with this idempotency key, or null. */
  private async replay(streamId: string, command: CustomerCommand, context: CommandContext): Promise<CommandResult | null> {
    if (context.idempotencyKey === null) return null;
    // Only this API key's events: another API key may use the same key on the same customer.
    const earlier = (await this.store.readByIdempotencyKey(streamId, context.idempotencyKey)).filter((event) => event.metadata.actor?.name === context.actor.name);
    if (earlier.length === 0) return null;
    if (earlier[0].metadata.commandHash !== context.commandHash) throw new IdempotencyKeyReusedError();
    const asThen = await this.streams.asOfRevision(streamId, earlier[earlier.length - 1].revision);
    return { ...resultOf(command, asThen, earlier), changed: false };
  }

  /**
   * Binds the Idempotency-Key to this request for the whole API key, before anything is appended:
   * the first claim of (actor name, key) wins in every process. Another customer, route or body
   * under a claimed key → IDEMPOTENCY_KEY_REUSED; the same request goes on to the per-stream replay
   * (the first response, or the command itself if its append never happened).
   */
  private async claimIdempotencyKey(streamId: string, context: CommandContext): Promise<void> {
    if (context.idempotencyKey === null) return;
    if (this.claims === null) throw new Error('a command with an Idempotency-Key needs the idempotency claim store');
    const start = stageStart();
    const claim = { apiKeyName: context.actor.name, idempotencyKey: context.idempotencyKey, streamId, route: context.route ?? '', commandHash: context.commandHash, createdAt: context.now.toISOString() };
    const stored = await this.claims.putIfAbsent(claim);
    stageEnd('idempotency claim', start);
    if (!sameRequest(stored, claim)) throw new IdempotencyKeyReusedError();
  }
}

/**
 * The pipeline as Nest's CommandBus sees it: @nestjs/cqrs registers handlers by their class, which a
 * `useValue` provider has not got, so this class is the registered handler and hands every command
 * to the process's one ExecuteCustomerCommandHandler.
 */
@Injectable()
@CommandHandler(ExecuteCustomerCommand)
export class CommandBusHandler implements ICommandHandler<ExecuteCustomerCommand> {
  constructor(@Inject(ExecuteCustomerCommandHandler) private readonly pipeline: ExecuteCustomerCommandHandler) {}

  execute(command: ExecuteCustomerCommand): Promise<CommandResult> {
    return this.pipeline.execute(command);
  }
}
