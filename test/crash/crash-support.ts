/**
 * The real service as a child process, for the crash suite: started from the same transpiled tree
 * test/support/cli.ts makes for the CLI (src/main.js next to src/cli/main.js), killed with SIGKILL,
 * restarted on the same data directory. Plus a small HTTP client with a timeout on every call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { builtCli } from '../support/cli';
import { KEYS } from '../support/test-app';

export const API_KEYS = (Object.keys(KEYS) as (keyof typeof KEYS)[]).map((role) => `crash-${role}:${role}:${KEYS[role]}`).join(',');
export const auth = (role: keyof typeof KEYS) => ({ Authorization: `Bearer ${KEYS[role]}` });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on right now (the service prints the configured port, so it is chosen here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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

/** Starts `node src/main.js` on `dataDir` and waits (up to `timeoutMs`) until /health answers. */
export async function startServer(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<Server> {
  const entry = join(dirname(builtCli()), '..', 'main.js');
  const port = await freePort();
  const child = spawn(process.execPath, ['--max-semi-space-size=64', entry], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, DATA_DIR: dataDir, API_KEYS, PORT: String(port), EVENT_STORE: 'sqlite', READ_STORE: 'sqlite', EVALUATION_INTERVAL_MINUTES: '0', RATE_LIMIT_PER_SECOND: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: Server = {
    url,
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
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
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
