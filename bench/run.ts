/**
 * `npm run bench [-- --quick] [-- --scale] [-- --only=appends,http,rebuild,audit,analyst,evaluation,worklists,profile,memory,soak]`: every figure
 * next to its baseline from the same run, with the machine, printed as a table and written as JSON
 * to bench/results/latest.json. Not part of the default run: `--only=profile` prints where a
 * purchase's time goes, stage by stage and by source file (bench/profile.ts); `--only=memory` (1M
 * commands, RSS every 100k, bench/memory.ts) and `--only=soak` (3 minutes of mixed load at half
 * the saturation rate, bench/soak.ts) show that memory stays flat. Timings never go into the test suite: machines are noisy.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_SCHEMA } from '../src/event-store/sqlite/event-schema';
import { runAnalystBench } from './analyst';
import { runSoakBench } from './soak';
import { runMemoryBench } from './memory';
import { runAnalystLoadBench, type PhaseFigures } from './analyst-load';
import { runAppendBench } from './appends';
import { runClaimBench } from './claims';
import { measureExport, measureFold } from './audit';
import { runEvaluationBench } from './evaluation';
import { generatedStore } from './history';
import { runHttpBench } from './http';
import { runProfileBench } from './profile';
import { machine, median } from './machine';
import { measureEngineRebuild, measureRawRebuild } from './rebuild';
import { runScaleBench } from './scale';
import { runWorklistBench } from './worklists';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const scale = args.includes('--scale');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name: string) => (only ? only.includes(name) : !scale && !['profile', 'memory', 'soak'].includes(name));

const SIZES = quick
  ? { appendSeconds: 2, appendRuns: 1, httpSeconds: 3, httpRuns: 1, rebuildEvents: 100_000, rebuildRuns: 1, foldRuns: 3, exportEvents: 100_000, scaleSizes: [0, 200_000, 1_000_000], scaleSeconds: 2, analystDocs: 100_000, analystRuns: 50, analystBaselineRuns: 5, analystLoadSeconds: 5, evaluationSizes: [10_000, 100_000], evaluationDue: 10_000, worklistDocs: 100_000, worklistRuns: 200, worklistBaselineRuns: 5 }
  : { appendSeconds: 5, appendRuns: 3, httpSeconds: 10, httpRuns: 3, rebuildEvents: 1_000_000, rebuildRuns: 3, foldRuns: 7, exportEvents: 1_000_000, scaleSizes: [0, 1_000_000, 5_000_000, 10_000_000], scaleSeconds: 5, analystDocs: 1_000_000, analystRuns: 50, analystBaselineRuns: 5, analystLoadSeconds: 10, evaluationSizes: [100_000, 1_000_000], evaluationDue: 10_000, worklistDocs: 100_000, worklistRuns: 500, worklistBaselineRuns: 10 };

/** Generated histories are kept between runs (they take minutes to make), keyed by size and schema. */
const CACHE = join(tmpdir(), 'customer-ledger-bench');
const schemaKey = createHash('sha256').update(EVENT_SCHEMA).digest('hex').slice(0, 8);

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (n: number) => `${n.toFixed(2)}x`;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  mkdirSync(CACHE, { recursive: true });
  const results: Record<string, unknown> = { machine: machine(), mode: quick ? 'quick' : 'full', sizes: SIZES };
  const table: string[][] = [];
  const row = (figure: string, value: string, baseline: string, vsBaseline: string, goal: string) => {
    table.push([figure, value, baseline, vsBaseline, goal]);
    console.log(`  ${figure}: ${value} (baseline ${baseline}, ${vsBaseline}; goal ${goal})`);
  };
  console.log('machine', results.machine);
  try {
    if (wanted('appends')) {
      console.log('\nappends: durable (synchronous=FULL), one event per append');
      const appends = await runAppendBench({ dir: work, seconds: SIZES.appendSeconds, runs: SIZES.appendRuns });
      results.appends = appends;
      for (const r of appends)
        row(`appends/s, ${r.writers} writer(s)`, `${fmt(r.ledgerPerSecond)} (x${fmt(r.groupFactor, 1)} per commit)`, `naive 1 row/tx ${fmt(r.naivePerSecond)}`, ratio(r.ratio), r.writers === 64 ? '>= 3x baseline' : '-');
      const claims = await runClaimBench({ dir: work, seconds: SIZES.appendSeconds, runs: SIZES.appendRuns });
      results.claims = claims;
      row(
        `Idempotency-Key claims/s, ${claims.writers} writers`,
        `${fmt(claims.ledgerPerSecond)} (x${fmt(claims.claimsPerCommit, 1)} per commit, ${fmt(claims.ledgerCpuMicrosPerClaim, 1)} us event-loop CPU each)`,
        `1 claim/tx ${fmt(claims.perClaimPerSecond)} (${fmt(claims.perClaimCpuMicrosPerClaim, 1)} us each)`,
        ratio(claims.ledgerPerSecond / claims.perClaimPerSecond),
        '-',
      );
    }
    if (wanted('http')) {
      console.log('\nhttp: POST /v1/customers/{id}/purchases, 50 connections');
      const http = await runHttpBench({ dir: work, seconds: SIZES.httpSeconds, runs: SIZES.httpRuns });
      results.http = http;
      for (const [name, figures] of Object.entries({ 'ledger (API + projections, as npm start)': http.ledger, 'ledger (API only, projector apart)': http.ledgerApiOnly, 'ledger (as npm start), an Idempotency-Key per purchase': http.ledgerKeyed })) {
        row(`${name} req/s`, `${fmt(figures.requestsPerSecond)} p50 ${figures.p50ms} ms p99 ${figures.p99ms} ms, ${figures.errors} errors`, `bare FULL ${fmt(http.bareFull.requestsPerSecond)} / NORMAL ${fmt(http.bareNormal.requestsPerSecond)}`, ratio(figures.requestsPerSecond / http.bareFull.requestsPerSecond), '>= 5000 req/s, p99 <= 25 ms, >= 1.3x bare FULL');
      }
      // Server CPU per request: what the code costs, whatever the fsync latency of the moment.
      const cpu = (f: { cpuMicrosPerRequest: number | null }) => (f.cpuMicrosPerRequest === null ? 'n/a' : `${fmt(f.cpuMicrosPerRequest)} us`);
      for (const [name, figures] of Object.entries({ 'ledger (API + projections)': http.ledger, 'ledger (API only)': http.ledgerApiOnly, 'ledger (keyed)': http.ledgerKeyed }))
        row(`${name} server CPU per request`, cpu(figures), `bare FULL ${cpu(http.bareFull)} / NORMAL ${cpu(http.bareNormal)}`, '-', '-');
    }
    if (wanted('profile')) {
      console.log('\nprofile: POST /v1/customers/{id}/purchases, 50 connections, stage probe + CPU profile (slower than the http figures)');
      results.profile = await runProfileBench({ dir: work, seconds: SIZES.httpSeconds });
    }
    if (wanted('rebuild')) {
      console.log(`\nrebuild: ${fmt(SIZES.rebuildEvents)} generated events into every projection's read model`);
      const eventsFile = join(CACHE, `history-${SIZES.rebuildEvents}-${schemaKey}.sqlite`);
      const generated = await generatedStore(eventsFile, SIZES.rebuildEvents);
      console.log(`  history: ${fmt(generated.events)} events (${generated.seconds.toFixed(1)} s to make or open)`);
      const engine: number[] = [];
      const raw: number[] = [];
      for (let run = 0; run < SIZES.rebuildRuns; run++) {
        raw.push((await measureRawRebuild(eventsFile, join(work, `raw-${run}.sqlite`))).eventsPerSecond);
        engine.push((await measureEngineRebuild(eventsFile, join(work, `engine-${run}.sqlite`))).eventsPerSecond);
      }
      const rebuild = { events: generated.events, engineEventsPerSecond: median(engine), rawEventsPerSecond: median(raw), ratio: median(engine) / median(raw), seconds: generated.events / median(engine) };
      results.rebuild = rebuild;
      row('rebuild events/s', `${fmt(rebuild.engineEventsPerSecond)} (${rebuild.seconds.toFixed(1)} s)`, `raw read+parse+fold+write ${fmt(rebuild.rawEventsPerSecond)}`, ratio(rebuild.ratio), '>= 100k events/s, >= 1.5x baseline (both cores)');
    }
    if (wanted('audit')) {
      console.log('\naudit: fold one 10k-event stream; export a long stream as NDJSON from the compiled service (npm start) as one customer and as the whole ledger, and with the compiled `ledger export`');
      const fold = await measureFold(work, 10_000, SIZES.foldRuns);
      results.fold = fold;
      row('fold 10k-event stream', `${fold.foldMs.toFixed(1)} ms`, `raw read+parse ${fold.rawReadParseMs.toFixed(1)} ms`, ratio(fold.ratio), '<= 2x baseline');
      const exported = await measureExport(work, SIZES.exportEvents);
      results.export = exported;
      for (const [route, figures] of Object.entries({ 'GET /v1/customers/{id}/events/export': exported.customer, 'GET /v1/events/export (whole ledger)': exported.ledger, 'ledger export (whole ledger, to /dev/null)': exported.cli }))
        row(
          `${route}, ${fmt(figures.events)} events`,
          `${fmt(figures.eventsPerSecond)} events/s, peak RSS ${fmt(figures.peakRssMB)} MB (idle ${fmt(figures.idleRssMB)} MB)`,
          `raw SELECT + join ${fmt(exported.rawRowsPerSecond)} rows/s`,
          ratio(figures.eventsPerSecond / exported.rawRowsPerSecond),
          '>= 200k events/s, < 150 MB RSS',
        );
    }
    if (wanted('analyst')) {
      console.log(`\nanalyst: queries on ${fmt(SIZES.analystDocs)} profiles in the embedded read store (baseline: parse + mingo every document, as before query planning)`);
      const analyst = await runAnalystBench({ dir: work, documents: SIZES.analystDocs, runs: SIZES.analystRuns, baselineRuns: SIZES.analystBaselineRuns });
      results.analyst = analyst;
      console.log(`  built in ${analyst.buildSeconds.toFixed(1)} s through writeBatch`);
      for (const [name, plan] of Object.entries(analyst.plans)) console.log(`  plan, ${name}: ${plan.join(' | ')}`);
      for (const q of analyst.queries)
        row(
          `${q.query} (${fmt(q.results)} results)`,
          `p50 ${q.p50ms.toFixed(1)} ms p99 ${q.p99ms.toFixed(1)} ms, loop stall <= ${q.maxStallMs.toFixed(0)} ms`,
          `full scan p50 ${q.baselineP50ms.toFixed(0)} ms p99 ${q.baselineP99ms.toFixed(0)} ms, stall ${q.baselineMaxStallMs.toFixed(0)} ms`,
          `${(q.baselineP50ms / q.p50ms).toFixed(1)}x faster`,
          q.query.startsWith('unindexed') ? 'off the event loop (stall << baseline)' : '>= 10x baseline',
        );
      console.log(`\nanalyst under load: POST purchases at 16 connections over 200 customers, ${SIZES.analystLoadSeconds} s alone, with 2 analyst clients looping over HTTP, alone again; the service in a child with ${fmt(SIZES.analystDocs)} profiles in its read store`);
      const underLoad = await runAnalystLoadBench({ dir: work, profiles: SIZES.analystDocs, seconds: SIZES.analystLoadSeconds, log: console.log });
      results.analystLoad = underLoad;
      const us = (n: number | null) => (n === null ? 'n/a' : `${fmt(n)} us`);
      const cmd = (f: PhaseFigures) =>
        `${fmt(f.requestsPerSecond)} cmd/s p50 ${f.p50ms} ms p99 ${f.p99ms} ms, ${f.errors} errors; per cmd main thread ${us(f.mainThreadCpuMicrosPerRequest)}, process ${us(f.cpuMicrosPerRequest)}; loop delay p99 ${f.loop.p99ms.toFixed(0)} ms max ${f.loop.maxMs.toFixed(0)} ms`;
      console.log(`  machine ${JSON.stringify(underLoad.machine)}; load average before ${underLoad.loadAverage.before.map((n) => n.toFixed(2)).join(' ')}, after ${underLoad.loadAverage.after.map((n) => n.toFixed(2)).join(' ')}`);
      console.log(`  alone after the analysts: ${cmd(underLoad.aloneAfter)} (drift check)`);
      row('purchases with 2 analysts querying', cmd(underLoad.withAnalysts), `alone ${cmd(underLoad.alone)}`, `p99 ${ratio(underLoad.p99Ratio)} (vs worse alone ${ratio(underLoad.p99RatioVsWorseAlone)})`, 'p99 <= 1.5x alone');
      for (const k of underLoad.queries) {
        const failed = Object.entries(k.failures).map(([status, n]) => `${n} x ${status}`).join(', ');
        row(`  analyst ${k.kind}, ${k.runsOn}`, `${fmt(k.count)} answered p50 ${k.p50ms.toFixed(1)} ms p99 ${k.p99ms.toFixed(1)} ms max ${k.maxMs.toFixed(0)} ms${failed ? `, failed ${failed}` : ''}`, `unloaded 1 run ${k.unloadedMs.toFixed(1)} ms`, '-', '-');
      }
    }
    if (wanted('evaluation')) {
      console.log(`\nevaluation: batch evaluation of ${fmt(SIZES.evaluationDue)} due customers among ${SIZES.evaluationSizes.map((n) => fmt(n)).join(' / ')} in the due index (baseline: reading the due index alone)`);
      const evaluation = await runEvaluationBench({ dir: work, sizes: SIZES.evaluationSizes, due: SIZES.evaluationDue, log: console.log });
      results.evaluation = evaluation;
      for (const e of evaluation) {
        console.log(`  ${fmt(e.stored)} stored: ${e.source}; built in ${e.buildSeconds.toFixed(1)} s`);
        row(
          `evaluate ${fmt(e.due)} due of ${fmt(e.stored)} stored`,
          `${(e.evaluateMs / 1000).toFixed(2)} s (${fmt(e.microsPerDueCustomer)} us per due customer; ${fmt(e.evaluated)} evaluated, ${fmt(e.changed)} changed, ${e.failed} failed)`,
          `due index alone ${e.indexReadMs.toFixed(1)} ms (${fmt(e.indexListed)} listed)`,
          ratio(e.evaluateMs / e.indexReadMs),
          '-',
        );
      }
      if (evaluation.length > 1) {
        const [small, large] = [evaluation[0], evaluation[evaluation.length - 1]];
        row(
          `evaluation time, ${fmt(large.stored)} vs ${fmt(small.stored)} stored (same ${fmt(large.due)} due)`,
          ratio(large.evaluateMs / small.evaluateMs),
          `due index read ${ratio(large.indexReadMs / small.indexReadMs)}`,
          `stored ${ratio(large.stored / small.stored)}`,
          'about 1x: follows the number due',
        );
      }
    }
    if (wanted('memory')) {
      const commands = quick ? 200_000 : 1_000_000;
      const sampleEvery = quick ? 20_000 : 100_000;
      const customers = quick ? 10_000 : 100_000;
      console.log(`\nmemory: ${fmt(commands)} commands (3 purchases : 1 visit, round robin over ${fmt(customers)} customers, 64 in flight) through the service's command pipeline with projections in process; RSS every ${fmt(sampleEvery)} with none in flight, after a full GC and after a compacting one`);
      const memory = await runMemoryBench({ dir: work, commands, sampleEvery, customers });
      results.memory = memory;
      console.log(`  ${fmt(memory.commandsPerSecond)} commands/s over ${memory.seconds} s`);
      for (const s of memory.samples) console.log(`  after ${fmt(s.commands)}: RSS ${s.ordinaryRssMB} MB after a full GC, ${s.rssMB} MB after a compacting one (anonymous ${s.anonMB}, files ${s.fileMB}), heap used ${s.heapUsedMB} of ${s.heapTotalMB} MB, external ${s.externalMB} MB; committed by space: ${Object.entries(s.spacesMB).filter(([, mb]) => mb > 0).map(([name, mb]) => `${name} ${mb}`).join(', ')}`);
      row(`RSS after ${fmt(commands)} commands (compacting GC)`, `${memory.samples.at(-1)?.rssMB ?? '?'} MB`, `after ${fmt(sampleEvery)}: ${memory.samples[0]?.rssMB ?? '?'} MB`, `${memory.rssGrowthPercent} %`, 'within 10 %');
      row(`RSS after ${fmt(commands)} commands (ordinary GC)`, `${memory.samples.at(-1)?.ordinaryRssMB ?? '?'} MB`, `after ${fmt(sampleEvery)}: ${memory.samples[0]?.ordinaryRssMB ?? '?'} MB`, `${memory.ordinaryRssGrowthPercent} %`, 'shown beside it');
    }
    if (wanted('soak')) {
      const soakSeconds = quick ? 30 : 180;
      console.log(`\nsoak: mixed load (purchases, visits, profile and history reads; 500 customers) at half the saturation rate for ${soakSeconds} s, npm start defaults`);
      const soak = await runSoakBench({ dir: work, seconds: soakSeconds, sampleSeconds: quick ? 5 : 10 });
      results.soak = soak;
      console.log(`  saturation ${fmt(soak.saturationRequestsPerSecond)} req/s; soak at ${fmt(soak.rate)} req/s: ${fmt(soak.requests)} requests, ${soak.errors} errors, p50 ${soak.p50ms} ms, p99 ${soak.p99ms} ms, max ${soak.maxMs} ms`);
      console.log(`  server RSS (MB, every ${quick ? 5 : 10} s): ${soak.rssSeriesMB.join(' ')}`);
      row('soak RSS growth', `${soak.rssGrowthPercent} %`, `start ${soak.rssSeriesMB[0]} MB`, '-', 'flat (within 10 %)');
    }
    if (wanted('worklists')) {
      console.log(`\nworklists: GET /v1/complaints and GET /v1/follow-ups as the handlers query the store, on ${fmt(SIZES.worklistDocs)} complaints + ${fmt(SIZES.worklistDocs)} follow-ups (baseline: parse + mingo every document)`);
      const worklists = await runWorklistBench({ dir: work, documents: SIZES.worklistDocs, runs: SIZES.worklistRuns, baselineRuns: SIZES.worklistBaselineRuns });
      results.worklists = worklists;
      console.log(`  built in ${worklists.buildSeconds.toFixed(1)} s through writeBatch; dates relative to ${worklists.generatedAt}`);
      for (const [field, counts] of Object.entries(worklists.spread)) console.log(`  spread, ${field}: ${Object.entries(counts).map(([value, n]) => `${value} ${fmt(n)}`).join(', ')}`);
      for (const q of worklists.queries) {
        console.log(`  ${q.route}\n    store.find(${q.collection}, ${JSON.stringify(q.options)}) runs on the ${q.runsOn}\n    plan: ${q.plan.join(' | ')}`);
      }
      for (const q of worklists.queries)
        row(
          `${q.route} (${fmt(q.results)} results, ${q.runsOn})`,
          `p50 ${q.p50ms.toFixed(2)} ms p99 ${q.p99ms.toFixed(2)} ms, loop stall <= ${q.maxStallMs.toFixed(0)} ms`,
          `full scan p50 ${q.baselineP50ms.toFixed(0)} ms p99 ${q.baselineP99ms.toFixed(0)} ms, stall ${q.baselineMaxStallMs.toFixed(0)} ms`,
          `${(q.baselineP50ms / q.p50ms).toFixed(1)}x faster`,
          '>= 10x baseline',
        );
    }
    if (scale || only?.includes('scale')) {
      console.log('\nscale: durable appends/s (64 writers) as the store grows');
      const rows = await runScaleBench({ filename: join(work, 'scale.sqlite'), sizes: SIZES.scaleSizes, seconds: SIZES.scaleSeconds });
      results.scale = rows;
      for (const r of rows) row(`appends/s at ${fmt(r.storedEvents)} stored`, fmt(r.appendsPerSecond), 'at 0 stored', ratio(r.relativeToFirst), 'flat within +-20%');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[['figure', 'value', 'baseline (same run)', 'vs baseline', 'goal'], ...table].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  console.log(`\n${line(['figure', 'value', 'baseline (same run)', 'vs baseline', 'goal'])}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${table.map(line).join('\n')}`);
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const text =  `${JSON.stringify(results, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
    // Each run is also kept under its own name, so figures before and after a change can be compared.
  const kept = `${(only ?? ['all']).join('+')}-${String(results.mode)}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(join(out, 'latest.json'), text);
  writeFileSync(join(out, kept), text);
  console.log(`\nwritten: bench/results/latest.json and bench/results/${kept}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
