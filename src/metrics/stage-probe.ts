/**
 * Bench-only timing of the command path, stage by stage (`npm run bench -- --only=profile`).
 * Off unless a benchmark installs a probe: then every call site is one null check and nothing else.
 * Durations are wall time in nanoseconds, summed per stage with a count; nothing here is exported
 * as a metric or read by the service itself.
 */

export interface StageTotals {
  [stage: string]: { ns: number; count: number };
}

export class StageProbe {
  readonly totals: StageTotals = {};

  add(stage: string, ns: number): void {
    const entry = (this.totals[stage] ??= { ns: 0, count: 0 });
    entry.ns += ns;
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

/** A start mark: 0 when no probe is installed (no clock read). */
export const stageStart = (): number => (probe === null ? 0 : now());

/** Adds the time since `start` to `stage` (nothing when no probe is installed). */
export function stageEnd(stage: string, start: number): void {
  if (probe !== null) probe.add(stage, now() - start);
}

/** Whether a probe is installed (for marks that need a little bookkeeping of their own). */
export const probing = (): boolean => probe !== null;

const now = (): number => Number(process.hrtime.bigint());

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
