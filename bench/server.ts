/** Starts a benchmark server script from bench/http in its own process and learns its port. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export function startServer(script: string, args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  // The ledger runs with the node flags of `npm start` (package.json); the bare baselines with node's defaults.
  const nodeFlags = script.startsWith('ledger') ? ['--max-semi-space-size=64'] : [];
  const child = fork(join(__dirname, 'http', script), args, { execArgv: [...nodeFlags, '-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
