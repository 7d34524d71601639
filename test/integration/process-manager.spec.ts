/**
 * The process-manager runner with the referral-rewards process manager, on the embedded stores:
 * exactly one reward per referral across crashes, reruns and two processes, and no dependency on
 * the projections.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '../../projections';
import { ExecuteCustomerCommand, ExecuteCustomerCommandHandler } from '../../src/commands/execute-customer-command';
import type { CustomerCommand } from '../../src/customer/commands';
import { DEFAULT_RULES } from '../../src/customer/rules';
import { customerStream } from '../../src/event-store/customer-stream';
import type { EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { Metrics } from '../../src/metrics/metrics';
import { DecryptingEventStore } from '../../src/privacy/decrypting-event-store';
import { PersonalDataVault } from '../../src/privacy/personal-data-vault';
import { SqliteKeyStore } from '../../src/privacy/sqlite-key-store';
import { SqliteIdempotencyClaimStore } from '../../src/idempotency/sqlite-idempotency-claim-store';
import { PROCESS_MANAGERS } from '../../src/process-managers';
import { referralRewards } from '../../src/process-managers/referral-rewards';
import { activeCollection } from '../../src/projection-engine/collections';
import type { ProcessManagerDefinition } from '../../src/projection-engine/process-manager';
import { PROCESS_MANAGERS_PAUSED_UNTIL, ProcessManagerTrack, type CommandPipeline } from '../../src/projection-engine/process-manager-track';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine';
import type { ReadModelStore } from '../../src/read-store/read-model-store.port';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { commands } from '../support/decider-spec';

const FAST = { batchSize: 250, idleMs: 20, retryMs: 20, flushMs: 50, liveBatchMs: 2, followMs: 50, graceMs: 200 };
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

let dir: string;
const closers: (() => Promise<unknown>)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-pm-'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

function openEvents(): SqliteEventStore {
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  closers.push(() => store.close());
  return store;
}
function openReadModels(): SqliteReadModelStore {
  const store = new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });
  closers.push(() => store.close());
  return store;
}
const MASTER_KEY = randomBytes(32);
/** The command pipeline as a process builds it: personal data sealed and opened with the data keys in `dir`, Idempotency-Keys claimed (one key store and claim store shared by every "process" of a test). */
async function pipelineOn(events: EventStore): Promise<ExecuteCustomerCommandHandler> {
  const keys = new SqliteKeyStore({ filename: join(dir, 'keys.sqlite') });
  closers.push(() => keys.close());
  const claims = new SqliteIdempotencyClaimStore({ filename: join(dir, 'claims.sqlite') });
  closers.push(() => claims.close());
  const vault = await PersonalDataVault.open(keys, MASTER_KEY);
  return new ExecuteCustomerCommandHandler(new DecryptingEventStore(events, vault), DEFAULT_RULES, new Metrics(), vault, claims);
}

function send(pipeline: CommandPipeline, command: CustomerCommand) {
  return pipeline.execute(
    new ExecuteCustomerCommand(command, { requestId: randomUUID(), correlationId: randomUUID(), actor: { name: 'test', role: 'writer' }, idempotencyKey: null, commandHash: randomUUID(), expectedRevision: null, now: new Date() }),
  );
}

const refer = (customerId: string, referrerId: string): CustomerCommand => ({ type: 'ReferCustomer', data: { customerId, referrerId, occurredAt: daysAgo(20) } });

/** R refers X; both registered; X has not purchased yet. */
async function referral(pipeline: CommandPipeline, referrer = 'r-1', referred = 'x-1') {
  await send(pipeline, commands.register(referrer, daysAgo(40)));
  await send(pipeline, commands.register(referred, daysAgo(30)));
  await send(pipeline, refer(referred, referrer));
}

