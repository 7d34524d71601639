/** Starts a worker thread from a module beside the caller: the compiled .js in production (dist/), the TypeScript source through ts-node under ts-node / ts-jest. */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** This module was loaded compiled, so the whole program was. */
const compiled = __filename.endsWith('.js');

/** `modulePath`: the worker module's path without its extension, e.g. join(__dirname, 'query-worker'). Under ts-node the worker takes about a second to start. */
export function startWorker(modulePath: string, options: WorkerOptions = {}): Worker {
  if (compiled) return new Worker(`${modulePath}.js`, options);
  return new Worker(`require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(`${modulePath}.ts`)});`, { ...options, eval: true });
}

