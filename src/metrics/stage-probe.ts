/**
 * Bench-only timing of the command path, stage by stage (`npm run bench -- --only=profile`).
 * Off unless a benchmark installs a probe: then every call site is one null check and nothing else.
 * Per stage: wall time and process CPU time (user + system, getrusage), in nanoseconds, summed
 * with a count. On two shared cores the wall time of a short synchronous stage is mostly time the
 * thread was preempted; its CPU time is not. For a stage that spans awaits, the CPU time is the
 * whole process's meanwhile (other requests included). Nothing here is exported as a metric or
 * read by the service itself.
 */

export interface StageTotals {
  [stage: string]: { ns: number; cpuNs: number; count: number };
}

export class StageProbe {
  readonly totals: StageTotals = {};

  add(stage: string, ns: number, cpuNs = 0): void {
    const entry = (this.totals[stage] ??= { ns: 0, cpuNs: 0, count: 0 });
    entry.ns += ns;
    entry.cpuNs += cpuNs;
    entry.count += 1;
  }

  reset(): void {
    for (const key of Object.keys(this.totals)) delete this.totals[key];
  }
}

let probe: StageProbe | null = null;

/** Installs (or, with null, removes) the probe; only benchmarks call this. */
export function installStageProbe(next: StageProbe | null): void {
  probe = next;
}

/** A start mark: 0 when no probe is installed (no clock read), else the wall and CPU clocks. */
export type StageMark = 0 | { wall: number; cpu: number };

export const stageStart = (): StageMark => (probe === null ? 0 : { wall: now(), cpu: cpuNow() });

/** Adds the time since `start` to `stage` (nothing when no probe is installed). */
export function stageEnd(stage: string, start: StageMark): void {
  if (probe !== null && start !== 0) probe.add(stage, now() - start.wall, cpuNow() - start.cpu);
}

/** Whether a probe is installed (for marks that need a little bookkeeping of their own). */
export const probing = (): boolean => probe !== null;

const now = (): number => Number(process.hrtime.bigint());
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
};

const marks = new WeakMap<object, number>();

/** Remembers a start mark on a request object (only when probing), for a stage that ends in another hook. */
export function markRequest(request: object): void {
  if (probe !== null) marks.set(request, now());
}

/** Ends a stage started by markRequest on the same request. */
export function endRequestMark(stage: string, request: object): void {
  if (probe === null) return;
  const start = marks.get(request);
  if (start !== undefined) {
    marks.delete(request);
    probe.add(stage, now() - start);
  }
}
