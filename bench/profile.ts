/**
 * `npm run bench -- --only=profile`: where a purchase's time goes. The ledger serves the same load
 * as the http bench with a bench-only stage probe installed (src/metrics/stage-probe.ts: per-stage
 * wall time around the command path) and the V8 sampling profiler running during the measured load
 * only; the profile is summarised by area, package and source file as microseconds of CPU per
 * command. The probe and the profiler slow the server down: compare stages with each other and
 * runs of this mode with each other, never with the http bench's throughput.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StageTotals } from '../src/metrics/stage-probe';
import { CUSTOMERS, load, type HttpFigures } from './http';
import { startServer } from './server';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface StageRow {
  stage: string;
  /** Mean wall time of one pass through the stage. */
  microsPerCall: number;
  /** Passes per answered request (a group commit serves several appends). */
  callsPerCommand: number;
  /** Wall time per answered request: microsPerCall × callsPerCommand. */
  microsPerCommand: number;
  /** Process CPU per answered request; null for the stages that span awaits (others' work would count). */
  cpuMicrosPerCommand: number | null;
}

export interface ProfileFigures {
  load: HttpFigures;
  commands: number;
  cpuMicrosPerCommand: { user: number; system: number; total: number };
  stages: StageRow[];
  /** Sampled CPU (self time) per command, by area, by package or source file. */
  areas: { name: string; microsPerCommand: number; share: number }[];
  files: { name: string; microsPerCommand: number; share: number }[];
  profileFile: string;
}

const ROOT = join(__dirname, '..');

/** The probe's stages in the order a command passes them (src/metrics/stage-probe.ts call sites). */
const STAGE_ORDER = [
  'http auth (edge)',
  'body parse',
  'validation (param)',
  'validation (body)',
  'validation (body, compiled)',
  'command context + build',
  'idempotency lookup',
  'load state (cache)',
  'load state (store)',
  'decide',
  'stamp (ids + hash chain)',
  'append commit (inserts + fsync, per group)',
  'append wait (group commit)',
  'advance cached state + result',
  'response (Nest + serialize)',
  'metrics (onResponse)',
  'request total (wall, onRequest to finish)',
];
/** Stages that await (the process runs other requests meanwhile): their CPU figure means nothing. */
const SPANS_AWAITS = new Set(['validation (body)', 'idempotency lookup', 'load state (store)', 'append wait (group commit)', 'response (Nest + serialize)', 'request total (wall, onRequest to finish)']);
const stageOrder = (stage: string): number => (STAGE_ORDER.includes(stage) ? STAGE_ORDER.indexOf(stage) : STAGE_ORDER.length - 1.5);

/** Which file or package a sampled frame belongs to. */
function fileOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return relative(ROOT, path);
}

const AREAS: [RegExp, string][] = [
  [/^\(native\) .* <- (node_modules\/better-sqlite3|src\/event-store\/sqlite\/|src\/shared\/sqlite|src\/read-store\/sqlite\/)/, 'SQLite statements (incl. commit + fsync, blocking)'],
  [/^node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)$/, 'validation libraries'],
  [/^node_modules\/(@nestjs\/[^/]+|rxjs|reflect-metadata|path-to-regexp|iterare|tslib|uid)$/, 'Nest (router, guards, pipes, CQRS)'],
  [/^node_modules\/(fastify|@fastify\/[^/]+|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|abstract-logging|pino|fast-content-type-parse|toad-cache|process-warning|fastq|ret|safe-regex2)$/, 'fastify'],
  [/^node_modules\/prom-client$/, 'metrics (prom-client)'],
  [/^node_modules\/(better-sqlite3|bindings)$/, 'better-sqlite3 (JS side)'],
  [/^node_modules\/mingo$/, 'projections'],
  [/^(src\/projection-engine|src\/read-store|projections)\//, 'projections'],
  [/^src\/http\//, 'src/http (body parse, pipe, edge)'],
  [/^src\/customer\//, 'src/customer (decide, evolve)'],
  [/^src\/event-store\//, 'src/event-store (stamp, append, read)'],
  [/^src\//, 'src (other)'],
  [/^node:inspector$/, 'the profiler itself (inspector session; not in production)'],
  [/^node:/, 'node internals (http, net, streams, timers)'],
  [/^\(garbage collector\)$/, 'garbage collector'],
  [/^\(program\)$/, '(program): native code without a JS frame (SQLite, fsync, crypto, libuv)'],
  [/^\(native\) /, 'native and V8 builtins (JSON, RegExp, crypto, …)'],
];
/** A native frame counts in its caller's area (JSON.parse in the body parser is body parsing), SQLite apart. */
const areaOf = (file: string): string => {
  const caller = / <- (.*)$/.exec(file)?.[1];
  if (caller !== undefined && !AREAS[0][0].test(file)) return areaOf(caller);
  return AREAS.find(([pattern]) => pattern.test(file))?.[1] ?? (file.startsWith('node_modules/') ? 'other packages' : file);
};

export function summariseProfile(profile: CpuProfile, commands: number): Pick<ProfileFigures, 'areas' | 'files'> {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, index) => byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const parent = new Map<number, (typeof profile.nodes)[number]>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  // A native frame (JSON.stringify, a SQLite statement, a hash) is named with the file that called it.
  const nameOf = (node: (typeof profile.nodes)[number]): string => {
    const file = fileOf(node.callFrame.url, node.callFrame.functionName);
    if (!file.startsWith('(native) ')) return file;
    let caller = parent.get(node.id);
    while (caller && caller.callFrame.url === '' && !caller.callFrame.functionName.startsWith('(')) caller = parent.get(caller.id);
    return caller ? `${file} <- ${fileOf(caller.callFrame.url, caller.callFrame.functionName)}` : file;
  };
  const files = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    if (micros === 0 || node.callFrame.functionName === '(idle)') continue;
    const file = nameOf(node);
    files.set(file, (files.get(file) ?? 0) + micros);
    busy += micros;
  }
  const areas = new Map<string, number>();
  for (const [file, micros] of files) areas.set(areaOf(file), (areas.get(areaOf(file)) ?? 0) + micros);
  const rows = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, microsPerCommand: micros / commands, share: micros / busy }));
  return { areas: rows(areas), files: rows(files).slice(0, 40) };
}

