/**
 * Runs the `ledger` CLI as a child process, the way operators do. The sources are transpiled once
 * (TypeScript's transpileModule, no type check: `tsc --noEmit` does that) into a cache keyed by their
 * content, so each run starts like the built CLI instead of paying ts-node's start-up every time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SOURCES = ['src', 'projections'];

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));

/** The CLI's entry point, transpiled (reused while the sources are unchanged). */
export function builtCli(): string {
  const files = SOURCES.flatMap((dir) => walk(join(ROOT, dir))).sort();
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const hash = createHash('sha256');
  files.forEach((file, i) => hash.update(relative(ROOT, file)).update('\0').update(texts[i]).update('\0'));
  // Inside the worktree, so that the transpiled files resolve node_modules.
  const out = join(ROOT, 'node_modules', '.cache', 'ledger-cli-test', hash.digest('hex').slice(0, 16));
  const main = join(out, 'src', 'cli', 'main.js');
  if (existsSync(main)) return main;
  const partial = `${out}.${process.pid}.partial`;
  const compilerOptions: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true };
  files.forEach((file, i) => {
    const target = join(partial, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, ts.transpileModule(texts[i], { fileName: file, compilerOptions }).outputText);
  });
  try {
    renameSync(partial, out);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another test file made it meanwhile
  }
  // Transpilations of older sources are of no further use.
  for (const entry of readdirSync(dirname(out))) if (join(dirname(out), entry) !== out && !entry.endsWith('.partial')) rmSync(join(dirname(out), entry), { recursive: true, force: true });
  return main;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, for --json runs. */
  json: () => Record<string, any>;
}

/** `ledger <args>` on `dataDir` (passed as --data-dir unless null), with extra environment. */
export function ledger(args: string[], options: { dataDir?: string | null; env?: NodeJS.ProcessEnv; entry?: string[] } = {}): Promise<CliRun> {
  const entry = options.entry ?? [builtCli()];
  const dataDir = options.dataDir === undefined || options.dataDir === null ? [] : ['--data-dir', options.dataDir];
  const env = { ...process.env, API_KEYS: '', EVENT_STORE: '', READ_STORE: '', ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args, ...dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}
