/** `ledger seed-demo`: a realistic, deterministic demo network appended to an empty ledger, then the projections caught up. */
import type { Command } from 'commander';
import { PROJECTIONS } from '../../projections';
import type { Rules } from '../customer/rules';
import type { EventStore } from '../event-store/event-store.port';
import type { AppConfig } from '../config/config';
import { PROCESS_MANAGERS_PAUSED_UNTIL } from '../projection-engine/process-manager-track';
import { ProjectionEngine } from '../projection-engine/projection-engine';
import { ProjectionThread } from '../projection-engine/projection-thread';
import type { Projections } from '../projection-engine/projections';
import { DEFAULT_TRACK_OPTIONS } from '../projection-engine/projection-track';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { action, CliError, cliConfig, EXIT, perSecond, positiveInt, report, seconds } from './cli';
import { demoBatches } from './demo/from-worker';
import { DEMO_SPAN_DAYS, demoCustomerId, demoEnd, type DemoStats } from './demo/generator';
import { progress } from './progress';
import { withStores } from './stores';
import type { DecryptingEventStore } from '../privacy/decrypting-event-store';
import type { IdempotencyClaimStore } from '../idempotency/idempotency-claim-store.port';
import { openIdempotencyClaims } from '../runtime';

/** Data keys made per key-store write before seeding. */
const KEY_CHUNK = 10_000;

export async function seedDemo(events: DecryptingEventStore, customers: number, seed: number, rules: Rules): Promise<DemoStats & { end: string }> {
  const stored = await events.countEventsAfter(null);
  if ((stored ?? 0) > 0 || (stored === null && (await events.headPosition()) !== null)) throw new CliError(`the event store already holds ${stored ?? 'some'} events: seed-demo fills an empty ledger`, EXIT.failure);
  const end = demoEnd();
  const start = end - DEMO_SPAN_DAYS * 86_400_000;
  const stats: DemoStats = { commands: 0, events: 0, refused: {}, byKind: {} };
  const bar = progress('seed-demo', 'days');
  bar.start(DEMO_SPAN_DAYS);
  // Every customer's data key made up front (one write per 10,000), so the worker seals and chains
  // as the command pipeline does, and this thread only appends.
  const dataKeys = new Map<string, Buffer>();
  for (let from = 0; from < customers; from += KEY_CHUNK) {
    const ids = Array.from({ length: Math.min(KEY_CHUNK, customers - from) }, (_, i) => demoCustomerId(seed, from + i));
    for (const [customerId, key] of await events.vault.dataKeysFor(ids)) dataKeys.set(customerId, key);
  }
  // A batch of appends queued before the event loop turns is one commit (the embedded store's group
  // commit); the next batch is being generated on the worker meanwhile.
  for await (const batch of demoBatches({ customers, seed, end, rules, dataKeys }, stats)) {
    await Promise.all(batch.map((append) => events.append(append.streamId, append.events, append.expected ?? 'no_stream')));
    bar.update(Math.floor((batch[batch.length - 1].at - start) / 86_400_000));
  }
  bar.stop();
  return { ...stats, end: new Date(end).toISOString() };
}

/**
 * Waits until every projection has applied the log's head and every process manager has read it —
 * again, while the process managers append (referral rewards).
 */
