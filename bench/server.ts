/** Starts a benchmark server script from bench/http in its own process and learns its port. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Resolves with the child's first message (its port, and whatever else the script reports with it). */
export function startServer<M extends { port: number } = { port: number }>(script: string, args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; message: M }> {
  // The ledger runs with the node flags of `npm start` (package.json); the bare baselines with node's defaults.
  const nodeFlags = script.startsWith('ledger') ? ['--max-semi-space-size=64'] : [];
  const child = fork(join(__dirname, 'http', script), args, { execArgv: [...nodeFlags, '-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', (message: M) => resolve({ child, port: message.port, message }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