async function streamOf(events: EventStore, customerId: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of events.readStream(customerStream(customerId))) all.push(event);
  return all;
}
const rewardsOf = async (events: EventStore, customerId: string) => (await streamOf(events, customerId)).filter((event) => event.type === 'ReferralRewarded');

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function track(events: EventStore, readModels: ReadModelStore, pipeline: CommandPipeline, definition: ProcessManagerDefinition = referralRewards): ProcessManagerTrack {
  const started = new ProcessManagerTrack(events, readModels, definition, pipeline, FAST);
  closers.push(() => started.stop());
  started.start();
  return started;
}
/** The process manager's checkpoint is at the head of the log (which its own rewards move). */
const caughtUp = async (events: EventStore, manager: ProcessManagerTrack) => {
  await waitUntil(async () => manager.position === (await events.headPosition())).catch(async (error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify({ head: await events.headPosition(), position: manager.position, status: manager.status, handled: manager.handled, lastError: manager.lastError, storeError: manager.storeError })}`);
  });
};

describe('referral-rewards process manager', () => {
  it('reacts purely: the same event gives the same command and command id, another event another id', () => {
    const event = { type: 'ReferralQualified', data: { customerId: 'x-1', referrerId: 'r-1', purchaseId: 'p1', occurredAt: '2026-02-10T00:00:00.000Z' }, streamId: 'customer-x-1', revision: 4, position: '9/9', recordedAt: '2026-02-10T00:00:01.000Z' } as const;
    const [reaction] = referralRewards.react(event);
    expect(reaction.command).toEqual({ type: 'RewardReferral', data: { customerId: 'r-1', referredCustomerId: 'x-1', purchaseId: 'p1', occurredAt: '2026-02-10T00:00:00.000Z' } });
    expect(referralRewards.react({ ...event, position: '10/10', recordedAt: '2026-02-11T00:00:00.000Z' })).toEqual([reaction]);
    expect(referralRewards.react({ ...event, revision: 5 })[0].commandId).not.toBe(reaction.commandId);
  });

  it('rewards the referrer once, after the referred customer\'s first purchase: a 200-point lot in the ledger and in loyalty_balances', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const pipeline = await pipelineOn(events);
    const engine = new ProjectionEngine(events, readModels, PROJECTIONS, FAST, { definitions: PROCESS_MANAGERS, pipeline });
    closers.push(() => engine.stop());
    await engine.start();
    await referral(pipeline);
    await send(pipeline, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));
    await waitUntil(async () => (await rewardsOf(events, 'r-1')).length > 0);
    const [rewarded] = await rewardsOf(events, 'r-1');
    expect(rewarded.data).toMatchObject({ customerId: 'r-1', referredCustomerId: 'x-1', purchaseId: 'p1', points: 200, lotId: 'referral:x-1' });
    expect(rewarded.metadata.actor).toEqual({ name: 'process-manager:referral-rewards', role: 'admin' });
    expect(rewarded.metadata.idempotencyKey).toMatch(/^pm:referral-rewards [0-9a-f-]{36}$/);
    // The purchase's correlation id flows on to its reward.
    const qualified = (await streamOf(events, 'x-1')).find((event) => event.type === 'ReferralQualified')!;
    expect(rewarded.metadata.correlationId).toBe(qualified.metadata.correlationId);

    const head = (await events.headPosition())!;
    expect(await engine.waitFor('loyalty_balances', head, 10_000)).toBe(true);
    const balance = await readModels.get(await activeCollection(readModels, 'loyalty_balances'), 'r-1');
    expect(balance).toMatchObject({ balance: 200, lifetimeEarned: 200, lots: [{ lotId: 'referral:x-1', remaining: 200 }] });
    await waitUntil(async () => (await engine.processManagerStates())[0].position === head);
    expect(await engine.processManagerStates()).toEqual([
      { name: 'referral-rewards', kind: 'process-manager', checkpoint: 'pm:referral-rewards', position: head, lag: 0, status: 'running', handled: 1, refused: 0, lastError: null },
    ]);
    expect(await readModels.getCheckpoint('pm:referral-rewards')).toBe(head);
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
  });

  it('a crash between the reward\'s append and the checkpoint rewards once: the rerun is recognised by its idempotency key', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const writer = await pipelineOn(events);
    await referral(writer);
    await send(writer, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));

    // Process 1 appends the reward, then dies writing its checkpoint (a non-transient fault stops it where it is).
    const crashing: ReadModelStore = Object.create(readModels, {
      writeBatch: { value: async () => Promise.reject(new Error('process killed')) },
    });
    const first = track(events, crashing, await pipelineOn(events));
    await waitUntil(() => first.status === 'failed');
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
    expect(await readModels.getCheckpoint('pm:referral-rewards')).toBeNull();

    // Process 2 (its own pipeline: no cache, no lock in common) starts from the old checkpoint.
    const second = track(events, readModels, await pipelineOn(events));
    await caughtUp(events, second);
    expect(second.handled).toBe(1);
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
  });

  it('a checkpoint write that fails once (store fault) is retried from the checkpoint, and rewards once', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const writer = await pipelineOn(events);
    await referral(writer);
    await send(writer, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));
    let failures = 0;
    const flaky: ReadModelStore = Object.create(readModels, {
      writeBatch: {
        value: async (...args: Parameters<ReadModelStore['writeBatch']>) => {
          if (failures++ === 0) throw new StoreUnavailableError('read store down for a moment');
          return readModels.writeBatch(...args);
        },
      },
    });
    const manager = track(events, flaky, writer);
    await caughtUp(events, manager);
    expect(failures).toBeGreaterThan(1);
    expect(manager.handled).toBe(2); // the reward, then its replay
    expect(manager.storeError).toBeNull();
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
  });

  it('does not depend on the projections: the reward comes while customer_profiles has not applied the purchase', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const pipeline = await pipelineOn(events);
    await referral(pipeline);
    await send(pipeline, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));
    const manager = track(events, readModels, pipeline);
    await caughtUp(events, manager);
    // No projection engine runs at all: the profiles know nothing of the purchase.
    expect(await readModels.getCheckpoint(await activeCollection(readModels, 'customer_profiles'))).toBeNull();
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
  });

  it('pauses while the read store holds a pause lease (seed-demo), in any process, and resumes when it is cleared or runs out', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const pipeline = await pipelineOn(events);
    await readModels.setSetting(PROCESS_MANAGERS_PAUSED_UNTIL, new Date(Date.now() + 60_000).toISOString());
    const manager = track(events, openReadModels(), pipeline);
    await referral(pipeline);
    await send(pipeline, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));
    // Many idle periods (20 ms) later, still no reward and the checkpoint has not moved past the purchase.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await rewardsOf(events, 'r-1')).toHaveLength(0);
    expect(manager.position).toBeNull();
    await readModels.setSettings({ [PROCESS_MANAGERS_PAUSED_UNTIL]: null });
    await caughtUp(events, manager);
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
    // A lease that has run out pauses nothing.
    await readModels.setSetting(PROCESS_MANAGERS_PAUSED_UNTIL, new Date(Date.now() - 1).toISOString());
    await referral(pipeline, 'r-2', 'x-2');
    await send(pipeline, commands.purchase('x-2', 'p2', 10_000, daysAgo(10)));
    await waitUntil(async () => (await rewardsOf(events, 'r-2')).length === 1);
  });

  it('a second purchase brings no second reward', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const pipeline = await pipelineOn(events);
    const manager = track(events, readModels, pipeline);
    await referral(pipeline);
    await send(pipeline, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));
    await waitUntil(async () => (await rewardsOf(events, 'r-1')).length > 0);
    await send(pipeline, commands.purchase('x-1', 'p2', 20_000, daysAgo(5)));
    await caughtUp(events, manager);
    expect((await streamOf(events, 'x-1')).filter((event) => event.type === 'ReferralQualified')).toHaveLength(1);
    expect(await rewardsOf(events, 'r-1')).toHaveLength(1);
    expect(manager.handled).toBe(1);
  });

  it('two processes running it on one store reward once', async () => {
    const eventsA = openEvents();
    const eventsB = openEvents();
    const readModels = openReadModels();
    const writer = await pipelineOn(eventsA);
    await referral(writer, 'r-1', 'x-1');
    await referral(writer, 'r-2', 'x-2');
    for (let i = 0; i < 5; i++) await send(writer, commands.register(`x-${i + 3}`, daysAgo(30)));
    for (let i = 0; i < 5; i++) await send(writer, refer(`x-${i + 3}`, 'r-1'));
    // Both processes start behind every purchase, so both react to each qualification.
    const a = track(eventsA, readModels, await pipelineOn(eventsA));
    const b = track(eventsB, openReadModels(), await pipelineOn(eventsB));
    for (const customer of ['x-1', 'x-2', 'x-3', 'x-4', 'x-5', 'x-6', 'x-7']) await send(writer, commands.purchase(customer, 'p1', 10_000, daysAgo(10)));
    await caughtUp(eventsA, a);
    await caughtUp(eventsB, b);
    expect((await rewardsOf(eventsA, 'r-1')).map((event) => (event.data as { referredCustomerId: string }).referredCustomerId).sort()).toEqual(['x-1', 'x-3', 'x-4', 'x-5', 'x-6', 'x-7']);
    expect(await rewardsOf(eventsA, 'r-2')).toHaveLength(1);
    expect(a.handled + b.handled).toBe(14);
    const balance = (await streamOf(eventsA, 'r-1')).filter((event) => event.type === 'ReferralRewarded').length * 200;
    expect(balance).toBe(1200);
  });

  it('a reaction the domain refuses is counted with its error and not retried; a definition that throws fails the process manager', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const pipeline = await pipelineOn(events);
    await referral(pipeline);
    await send(pipeline, commands.purchase('x-1', 'p1', 10_000, daysAgo(10)));
    const toNobody: ProcessManagerDefinition = {
      name: 'to-nobody',
      handles: ['ReferralQualified'],
      react: (event) => [{ commandId: `c-${event.revision}`, command: { type: 'RewardReferral', data: { customerId: 'ghost', referredCustomerId: event.data.customerId, purchaseId: 'p1', occurredAt: event.data.occurredAt } } }],
    };
    const refusing = track(events, readModels, pipeline, toNobody);
    await caughtUp(events, refusing);
    expect(refusing).toMatchObject({ status: 'running', handled: 0, refused: 1, lastError: expect.stringContaining('CUSTOMER_NOT_FOUND') });
    expect(await readModels.getCheckpoint('pm:to-nobody')).toBe(await events.headPosition());

    const broken = track(events, readModels, pipeline, { name: 'broken', handles: ['PurchaseRecorded'], react: () => { throw new Error('no idea'); } });
    await waitUntil(() => broken.status === 'failed');
    expect(broken.lastError).toContain('no idea');
    expect(await readModels.getCheckpoint('pm:broken')).not.toBe(await events.headPosition());
  });

  it('reacts to different customers concurrently, to one customer in log order, and moves the checkpoint past a page only when all of it is handled', async () => {
    const events = openEvents();
    const readModels = openReadModels();
    const pipeline = await pipelineOn(events);
    // Six registrations: the reactions go to a, b, a, c, b, a in log order.
    const targets = ['a', 'b', 'a', 'c', 'b', 'a'];
    for (const [i] of targets.entries()) await send(pipeline, commands.register(`reg-${i}`, daysAgo(30)));
    const target = (registered: string) => targets[Number(registered.slice('reg-'.length))];
    const definition: ProcessManagerDefinition = {
      name: 'fan',
      handles: ['CustomerRegistered'],
      react: (event) => [{ commandId: `c-${event.data.customerId}`, command: { type: 'EvaluateCustomer', data: { customerId: target(String(event.data.customerId)), occurredAt: daysAgo(1) } } }],
    };
    // A pipeline that records when each reaction starts and ends, and holds each until released.
    const log: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const releases: (() => void)[] = [];
    const holding: CommandPipeline = {
      execute: async (command) => {
        const { customerId } = command.command.data;
        log.push(`start ${customerId} ${command.context.requestId}`);
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise<void>((resolve) => releases.push(resolve));
        inFlight--;
        log.push(`end ${customerId} ${command.context.requestId}`);
        if (command.context.requestId === 'c-reg-4') throw new Error('the store broke');
        return { customerId, revision: 0, position: null };
      },
    };
    const manager = track(events, readModels, holding, definition);
    // a, b and c start at once; the second and third reactions to a wait for the first.
    await waitUntil(() => inFlight === 3);
    expect(log).toEqual(['start a c-reg-0', 'start b c-reg-1', 'start c c-reg-3']);
    expect(await readModels.getCheckpoint('pm:fan')).toBeNull();
    while (manager.status === 'running' && (releases.length > 0 || inFlight > 0)) {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitUntil(() => manager.status === 'failed');
    const order = (customerId: string) => log.filter((line) => line.includes(` ${customerId} `));
    expect(order('a')).toEqual(['start a c-reg-0', 'end a c-reg-0', 'start a c-reg-2', 'end a c-reg-2', 'start a c-reg-5', 'end a c-reg-5']);
    expect(order('b')).toEqual(['start b c-reg-1', 'end b c-reg-1', 'start b c-reg-4', 'end b c-reg-4']);
    expect(mostInFlight).toBe(3);
    // c-reg-4 failed: the page is not past the checkpoint, so a restart sends it all again (recognised by the keys).
    expect(manager.lastError).toContain('the store broke');
    expect(await readModels.getCheckpoint('pm:fan')).toBeNull();
  });
});
