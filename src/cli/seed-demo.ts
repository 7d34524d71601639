/** `ledger seed-demo`: a realistic, deterministic demo network appended to an empty ledger, then the projections caught up. */
import type { Command } from 'commander';
import { PROJECTIONS } from '../../projections';
import type { Rules } from '../customer/rules';
import type { EventStore } from '../event-store/event-store.port';
import { ProjectionEngine } from '../projection-engine/projection-engine';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { action, CliError, cliConfig, EXIT, perSecond, report, seconds } from './cli';
import { demoBatches } from './demo/from-worker';
import { DEMO_SPAN_DAYS, demoEnd, type DemoStats } from './demo/generator';
import { progress } from './progress';
import { withStores } from './stores';
import type { DecryptingEventStore } from '../privacy/decrypting-event-store';
import { Resealer } from '../privacy/resealer';
import type { IdempotencyClaimStore } from '../idempotency/idempotency-claim-store.port';
import { openIdempotencyClaims } from '../runtime';

const positiveInt = (name: string, text: string, max: number): number => {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new CliError(`${name} must be an integer from 1 to ${max} (got "${text}")`);
  return value;
};

export async function seedDemo(events: DecryptingEventStore, customers: number, seed: number, rules: Rules): Promise<DemoStats & { end: string }> {
  const stored = await events.countEventsAfter(null);
  if ((stored ?? 0) > 0 || (stored === null && (await events.headPosition()) !== null)) throw new CliError(`the event store already holds ${stored ?? 'some'} events: seed-demo fills an empty ledger`, EXIT.failure);
  const end = demoEnd();
  const start = end - DEMO_SPAN_DAYS * 86_400_000;
  const stats: DemoStats = { commands: 0, events: 0, refused: {}, byKind: {} };
  const bar = progress('seed-demo', 'days');
  bar.start(DEMO_SPAN_DAYS);
  // A batch of appends queued before the event loop turns is one commit (the embedded store's group
  // commit); the next batch is being generated on the worker meanwhile.
  // The worker stamps in clear (it has no key store): personal fields are sealed, and hashes chained again, here.
  const resealer = new Resealer(events.vault);
  for await (const batch of demoBatches({ customers, seed, end, rules }, stats)) {
    const appends: Promise<unknown>[] = [];
    // The batch's new customers get their data keys in one write (one fsync), not one each.
    await resealer.prepare(batch);
    for (const append of batch) appends.push(events.append(append.streamId, await resealer.reseal(append.streamId, append.events), append.expected ?? 'no_stream'));
    await Promise.all(appends);
    bar.update(Math.floor((batch[batch.length - 1].at - start) / 86_400_000));
  }
  bar.stop();
  return { ...stats, end: new Date(end).toISOString() };
}

/**
 * Waits until every projection of a running engine has applied the log's head and every process
 * manager has read it — again, while the process managers append (referral rewards).
 */
export async function caughtUp(engine: ProjectionEngine, events: EventStore): Promise<void> {
  for (;;) {
    const head = await events.headPosition();
    if (head === null) return;
    for (const { name } of PROJECTIONS) if (!(await engine.waitFor(name, head, 600_000))) throw new CliError(`projection ${name} did not catch up`, EXIT.failure);
    const deadline = Date.now() + 600_000;
    for (;;) {
      const managers = await engine.processManagerStates();
      const failed = managers.find((manager) => manager.status === 'failed');
      if (failed) throw new CliError(`process manager ${failed.name} failed: ${failed.error ?? failed.lastError ?? 'unknown'}`, EXIT.failure);
      if (managers.every((manager) => manager.lag === 0)) break;
      if (Date.now() > deadline) throw new CliError('the process managers did not catch up', EXIT.failure);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if ((await events.headPosition()) === head) return;
  }
}

/**
 * Seeds with the projection engine following the appends (on the main thread, while the worker
 * generates), then waits for it to reach the head: read models answer when the command returns.
 */
async function seedAndProject(events: DecryptingEventStore, readModels: ReadModelStore, claims: IdempotencyClaimStore, customers: number, seed: number, rules: Rules) {
  const startedAt = performance.now();
  // The generator is the only writer while it seeds (it appends at the revisions it decided on).
  // The projections catch up afterwards: on two cores, following the appends as they come made
  // both slower (74 s against 47 s for 10k customers).
  const seeded = await seedDemo(events, customers, seed, rules);
  const seedSeconds = seconds(startedAt);
  const projectedAt = performance.now();
  // With the process managers, through the command pipeline as in the service: referrers get their
  // rewards (and the projections follow those). Loaded here, not at start: Nest's CQRS module is
  // the slowest load of the CLI (see evaluate.ts).
  const { ExecuteCustomerCommandHandler } = require('../commands/execute-customer-command') as typeof import('../commands/execute-customer-command');
  const { Metrics } = require('../metrics/metrics') as typeof import('../metrics/metrics');
  const { PROCESS_MANAGERS } = require('../process-managers') as typeof import('../process-managers');
  const pipeline = new ExecuteCustomerCommandHandler(events, rules, new Metrics(), events.vault, claims);
  const engine = new ProjectionEngine(events, readModels, PROJECTIONS, undefined, { definitions: PROCESS_MANAGERS, pipeline });
  await engine.start();
  try {
    await caughtUp(engine, events);
    // `events`: the ledger's, the process managers' appends (referral rewards) included.
    const total = (await events.countEventsAfter(null)) ?? seeded.events;
    return { ...seeded, events: total, seededEvents: seeded.events, processManagerEvents: total - seeded.events, seedSeconds, projectionSeconds: seconds(projectedAt) };
  } finally {
    await engine.stop();
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
            return await seedAndProject(events, readModels, claims, customers, seed, config.rules);
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
