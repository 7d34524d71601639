/**
 * `ledger rebuild [projection...]`: read models rebuilt from position 0 by the projection engine
 * (new collection version, switched when caught up), the projections shared out over worker
 * threads with `--threads n`.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { PROJECTIONS } from '../../projections';
import type { ProjectionDefinition } from '../../projections/projection';
import type { AppConfig } from '../config/config';
import type { EventStore } from '../event-store/event-store.port';
import { ProjectionEngine } from '../projection-engine/projection-engine';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { startWorker } from '../shared/start-worker';
import { action, CliError, cliConfig, EXIT, perSecond, positiveInt, report, seconds, type ExitCode } from './cli';
import { progress, type Progress } from './progress';
import type { FromRebuildWorker, RebuildWorkerData } from './rebuild-worker';
import { withStores } from './stores';

/**
 * Threads of a rebuild by default: one. Two did not make the 10k demo's rebuild faster here
 * (2026-12-02: 15.1 and 17.3 s against 14.9 and 17.6 s on one, with 30–60 % more CPU): each
 * thread reads and opens the whole log, and they take turns at the read store's write lock.
 */
export const DEFAULT_REBUILD_THREADS = 1;
/** The most threads `--threads` accepts: one per projection. */
const MAX_REBUILD_THREADS = PROJECTIONS.length;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RebuildResult {
  projections: { name: string; collection: string }[];
  /** Threads that rebuilt them (rebuildInThreads). */
  threads: number;
  events: number;
  seconds: number;
}

/**
 * Rebuilds the projections named (every one of them must be known) on this thread and resolves once readers use the new
 * collections at the log's head as it was at the start. The engine runs only these projections:
 * the others are not caught up meanwhile, and a rebuild of another projection recorded in the store
 * (another thread's) is not taken over.
 */
export async function rebuildProjections(events: EventStore, readModels: ReadModelStore, names: string[], bar: Progress = progress('rebuild')): Promise<RebuildResult> {
  const total = (await events.countEventsAfter(null)) ?? null;
  const head = await events.headPosition();
  const engine = new ProjectionEngine(events, readModels, PROJECTIONS.filter((projection) => names.includes(projection.name)));
  const startedAt = performance.now();
  await engine.start();
  try {
    // One track for all of them: the log is read once.
    const rebuilt = await engine.rebuildAll(names);
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
    return { projections: rebuilt, threads: 1, events: total ?? 0, seconds: seconds(startedAt) };
  } finally {
    bar.stop();
    await engine.stop();
  }
}

/**
 * The projections shared out over `threads` groups of about equal work, the largest first to the
 * least loaded group. A projection's work is taken to be the number of event types it reads (every
 * thread reads the whole log; what differs is what each folds): due_dates, which reads all of
 * them, gets a thread nearly to itself.
 */
export function shareOut(definitions: readonly ProjectionDefinition[], threads: number): string[][] {
  const groups = Array.from({ length: Math.max(1, Math.min(threads, definitions.length)) }, () => ({ names: [] as string[], work: 0 }));
  for (const definition of [...definitions].sort((a, b) => b.handles.length - a.handles.length)) {
    const least = groups.reduce((min, group) => (group.work < min.work ? group : min));
    least.names.push(definition.name);
    least.work += definition.handles.length;
  }
  return groups.map((group) => group.names).filter((names) => names.length > 0);
}

/**
 * Rebuilds `names` (all when empty) over `threads` worker threads, each with its share of the
 * projections (shareOut) on stores of its own; one thread, or one projection, runs here. Resolves
 * when every thread has switched its projections; a thread that fails does not stop the others,
 * and the first failure is thrown once they all have ended.
 */
export async function rebuildInThreads(config: AppConfig, names: string[], threads: number, bar: Progress = progress('rebuild')): Promise<RebuildResult> {
  const chosen = PROJECTIONS.filter((projection) => names.length === 0 || names.includes(projection.name));
  const groups = shareOut(chosen, threads);
  // No query workers: a rebuild only writes read models.
  if (groups.length <= 1) return withStores(config, (events, readModels) => rebuildProjections(events, readModels, chosen.map((p) => p.name), bar), 0);
  const startedAt = performance.now();
  const totals = groups.map((): number | null | undefined => undefined);
  const values = groups.map(() => 0);
  const outcomes = await Promise.all(
    groups.map(
      (group, index) =>
        new Promise<RebuildResult | CliError>((resolve) => {
          const worker = startWorker(join(__dirname, 'rebuild-worker'), { workerData: { config, names: group } satisfies RebuildWorkerData });
          let settled: RebuildResult | CliError | null = null;
          worker.on('message', (message: FromRebuildWorker) => {
            if (message.kind === 'start') {
              totals[index] = message.total;
              if (totals.every((total) => total !== undefined)) bar.start(totals.some((total) => total === null) ? null : totals.reduce<number>((sum, total) => sum + (total ?? 0), 0));
            } else if (message.kind === 'progress') {
              values[index] = message.value;
              bar.update(values.reduce((sum, value) => sum + value, 0));
            } else if (message.kind === 'done') settled = message.result;
            else settled = new CliError(message.error, message.exitCode as ExitCode);
          });
          worker.on('error', (error) => (settled ??= new CliError(`rebuild thread failed: ${error.message}`, EXIT.failure)));
          worker.on('exit', (code) => resolve(settled ?? new CliError(`rebuild thread exited with code ${code} before it was done`, EXIT.failure)));
        }),
    ),
  );
  bar.stop();
  const failure = outcomes.find((outcome) => outcome instanceof CliError);
  if (failure) throw failure;
  const results = outcomes as RebuildResult[];
  const rebuilt = results.flatMap((result) => result.projections);
  return {
    projections: chosen.map((projection) => rebuilt.find((entry) => entry.name === projection.name)!),
    threads: groups.length,
    events: Math.max(...results.map((result) => result.events)),
    seconds: seconds(startedAt),
  };
}

export function rebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description(`rebuild read models from position 0 (default all: ${PROJECTIONS.map((p) => p.name).join(', ')}); stop the service's projections first`)
    .argument('[projection...]', 'projection names')
    .option('--threads <n>', `worker threads to share the projections out over (1 = this thread only; at most ${MAX_REBUILD_THREADS})`, String(DEFAULT_REBUILD_THREADS))
    .action(
      action<{ threads: string }>(async (options, args) => {
        const unknown = args.filter((name) => !PROJECTIONS.some((p) => p.name === name));
        if (unknown.length > 0) throw new CliError(`unknown projection ${unknown.join(', ')} (known: ${PROJECTIONS.map((p) => p.name).join(', ')})`);
        const threads = positiveInt('--threads', options.threads, MAX_REBUILD_THREADS);
        const config = cliConfig(options);
        const result = await rebuildInThreads(config, [...new Set(args)], threads);
        const rate = perSecond(result.events, result.seconds);
        report(options, { command: 'rebuild', ok: true, ...result, eventsPerSecond: rate }, [
          `rebuilt ${result.projections.map((p) => `${p.name} → ${p.collection}`).join(', ')} from ${result.events} events in ${result.seconds} s (${rate} events/s, ${result.threads} thread${result.threads === 1 ? '' : 's'})`,
        ]);
        return EXIT.ok;
      }),
    );
}
