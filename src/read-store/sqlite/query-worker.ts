/**
 * A query worker thread: its own read-only connection to the read-model file (WAL lets it read
 * while the store writes) running the same QueryExecutor as the store. The pool terminates it past
 * the time limit, which also stops a runaway regular expression.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { QueryExecutor, type QueryRequest } from './query-executor';

export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: { message: string; sqlite: boolean };
}

const { filename } = workerData as { filename: string };
const db = new Database(filename, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
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
parentPort?.postMessage('ready');
