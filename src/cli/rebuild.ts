/** `ledger rebuild [projection...]`: read models rebuilt from position 0 by the projection engine (new collection version, switched when caught up). */
import type { Command } from 'commander';
import { PROJECTIONS } from '../../projections';
import type { EventStore } from '../event-store/event-store.port';
import { ProjectionEngine } from '../projection-engine/projection-engine';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { action, CliError, cliConfig, EXIT, perSecond, report, seconds } from './cli';
import { progress, type Progress } from './progress';
import { withStores } from './stores';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RebuildResult {
  projections: { name: string; collection: string }[];
  events: number;
  seconds: number;
}

/** Rebuilds `names` (all when empty) and resolves once readers use the new collections at the log's head as it was at the start. */
export async function rebuildProjections(events: EventStore, readModels: ReadModelStore, names: string[], bar: Progress = progress('rebuild')): Promise<RebuildResult> {
  const chosen = names.length > 0 ? names : PROJECTIONS.map((p) => p.name);
  const total = (await events.countEventsAfter(null)) ?? null;
  const head = await events.headPosition();
  const engine = new ProjectionEngine(events, readModels, PROJECTIONS);
  const startedAt = performance.now();
  await engine.start();
  try {
    // One track for all of them: the log is read once.
    const rebuilt = await engine.rebuildAll(chosen);
    bar.start(total === null ? null : total * rebuilt.length);
    for (;;) {
      const states = await engine.states();
      const failed = states.find((state) => state.status === 'failed');
      if (failed) throw new CliError(`projection ${failed.name} failed: ${failed.error ?? 'unknown error'}`, EXIT.failure);
      const active = await Promise.all(rebuilt.map(({ name }) => engine.collectionOf(name)));
      const switched = rebuilt.every(({ collection }, index) => active[index] === collection);
      if (switched) break;
      if (total !== null) bar.update(states.filter((s) => rebuilt.some((r) => r.collection === s.collection)).reduce((sum, s) => sum + (total - (s.lag ?? total)), 0));
      await pause(100);
    }
    if (head !== null) for (const { name } of rebuilt) if (!(await engine.waitFor(name, head, 600_000))) throw new CliError(`projection ${name} did not reach ${head}`, EXIT.failure);
    bar.stop();
    return { projections: rebuilt, events: total ?? 0, seconds: seconds(startedAt) };
  } finally {
    bar.stop();
    await engine.stop();
  }
}

export function rebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description(`rebuild read models from position 0 (default all: ${PROJECTIONS.map((p) => p.name).join(', ')}); stop the service's projections first`)
    .argument('[projection...]', 'projection names')
    .action(
      action(async (options, args) => {
        const unknown = args.filter((name) => !PROJECTIONS.some((p) => p.name === name));
        if (unknown.length > 0) throw new CliError(`unknown projection ${unknown.join(', ')} (known: ${PROJECTIONS.map((p) => p.name).join(', ')})`);
        const config = cliConfig(options);
        const result = await withStores(config, (events, readModels) => rebuildProjections(events, readModels, [...new Set(args)]));
        const rate = perSecond(result.events, result.seconds);
        report(options, { command: 'rebuild', ok: true, ...result, eventsPerSecond: rate }, [
          `rebuilt ${result.projections.map((p) => `${p.name} → ${p.collection}`).join(', ')} from ${result.events} events in ${result.seconds} s (${rate} events/s)`,
        ]);
        return EXIT.ok;
      }),
    );
}
