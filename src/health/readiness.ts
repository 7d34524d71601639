/**
 * The checks behind GET /health/ready (and /health): each store written and read now, the key store
 * answering, the projections running and close to the head. Every check has its own deadline, so
 * the answer comes within a second whatever a store does.
 */
import type { EventStore, WriteFailure } from '../event-store/event-store.port';
import type { ProjectionState } from '../projection-engine/projection-engine';
import type { Projections } from '../projection-engine/projections';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import type { PersonalDataVault } from '../privacy/personal-data-vault';

export interface CheckResult {
  ok: boolean;
  reason?: string;
}

export interface ReadinessChecks {
  eventStore: CheckResult;
  readStore: CheckResult;
  keyStore: CheckResult;
  projections: CheckResult;
}

/** Each check's deadline: all run at once, so the route answers in about this, under 1 s. */
export const CHECK_TIMEOUT_MS = 800;

/**
 * A real write (an append, a projection batch) that failed this recently, with no success since,
 * keeps its store "not writable" even when the probe passes: a probe row is smaller than an append.
 */
export const WRITE_FAILURE_WINDOW_MS = 10_000;

interface Writable {
  ping(): Promise<void>;
  probe?(): Promise<void>;
  lastWriteFailure?(): WriteFailure | null;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs a check under its deadline; a rejection or the deadline is `ok: false` with the reason. */
export async function timed(run: () => Promise<string | void>, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // Started inside the race: a check that throws synchronously is a failed check too.
    const note = await Promise.race([Promise.resolve().then(run), deadline]);
    return note ? { ok: true, reason: note } : { ok: true };
  } catch (error) {
    return { ok: false, reason: message(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Written and read now (the probe, or ping where the adapter has none), and no recent failed write. */
export async function storeWritable(store: Writable, now = Date.now()): Promise<void> {
  try {
    await (store.probe ? store.probe() : store.ping());
  } catch (error) {
    throw new Error(`not writable or readable: ${message(error)}`);
  }
  const failure = store.lastWriteFailure?.();
  if (failure && now - failure.at < WRITE_FAILURE_WINDOW_MS) throw new Error(`a write failed ${Math.round((now - failure.at) / 1000)} s ago and none succeeded since: ${failure.message}`);
}

/**
 * Failed projections (serving ones: a failed rebuild, whose previous version still serves, is noted
 * but keeps the check ok), one that has not started, or one more than `maxLag` events behind.
 */
export function projectionsReady(states: readonly ProjectionState[], maxLag: number): string | void {
  const serving = new Set(states.filter((state) => state.status === 'running').map((state) => state.name));
  const problems: string[] = [];
  const notes: string[] = [];
  for (const state of states) {
    if (state.status === 'failed') {
      if (serving.has(state.name)) notes.push(`rebuild of ${state.name} (${state.collection}) failed, the previous version serves: ${state.error ?? 'no reason given'}`);
      else problems.push(`${state.name} failed: ${state.error ?? 'no reason given'}`);
    } else if (state.status === 'stopped' && state.error) problems.push(`${state.name} not running: ${state.error}`);
    else if (state.status === 'running' && state.lag !== null && state.lag > maxLag) problems.push(`${state.name} is ${state.lag} events behind (READY_MAX_LAG ${maxLag})`);
  }
  if (problems.length > 0) throw new Error([...problems, ...notes].join('; '));
  if (notes.length > 0) return notes.join('; ');
}

export async function readiness(
  stores: { eventStore: EventStore; readStore: ReadModelStore; vault: PersonalDataVault; engine: Projections | null },
  maxLag: number,
): Promise<{ ok: boolean; checks: ReadinessChecks }> {
  const [eventStore, readStore, keyStore, projections] = await Promise.all([
    timed(() => storeWritable(stores.eventStore)),
    timed(() => storeWritable(stores.readStore)),
    timed(() => stores.vault.ping()),
    timed(async () => (stores.engine ? projectionsReady(await stores.engine.states(), maxLag) : 'projections run in another process (RUN_PROJECTIONS=false): not checked here')),
  ]);
  const checks = { eventStore, readStore, keyStore, projections };
  return { ok: Object.values(checks).every((check) => check.ok), checks };
}
