/** Starts a benchmark server script from bench/http in its own process and learns its port. */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The node flags `npm start` runs the service with (package.json's start script, between `node` and the script). */
export function startNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.slice(start.lastIndexOf('node ') + 'node '.length).split(' ').filter(Boolean);
  return words.slice(0, -1);
}

/** Resolves with the child's first message (its port, and whatever else the script reports with it). */
export function startServer<M extends { port: number } = { port: number }>(script: string, args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; message: M }> {
  // The ledger runs with the node flags of `npm start` (package.json); the bare baselines with node's defaults.
  const nodeFlags = script.startsWith('ledger') ? startNodeFlags() : [];
  const child = fork(join(__dirname, 'http', script), args, { execArgv: [...nodeFlags, '-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', (message: M) => resolve({ child, port: message.port, message }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
