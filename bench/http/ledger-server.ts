/**
 * customer-ledger itself, as `npm start` serves it, on a fresh data directory with customers registered.
 * LEDGER_BENCH_PROFILES=N (bench --only=analyst): N generated profiles are written into the active
 * customer_profiles collection of the read store before the app starts, so analyst queries run on a
 * read store of production size while commands are measured.
 */
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { installStageProbe, StageProbe } from '../../src/metrics/stage-probe';
import { activeCollection } from '../../src/projection-engine/collections';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { generatedProfile, random } from '../analyst';

const [dir, customers, projections] = process.argv.slice(2);

/** LEDGER_PROFILE=1 (bench --only=profile): stage timings and a CPU profile of the measured load only. */
const probe = process.env.LEDGER_PROFILE === '1' ? new StageProbe() : null;
installStageProbe(probe);

type Message = { cmd?: 'start' | 'report' | 'loop'; profileFile?: string };

/**
 * {cmd: 'loop'} (bench/analyst-load.ts): the event-loop delay since the last ask, then reset. Only
 * sampled with LEDGER_BENCH_PROFILES, so the http and profile benches run without its timer.
 */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
if (process.env.LEDGER_BENCH_PROFILES !== undefined) loopDelay.enable();
const loopFigures = () => {
  const ms = (ns: number) => ns / 1e6;
  const figures = { p50ms: ms(loopDelay.percentile(50)), p99ms: ms(loopDelay.percentile(99)), maxMs: ms(loopDelay.max) };
  loopDelay.reset();
  return figures;
};

function profiler() {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  let cpu = process.cpuUsage();
  let started = 0;
  return {
    async start() {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      probe?.reset();
      cpu = process.cpuUsage();
      started = Date.now();
      await post('Profiler.start');
    },
    async report(profileFile: string) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      const used = process.cpuUsage(cpu);
      const seconds = (Date.now() - started) / 1000;
      writeFileSync(profileFile, JSON.stringify(profile));
      return { stages: probe?.totals ?? {}, cpu: { userMicros: used.user, systemMicros: used.system, seconds }, profileFile };
    },
  };
}

/** What the pre-fill wrote (sent to the parent with the port). */
export interface Prefilled {
  collection: string;
  documents: number;
  seconds: number;
}

/**
 * Writes `documents` generated profiles (bench/analyst.ts, same seed) into the collection readers
 * use for customer_profiles, in batches through writeBatch with no checkpoint: the projection's own
 * checkpoint is untouched, so the engine starts from the log as usual and projects what comes.
 */
async function prefill(dataDir: string, documents: number): Promise<Prefilled> {
  const started = performance.now();
  const store = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite'), queryWorkers: 1 });
  try {
    const collection = await activeCollection(store, 'customer_profiles');
    const next = random(42);
    for (let from = 0; from < documents; from += 10_000) {
      const writes = [];
      for (let i = from; i < Math.min(documents, from + 10_000); i++) {
        const doc = generatedProfile(i, next);
        writes.push({ _id: doc._id, doc });
      }
      await store.writeBatch(collection, writes, null);
    }
    return { collection, documents, seconds: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig({
    DATA_DIR: join(dir, 'ledger'),
    API_KEYS: 'bench:writer:bench-secret-1,bench-audit:auditor:bench-secret-2,bench-analyst:analyst:bench-secret-3',
    RUN_PROJECTIONS: projections ?? 'true',
  });
  const profiles = Number(process.env.LEDGER_BENCH_PROFILES ?? 0);
  const prefilled = profiles > 0 ? await prefill(config.dataDir, profiles) : null;
  const { app } = await createApp(config, ['error']);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const port = Number(new URL(url.replace('[::1]', 'localhost')).port);
  for (let i = 0; i < Number(customers); i++) {
    const response = await app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: 'Bearer bench-secret-1', 'content-type': 'application/json' },
      payload: { customerId: `bench-${i}`, name: `Bench ${i}`, email: `bench-${i}@example.com` },
    });
    if (response.statusCode !== 201) throw new Error(`registration failed: ${response.body}`);
  }
  const profiling = probe ? profiler() : null;
  process.send?.({ port, prefilled });
  process.on('message', (message: Message) => {
    if (message?.cmd === 'loop') process.send?.({ loop: loopFigures() });
    else if (profiling && message?.cmd === 'start') void profiling.start().then(() => process.send?.({ started: true }));
    else if (profiling && message?.cmd === 'report') void profiling.report(message.profileFile as string).then((report) => process.send?.(report));
    // Anything else asks for a clean exit (so --cpu-prof can write its profile).
    else void app.close().then(() => process.exit(0));
  });
}

void main();