async function caughtUp(projections: Projections, managers: ProjectionEngine, events: EventStore): Promise<void> {
  for (;;) {
    const head = await events.headPosition();
    if (head === null) return;
    for (const { name } of PROJECTIONS) if (!(await projections.waitFor(name, head, 600_000))) throw new CliError(`projection ${name} did not catch up`, EXIT.failure);
    const deadline = Date.now() + 600_000;
    for (;;) {
      const states = await managers.processManagerStates();
      const failed = states.find((manager) => manager.status === 'failed');
      if (failed) throw new CliError(`process manager ${failed.name} failed: ${failed.error ?? failed.lastError ?? 'unknown'}`, EXIT.failure);
      if (states.every((manager) => manager.lag === 0)) break;
      if (Date.now() > deadline) throw new CliError('the process managers did not catch up', EXIT.failure);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if ((await events.headPosition()) === head) return;
  }
}

/**
 * While seeding, the projections follow the appends in batches of about this long: each customer's
 * documents are written once per batch, not once per group commit.
 */
const SEEDING_LIVE_BATCH_MS = 2000;

/** The process managers' pause while seeding: a lease this long, renewed this often. */
const PAUSE_LEASE_MS = 60_000;
const PAUSE_RENEW_MS = 15_000;

/**
 * Runs `seeding` with every process manager on this read store paused, in any process (a service
 * started on the same data directory would reward referrals on streams the generator still appends
 * to at the revisions it decided on). The pause is a lease, so a seed that dies releases it within
 * a minute; seed-demo runs the process managers itself afterwards.
 */
async function pausingProcessManagers<T>(readModels: ReadModelStore, seeding: () => Promise<T>): Promise<T> {
  const renew = () => readModels.setSetting(PROCESS_MANAGERS_PAUSED_UNTIL, new Date(Date.now() + PAUSE_LEASE_MS).toISOString());
  await renew();
  const timer = setInterval(() => void renew().catch(() => undefined), PAUSE_RENEW_MS);
  try {
    return await seeding();
  } finally {
    clearInterval(timer);
    await readModels.setSettings({ [PROCESS_MANAGERS_PAUSED_UNTIL]: null });
  }
}

/**
 * The projections that follow the seeding: on a thread of their own (PROJECTIONS_THREAD, as the
 * service runs them), so that generating, appending and projecting share both cores; or on this
 * thread. The process managers start later (seedAndProject).
 */
function seedingProjections(config: AppConfig, events: DecryptingEventStore, readModels: ReadModelStore): Projections {
  const track = { ...DEFAULT_TRACK_OPTIONS, liveBatchMs: SEEDING_LIVE_BATCH_MS };
  if (config.projectionsThread) return new ProjectionThread(config, events, PROJECTIONS, [], { processManagers: false, track });
  return new ProjectionEngine(events, readModels, PROJECTIONS, track);
}

/**
 * Seeds with the projections following the appends (the generator's worker decides, seals and
 * chains; this thread only appends), then runs the process managers and waits for everything to
 * reach the head: read models answer when the command returns.
 */
async function seedAndProject(config: AppConfig, events: DecryptingEventStore, readModels: ReadModelStore, claims: IdempotencyClaimStore, customers: number, seed: number) {
  const rules = config.rules;
  const startedAt = performance.now();
  const projections = seedingProjections(config, events, readModels);
  await projections.start();
  try {
    const seeded = await pausingProcessManagers(readModels, () => seedDemo(events, customers, seed, rules));
    const seedSeconds = seconds(startedAt);
    const projectedAt = performance.now();
    // The process managers start once the generator is done: it appends at the revisions it decided
    // on, which a reward appended meanwhile would move. They send through the command pipeline, as
    // in the service. Loaded here, not at start: Nest's CQRS module is the slowest load of the CLI
    // (see evaluate.ts).
    const { ExecuteCustomerCommandHandler } = require('../commands/execute-customer-command') as typeof import('../commands/execute-customer-command');
    const { Metrics } = require('../metrics/metrics') as typeof import('../metrics/metrics');
    const { PROCESS_MANAGERS } = require('../process-managers') as typeof import('../process-managers');
    const pipeline = new ExecuteCustomerCommandHandler(events, rules, new Metrics(), events.vault, claims);
    const managers = new ProjectionEngine(events, readModels, [], undefined, { definitions: PROCESS_MANAGERS, pipeline });
    await managers.start();
    try {
      await caughtUp(projections, managers, events);
    } finally {
      await managers.stop();
    }
    // `events`: the ledger's, the process managers' appends (referral rewards) included.
    const total = (await events.countEventsAfter(null)) ?? seeded.events;
    return { ...seeded, events: total, seededEvents: seeded.events, processManagerEvents: total - seeded.events, seedSeconds, projectionSeconds: seconds(projectedAt) };
  } finally {
    await projections.stop();
  }
}

export function seedDemoCommand(program: Command): void {
  program
    .command('seed-demo')
    .description('fill an empty ledger with a deterministic demo network (12 outlets, two years of visits, purchases, complaints, tiers), then catch the projections up')
    .option('--customers <n>', 'how many customers', '1000')
    .option('--seed <s>', 'the same seed gives the same ledger', '1')
    .action(
      action<{ customers: string; seed: string }>(async (options) => {
        const customers = positiveInt('--customers', options.customers, 1_000_000);
        const seed = positiveInt('--seed', options.seed, 2 ** 31 - 1);
        const config = cliConfig(options);
        const startedAt = performance.now();
        const result = await withStores(config, async (events, readModels) => {
          const claims = await openIdempotencyClaims(config);
          try {
            return await seedAndProject(config, events, readModels, claims, customers, seed);
          } finally {
            await claims.close();
          }
        });
        const secs = seconds(startedAt);
        const summary = { command: 'seed-demo', ok: true, customers, seed, ...result, seconds: secs, eventsPerSecond: perSecond(result.seededEvents, result.seedSeconds) };
        report(options, summary, [
          `seeded ${customers} customers (seed ${seed}, history to ${result.end}): ${result.commands} commands, ${result.seededEvents} events in ${result.seedSeconds} s (${summary.eventsPerSecond} events/s); projections and process managers at the head ${result.projectionSeconds} s later (${result.processManagerEvents} events of referral rewards)`,
          `  ${Object.entries(result.byKind).map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
          ...Object.entries(result.refused).map(([why, n]) => `  refused by the domain: ${why} ×${n}`),
        ]);
        return EXIT.ok;
      }),
    );
}
