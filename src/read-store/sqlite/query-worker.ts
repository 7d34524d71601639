/**
 * A query worker thread: its own read-only connection to the read-model file (WAL lets it read
 * while the store writes) running the same QueryExecutor as the store. The pool terminates it past
 * the time limit, which also stops a runaway regular expression.
 */
import Database from 'better-sqlite3';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { QueryExecutor, type QueryRequest } from './query-executor';
import { setCacheSize } from '../../shared/sqlite';

/** The nice value a query worker thread runs at (Linux): commands on the event loop go first. */
export const QUERY_WORKER_NICE = 10;

/**
 * On Linux each thread has its own nice value (setpriority on its thread id, /proc/thread-self):
 * the worker lowers its own, so on a machine short of cores a scan takes the CPU the event loop
 * leaves rather than half of it (the analyst bench measured command p99 while scans ran). Elsewhere,
 * or when not allowed, the worker runs at the process's priority: nothing else changes.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, QUERY_WORKER_NICE);
  } catch {
    // not Linux, or no /proc: keep the process's priority
  }
}

export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: { message: string; sqlite: boolean };
}

lowerPriority();
const { filename, cacheMB } = workerData as { filename: string; cacheMB: number };
const db = new Database(filename, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
setCacheSize(db, cacheMB);
const executor = new QueryExecutor(db);

parentPort?.on('message', ({ id, request }: { id: number; request: QueryRequest }) => {
  let reply: WorkerReply;
  try {
    reply = { id, result: executor.run(request) };
  } catch (error) {
    reply = { id, error: { message: (error as Error).message, sqlite: error instanceof Database.SqliteError } };
  }
  parentPort?.postMessage(reply);
});
/**
 * A thread's first query loads and compiles mingo's and RE2's code paths (tens of milliseconds, more
 * on a busy machine); done before 'ready', so a query's time limit measures the query, not the
 * thread's start. A file without the table has nothing to warm up against.
 */
function warmUp(): void {
  try {
    executor.run({ op: 'count', collection: '__warm_up__', filter: { _id: 'warm-up', name: { $regex: '^a' } } });
  } catch {
    // nothing to warm up against
  }
}

warmUp();
parentPort?.postMessage('ready');
