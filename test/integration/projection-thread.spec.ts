/**
 * The projections on a worker thread of their own (PROJECTIONS_THREAD, the server's default): the
 * HTTP thread's appends reach them (announced: test/unit/projection-engine/append-notices.spec.ts), positions and collections come back without a round
 * trip, states and rebuilds are answered by the worker, stop flushes, and a worker that dies is
 * reported, not hidden.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PROJECTIONS } from '../../projections';
import { ExecuteCustomerCommand } from '../../src/commands/execute-customer-command';
import type { CustomerCommand } from '../../src/customer/commands';
import { loadConfig } from '../../src/config/config';
import { activeCollection } from '../../src/projection-engine/collections';
import { ProjectionThread } from '../../src/projection-engine/projection-thread';
import { openRuntime } from '../../src/runtime';
import { StoreUnavailableError } from '../../src/shared/store-unavailable';
import { commands } from '../support/decider-spec';
import { newDataDir } from '../support/test-app';

jest.setTimeout(60_000);

let dataDir: string;
let runtime: Awaited<ReturnType<typeof openRuntime>>;
beforeEach(async () => {
  dataDir = newDataDir();
  runtime = await openRuntime(loadConfig({ DATA_DIR: dataDir, API_KEYS: 'w:writer:writer-secret-0001', EVALUATION_INTERVAL_MINUTES: '0' }), 'thread');
});
afterEach(async () => {
  await runtime.engine?.stop();
  await Promise.all([runtime.eventStore.close(), runtime.readStore.close(), runtime.idempotencyClaims.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const send = (command: CustomerCommand) =>
  runtime.commands.execute(new ExecuteCustomerCommand(command, { requestId: randomUUID(), correlationId: randomUUID(), actor: { name: 'test', role: 'writer' }, idempotencyKey: null, commandHash: randomUUID(), expectedRevision: null, now: new Date() }));

it('follows the appends of this thread at once, and answers positions, collections and states', async () => {
  const projections = runtime.engine!;
  expect(projections).toBeInstanceOf(ProjectionThread);
  await send(commands.register('t-1', '2026-01-01T00:00:00.000Z'));
  const { position } = await send(commands.purchase('t-1', 'p-1', 12_000, '2026-01-02T00:00:00.000Z'));
  expect(await projections.waitFor('customer_profiles', position!, 5000)).toBe(true);
  expect(projections.positionOf('customer_profiles')).toBe(position);
  const collection = await projections.collectionOf('customer_profiles');
  expect(collection).toBe(await activeCollection(runtime.readStore, 'customer_profiles'));
  expect(await runtime.readStore.get(collection!, 't-1')).toMatchObject({ _id: 't-1', stats: { purchaseCount: 1 } });
  expect(await projections.collectionOf('no_such_projection')).toBeUndefined();
  const states = await projections.states();
  expect(states.map((state) => state.name).sort()).toEqual(PROJECTIONS.map((definition) => definition.name).sort());
  await expect(projections.processManagerStates()).resolves.toEqual([expect.objectContaining({ name: 'referral-rewards', kind: 'process-manager', status: 'running' })]);
  await Promise.all(PROJECTIONS.map(({ name }) => projections.waitFor(name, position!, 5000)));
  expect((await projections.states()).every((state) => state.status === 'running' && state.lag === 0)).toBe(true);
});

it('rebuilds on the worker and serves the new version once it has caught up', async () => {
  const projections = runtime.engine!;
  await send(commands.register('t-2', '2026-01-01T00:00:00.000Z'));
  const { position } = await send(commands.purchase('t-2', 'p-2', 5_000, '2026-01-02T00:00:00.000Z'));
  const { collection } = await projections.rebuild('loyalty_balances');
  expect(collection).toBe('loyalty_balances_v2');
  const deadline = Date.now() + 20_000;
  while ((await projections.collectionOf('loyalty_balances')) !== collection && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await projections.collectionOf('loyalty_balances')).toBe(collection);
  expect(await projections.waitFor('loyalty_balances', position!, 5000)).toBe(true);
  expect(await runtime.readStore.get(collection, 't-2')).toMatchObject({ _id: 't-2' });
});

it('stops with what it applied written; afterwards every state says why it is stopped', async () => {
  const projections = runtime.engine!;
  await send(commands.register('t-3', '2026-01-01T00:00:00.000Z'));
  const { position } = await send(commands.visit('t-3', 'v-1', '2026-01-02T00:00:00.000Z'));
  expect(await projections.waitFor('customer_profiles', position!, 5000)).toBe(true);
  await projections.stop();
  const collection = await activeCollection(runtime.readStore, 'customer_profiles');
  expect(await runtime.readStore.getCheckpoint(collection)).toBe(position);
  expect(await projections.states()).toEqual(PROJECTIONS.map(({ name }) => expect.objectContaining({ name, status: 'failed', error: 'the projection thread is stopped' })));
  await expect(projections.rebuild('customer_profiles')).rejects.toBeInstanceOf(StoreUnavailableError);
});

it('a worker that dies is reported as failed by every state, and calls fail as store faults instead of hanging', async () => {
  const projections = runtime.engine as ProjectionThread;
  await (projections as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await projections.states()).toEqual(PROJECTIONS.map(({ name }) => expect.objectContaining({ name, status: 'failed', error: expect.stringContaining('the projection thread stopped') })));
  expect(await projections.processManagerStates()).toEqual([expect.objectContaining({ name: 'referral-rewards', status: 'failed' })]);
  await expect(projections.rebuild('customer_profiles')).rejects.toBeInstanceOf(StoreUnavailableError);
  expect(await projections.waitFor('customer_profiles', '999/999', 50)).toBe(false);
});

it('a worker that cannot start fails the start with its reason and is not left running', async () => {
  // The worker opens the key store itself: with another master key it is refused there.
  const config = { ...loadConfig({ DATA_DIR: dataDir, API_KEYS: 'w:writer:writer-secret-0001' }), masterKey: 'ab'.repeat(32) };
  const thread = new ProjectionThread(config, runtime.eventStore, PROJECTIONS, []);
  await expect(thread.start()).rejects.toThrow(/^the projection thread could not start: /);
  expect(await thread.states()).toEqual(PROJECTIONS.map(({ name }) => expect.objectContaining({ name, status: 'failed', error: expect.stringContaining('could not start') })));
  await thread.stop();
});