function ask<T>(child: ChildProcess, message: object, until: (reply: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const listener = (reply: Record<string, unknown>) => {
      if (!until(reply)) return;
      child.off('message', listener);
      resolve(reply as T);
    };
    child.on('message', listener);
    child.send(message);
  });
}

async function profileOne(dir: string, projections: boolean, seconds: number): Promise<ProfileFigures> {
  const { child, port } = await startServer('ledger-server.ts', [dir, String(CUSTOMERS), String(projections)], { LEDGER_PROFILE: '1' });
  const authorization = 'Bearer bench-secret-1';
  try {
    await load(port, 1, authorization);
    await ask(child, { cmd: 'start' }, (reply) => reply.started === true);
    const figures = await load(port, seconds, authorization);
    // Kept beside the results (git-ignored) to open in Chrome DevTools or speedscope.
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    const profileFile = join(__dirname, 'results', `profile-${projections ? 'with-projections' : 'api-only'}.cpuprofile`);
    const report = await ask<{ stages: StageTotals; cpu: { userMicros: number; systemMicros: number; seconds: number } }>(child, { cmd: 'report', profileFile }, (reply) => 'stages' in reply);
    const commands = report.stages['request total (wall, onRequest to finish)']?.count ?? 0;
    const stages = Object.entries(report.stages).sort(([a], [b]) => stageOrder(a) - stageOrder(b)).map(([stage, { ns, cpuNs, count }]) => ({
      stage,
      microsPerCall: ns / count / 1000,
      callsPerCommand: count / commands,
      microsPerCommand: ns / commands / 1000,
      cpuMicrosPerCommand: SPANS_AWAITS.has(stage) ? null : cpuNs / commands / 1000,
    }));
    const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
    return {
      load: figures,
      commands,
      cpuMicrosPerCommand: { user: report.cpu.userMicros / commands, system: report.cpu.systemMicros / commands, total: (report.cpu.userMicros + report.cpu.systemMicros) / commands },
      stages,
      ...summariseProfile(profile, commands),
      profileFile,
    };
  } finally {
    child.kill();
  }
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function printProfile(name: string, figures: ProfileFigures): void {
  console.log(`\n  ${name}: ${fmt(figures.load.requestsPerSecond, 0)} req/s under the probe and profiler, ${figures.commands} commands measured`);
  console.log(`  process CPU per command: ${fmt(figures.cpuMicrosPerCommand.total)} us (user ${fmt(figures.cpuMicrosPerCommand.user)}, system ${fmt(figures.cpuMicrosPerCommand.system)})`);
  console.log('\n  stage                                         CPU us/command  wall us/command  wall us/call  calls/command');
  for (const row of figures.stages)
    console.log(
      `  ${row.stage.padEnd(45)} ${(row.cpuMicrosPerCommand === null ? '(awaits)' : fmt(row.cpuMicrosPerCommand)).padStart(14)} ${fmt(row.microsPerCommand).padStart(16)} ${fmt(row.microsPerCall).padStart(13)} ${fmt(row.callsPerCommand, 2).padStart(14)}`,
    );
  console.log('\n  main thread (sampled, self, idle excluded) by area                      us/command  share');
  for (const row of figures.areas) console.log(`  ${row.name.padEnd(72)} ${fmt(row.microsPerCommand).padStart(10)} ${fmt(row.share * 100).padStart(5)}%`);
  console.log('\n  main thread by package / source file (top 25)                           us/command  share');
  for (const row of figures.files.slice(0, 25)) console.log(`  ${row.name.padEnd(72)} ${fmt(row.microsPerCommand).padStart(10)} ${fmt(row.share * 100).padStart(5)}%`);
  console.log(`  (profile: ${relative(ROOT, figures.profileFile)})`);
}

export async function runProfileBench({ dir, seconds }: { dir: string; seconds: number }) {
  const ledger = await profileOne(join(dir, 'profile-with-projections'), true, seconds);
  printProfile('ledger (API + projections, as npm start)', ledger);
  const ledgerApiOnly = await profileOne(join(dir, 'profile-api-only'), false, seconds);
  printProfile('ledger (API only, projector apart)', ledgerApiOnly);
  return { ledger, ledgerApiOnly };
}
