/**
 * The real service as a child process, for the crash suite: started from the same transpiled tree
 * test/support/cli.ts makes for the CLI (src/main.js next to src/cli/main.js), killed with SIGKILL,
 * restarted on the same data directory. Plus a small HTTP client with a timeout on every call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { builtCli } from '../support/cli';
import { KEYS } from '../support/test-app';

export const API_KEYS = (Object.keys(KEYS) as (keyof typeof KEYS)[]).map((role) => `crash-${role}:${role}:${KEYS[role]}`).join(',');
export const auth = (role: keyof typeof KEYS) => ({ Authorization: `Bearer ${KEYS[role]}` });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, resolved when the process is gone. */
  kill9: () => Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every child still running (afterAll, also after a failure). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
          setTimeout(resolve, 2000).unref();
        }),
    ),
  );
  running.clear();
}

/**
 * Starts `node src/main.js` on `dataDir` with PORT=0 (the system picks a free port, which main
 * prints), and waits (up to `timeoutMs`) until /health answers.
 */
export async function startServer(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<Server> {
  const entry = join(dirname(builtCli()), '..', 'main.js');
  const child = spawn(process.execPath, ['--max-semi-space-size=64', entry], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, DATA_DIR: dataDir, API_KEYS, PORT: '0', EVENT_STORE: 'sqlite', READ_STORE: 'sqlite', EVALUATION_INTERVAL_MINUTES: '0', RATE_LIMIT_PER_SECOND: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let port: string | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    port ??= /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1];
  });
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const server: Server = {
    url: '',
    child,
    output: () => output,
    exited,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the service exited during start-up:\n${output}`);
    if (port) server.url = `http://127.0.0.1:${port}`;
    try {
      if (!server.url) throw new Error('no port printed yet');
      const response = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2000) });
      await response.text();
      return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.kill9();
      throw new Error(`the service did not answer /health within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(50);
  }
}

export interface Reply {
  status: number;
  body: any;
  text: string;
}

/** One HTTP call with a timeout; a connection failure rejects. */
export async function call(base: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body, text };
}

/** Every event of a customer's stream, through the audit route (pages of 1000). */
export async function history(base: string, customerId: string): Promise<any[]> {
  const events: any[] = [];
  let from = 0;
  for (;;) {
    const reply = await call(base, 'GET', `/v1/customers/${customerId}/events?fromRevision=${from}&limit=1000`, { headers: auth('auditor') });
    if (reply.status !== 200) throw new Error(`history of ${customerId}: ${reply.status} ${reply.text}`);
    events.push(...reply.body.events);
    if (reply.body.nextRevision === undefined) return events;
    from = Number(reply.body.nextRevision);
  }
}

/** Polls `read` until `done` or the deadline (then returns the last value). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await read();
      if (done(value)) return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) return value as T;
    await sleep(everyMs);
  }
}

/** GET /v1/projections: the serving versions, then rebuilds under way, then failed rebuilds. */
export async function projections(base: string): Promise<any[]> {
  const reply = await call(base, 'GET', '/v1/projections', { headers: auth('admin') });
  if (reply.status !== 200) throw new Error(`GET /v1/projections: ${reply.status} ${reply.text}`);
  return reply.body as any[];
}

/** Whether every projection runs with no lag and no rebuild is under way. */
export const allCaughtUp = (states: any[]) => states.every((p) => p.status === 'running' && Number(p.lag) === 0);

/** Every projection's documents, by name, as `store` serves them (its active versions). */
async function dumpAll(store: import('../../src/read-store/read-model-store.port').ReadModelStore): Promise<Map<string, ReadModelDocumentLike[]>> {
  const { activeCollection } = require('../../src/projection-engine/collections') as typeof import('../../src/projection-engine/collections');
  const { PROJECTIONS } = require('../../projections') as typeof import('../../projections');
  const dumps = new Map<string, ReadModelDocumentLike[]>();
  for (const { name } of PROJECTIONS) dumps.set(name, await store.find(await activeCollection(store, name), { sort: { _id: 1 }, limit: 10_000_000 }));
  return dumps;
}
type ReadModelDocumentLike = { _id: string } & Record<string, unknown>;

/**
 * A build from nothing of every projection on `dataDir`'s event store (an engine of this process,
 * writing a fresh read store in `scratchDir`), with the service stopped. Pass the result as `clean`
 * to compare again on an unchanged history.
 */
export async function cleanBuild(dataDir: string, scratchDir: string): Promise<Map<string, ReadModelDocumentLike[]>> {
  const { loadConfig } = require('../../src/config/config') as typeof import('../../src/config/config');
  const { openEventStore } = require('../../src/open-event-store') as typeof import('../../src/open-event-store');
  const { SqliteReadModelStore } = require('../../src/read-store/sqlite/sqlite-read-model-store') as typeof import('../../src/read-store/sqlite/sqlite-read-model-store');
  const { ProjectionEngine } = require('../../src/projection-engine/projection-engine') as typeof import('../../src/projection-engine/projection-engine');
  const { PROJECTIONS } = require('../../projections') as typeof import('../../projections');
  const events = await openEventStore(loadConfig({ DATA_DIR: dataDir, API_KEYS }));
  const fresh = new SqliteReadModelStore({ filename: join(scratchDir, `clean-${Date.now()}.sqlite`), queryWorkers: 0 });
  const engine = new ProjectionEngine(events, fresh, PROJECTIONS, { batchSize: 2000, idleMs: 20, retryMs: 20, flushMs: 200, liveBatchMs: 2 });
  try {
    await engine.start();
    const head = await events.headPosition();
    for (const { name } of PROJECTIONS) if (head !== null && !(await engine.waitFor(name, head, 60_000))) throw new Error(`the clean build of ${name} did not catch up`);
    return await dumpAll(fresh);
  } finally {
    await engine.stop();
    await Promise.all([events.close(), fresh.close()]);
  }
}

/**
 * With the service stopped: each projection's active collection in `dataDir` against a clean build
 * (made here unless given), plus the versioned collections neither active nor being rebuilt (orphans).
 */
export async function compareWithCleanBuild(dataDir: string, scratchDir: string, clean?: Map<string, ReadModelDocumentLike[]>): Promise<{ differences: string[]; orphans: string[]; documents: number }> {
  const { SqliteReadModelStore } = require('../../src/read-store/sqlite/sqlite-read-model-store') as typeof import('../../src/read-store/sqlite/sqlite-read-model-store');
  const want = clean ?? (await cleanBuild(dataDir, scratchDir));
  const served = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite'), queryWorkers: 0 });
  let have: Map<string, ReadModelDocumentLike[]>;
  try {
    have = await dumpAll(served);
  } finally {
    await served.close();
  }
  const differences: string[] = [];
  let documents = 0;
  for (const [name, wanted] of want) {
    const docs = have.get(name) ?? [];
    documents += wanted.length;
    if (docs.length !== wanted.length) differences.push(`${name}: ${docs.length} documents, a clean build has ${wanted.length}`);
    const byId = new Map(wanted.map((doc) => [doc._id, JSON.stringify(doc)]));
    const differing = docs.filter((doc) => byId.get(doc._id) !== JSON.stringify(doc));
    if (differing.length > 0) differences.push(`${name}: ${differing.length} documents differ, e.g. ${JSON.stringify(differing[0])} vs ${byId.get(differing[0]._id)}`);
  }
  return { differences, orphans: await orphanCollections(dataDir), documents };
}

/** Versioned collections of `dataDir`'s read store that are neither active nor being rebuilt (read while the service runs). */
export async function orphanCollections(dataDir: string): Promise<string[]> {
  const { SqliteReadModelStore } = require('../../src/read-store/sqlite/sqlite-read-model-store') as typeof import('../../src/read-store/sqlite/sqlite-read-model-store');
  const { activeCollection, rebuildRecord, isVersionOf } = require('../../src/projection-engine/collections') as typeof import('../../src/projection-engine/collections');
  const { PROJECTIONS } = require('../../projections') as typeof import('../../projections');
  const store = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite'), queryWorkers: 0 });
  try {
    const kept = new Set<string>();
    for (const { name } of PROJECTIONS) {
      kept.add(await activeCollection(store, name));
      const record = await rebuildRecord(store, name);
      if (record?.status === 'rebuilding') kept.add(record.collection);
    }
    return (await store.listCollections()).filter((collection) => !kept.has(collection) && PROJECTIONS.some(({ name }) => isVersionOf(name, collection)));
  } finally {
    await store.close();
  }
}

/** With the service stopped: the rebuild record of `name` as the read store keeps it, and how many documents its collection holds. */
export async function rebuildOnDisk(dataDir: string, name: string): Promise<{ status: string | null; collection: string | null; documents: number; checkpoint: string | null }> {
  const { SqliteReadModelStore } = require('../../src/read-store/sqlite/sqlite-read-model-store') as typeof import('../../src/read-store/sqlite/sqlite-read-model-store');
  const { rebuildRecord } = require('../../src/projection-engine/collections') as typeof import('../../src/projection-engine/collections');
  const store = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite'), queryWorkers: 0 });
  try {
    const record = await rebuildRecord(store, name);
    if (!record) return { status: null, collection: null, documents: 0, checkpoint: null };
    return { status: record.status, collection: record.collection, documents: await store.count(record.collection), checkpoint: await store.getCheckpoint(record.collection) };
  } finally {
    await store.close();
  }
}

/** With the service stopped: the head of the log and each projection's checkpoint (of its active version). */
export async function checkpointsOnDisk(dataDir: string): Promise<{ head: string | null; checkpoints: Record<string, string | null> }> {
  const { SqliteReadModelStore } = require('../../src/read-store/sqlite/sqlite-read-model-store') as typeof import('../../src/read-store/sqlite/sqlite-read-model-store');
  const { SqliteEventStore } = require('../../src/event-store/sqlite/sqlite-event-store') as typeof import('../../src/event-store/sqlite/sqlite-event-store');
  const { activeCollection } = require('../../src/projection-engine/collections') as typeof import('../../src/projection-engine/collections');
  const { PROJECTIONS } = require('../../projections') as typeof import('../../projections');
  const events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
  const store = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite'), queryWorkers: 0 });
  try {
    const checkpoints: Record<string, string | null> = {};
    for (const { name } of PROJECTIONS) checkpoints[name] = await store.getCheckpoint(await activeCollection(store, name));
    return { head: await events.headPosition(), checkpoints };
  } finally {
    await Promise.all([events.close(), store.close()]);
  }
}

/**
 * Polls (a connection of this process, next to the service's) until some document is in one of
 * `collections` of `dataDir`'s read store, or the deadline; resolves with the count seen.
 */
export async function firstDocumentsOnDisk(dataDir: string, collections: () => Promise<string[]> | string[], timeoutMs: number): Promise<number> {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const { tableOf } = require('../../src/read-store/sqlite/query-plan') as typeof import('../../src/read-store/sqlite/query-plan');
  const deadline = Date.now() + timeoutMs;
  let db: import('better-sqlite3').Database | null = null;
  try {
    for (;;) {
      try {
        db ??= new Database(join(dataDir, 'read-models.sqlite'), { readonly: true, fileMustExist: true });
        const names = await collections();
        const count = names.reduce((sum, name) => sum + Number(db!.prepare(`SELECT count(*) FROM ${tableOf(name)} WHERE collection = ?`).pluck().get(name)), 0);
        if (count > 0) return count;
      } catch {
        // not created yet
      }
      if (Date.now() > deadline) return 0;
      await sleep(5);
    }
  } finally {
    db?.close();
  }
}
