import { PROJECTIONS } from '../../projections';
/** The `ledger` CLI driven as a child process on a temporary data directory seeded by its own seed-demo. */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApiKeys } from '../../src/auth/api-keys';
import { DEFAULT_REBUILD_THREADS } from '../../src/cli/rebuild';
import { builtCli, ledger } from '../support/cli';
import { copyHistory } from '../support/history-file';

jest.setTimeout(60_000);

const temp = (name: string) => mkdtempSync(join(tmpdir(), `ledger-cli-${name}-`));
const dirs: string[] = [];
const dir = (name: string) => {
  const made = temp(name);
  dirs.push(made);
  return made;
};
const ndjson = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
const seq = (position: string) => Number(position.split('/')[0]);

let dataDir: string;
let seeded: Record<string, any>;

beforeAll(async () => {
  builtCli();
  dataDir = dir('data');
  const run = await ledger(['seed-demo', '--customers', '50', '--seed', '7', '--json'], { dataDir });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  seeded = run.json();
});
afterAll(() => {
  for (const made of dirs) rmSync(made, { recursive: true, force: true });
});

describe('seed-demo', () => {
  it('fills the ledger with the domain’s events and leaves the read models caught up', () => {
    expect(seeded).toEqual(expect.objectContaining({ command: 'seed-demo', ok: true, customers: 50, seed: 7, refused: {}, commands: expect.any(Number), events: expect.any(Number), eventsPerSecond: expect.any(Number) }));
    expect(seeded.events).toBeGreaterThan(50 * 5);
    // Referral rewards, appended by the process manager seed-demo runs with the projections.
    expect(seeded.processManagerEvents).toBeGreaterThan(0);
    expect(seeded.events).toBe(seeded.seededEvents + seeded.processManagerEvents);
    const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
    const profiles = db.prepare("SELECT count(*) FROM docs_customer_profiles WHERE collection = 'customer_profiles_v1'").pluck().get();
    const checkpoints = db.prepare('SELECT position FROM checkpoints').pluck().all() as string[];
    db.close();
    expect(profiles).toBe(50);
    expect(checkpoints.map(seq)).toEqual(checkpoints.map(() => seeded.events));
  });

  it('seals personal data as the service does: no name or email of the read models lies in clear in the event store', () => {
    const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
    const people = db.prepare("SELECT json_extract(doc, '$.name') AS name, json_extract(doc, '$.email') AS email FROM docs_customer_profiles WHERE collection = 'customer_profiles_v1'").all() as { name: string; email: string | null }[];
    db.close();
    const stored = readdirSync(dataDir)
      .filter((file) => file.startsWith('events.sqlite'))
      .map((file) => readFileSync(join(dataDir, file)))
      .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0));
    const values = people.flatMap(({ name, email }) => [name, email]).filter((value): value is string => typeof value === 'string' && value.length > 3);
    expect(values.length).toBeGreaterThan(50);
    expect(values.filter((value) => stored.includes(Buffer.from(value, 'utf8')))).toEqual([]);
  });

  it('projects the same documents on this thread as on the projection thread (PROJECTIONS_THREAD=false)', async () => {
    const here = dir('projections-here');
    const run = await ledger(['seed-demo', '--customers', '50', '--seed', '7', '--json'], { dataDir: here, env: { PROJECTIONS_THREAD: 'false' } });
    expect(run.code).toBe(0);
    const documents = (directory: string) => {
      const db = new Database(join(directory, 'read-models.sqlite'), { readonly: true });
      try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'docs_*' ORDER BY name").pluck().all() as string[];
        // Data keys differ between the runs (each directory has its own), so only what projections made of the events is compared.
        return tables.map((table) => [table, db.prepare(`SELECT collection, id, revision, applied, doc FROM ${table} ORDER BY collection, id`).all()]);
      } finally {
        db.close();
      }
    };
    expect(documents(here)).toEqual(documents(dataDir));
  });

  it('refuses a ledger that holds events already (exit 1) and bad counts (exit 2)', async () => {
    const again = await ledger(['seed-demo', '--customers', '5'], { dataDir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds \d+ events/);
    expect((await ledger(['seed-demo', '--customers', '0'], { dataDir })).code).toBe(2);
  });
});

describe('verify', () => {
  it('checks every stream: exit 0 and one JSON summary', async () => {
    const run = await ledger(['verify', '--json'], { dataDir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.json()).toEqual({ command: 'verify', ok: true, streams: 50, events: seeded.events, invalidStreams: 0, invalid: [], seconds: expect.any(Number), eventsPerSecond: expect.any(Number) });
  });

  it('prints only its result when piped (no progress bar)', async () => {
    const run = await ledger(['verify'], { dataDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok: 50 streams, \d+ events verified in [\d.]+ s \(\d+ events\/s\); 0 invalid\n$/);
    expect(run.stderr).toBe('');
  });
});

describe('export', () => {
  it('writes the whole ledger as NDJSON with ascending positions, and resumes after --from-position', async () => {
    const out = join(dir('export'), 'ledger.ndjson');
    const run = await ledger(['export', '--out', out, '--json'], { dataDir });
    expect(run.code).toBe(0);
    const summary = run.json();
    const lines = ndjson(readFileSync(out, 'utf8'));
    expect(lines).toHaveLength(seeded.events);
    expect(summary).toEqual(expect.objectContaining({ command: 'export', ok: true, scope: 'ledger', events: seeded.events, lastPosition: lines[lines.length - 1].position }));
    expect(lines.every((line, i) => typeof line.position === 'string' && (i === 0 || seq(line.position) > seq(lines[i - 1].position)))).toBe(true);
    expect(new Set(lines.map((line) => line.streamId)).size).toBe(50);
    const from = lines[99].position;
    const rest = await ledger(['export', '--from-position', from], { dataDir });
    expect(rest.code).toBe(0);
    expect(rest.stderr).toBe('');
    expect(ndjson(rest.stdout)).toEqual(lines.slice(100));
    const registrations = await ledger(['export', '--types', 'CustomerRegistered,TierChanged'], { dataDir });
    expect(ndjson(registrations.stdout)).toEqual(lines.filter((line) => line.type === 'CustomerRegistered' || line.type === 'TierChanged'));
    expect((await ledger(['export', '--types', 'Nope'], { dataDir })).code).toBe(2);
  });

  it("writes one customer's history to stdout, every line with its position; an unknown customer is exit 1", async () => {
    const customerId = 'demo-7-00003';
    const run = await ledger(['export', '--customer', customerId], { dataDir });
    expect(run.code).toBe(0);
    const lines = ndjson(run.stdout);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((line) => line.revision)).toEqual(lines.map((_, i) => i));
    expect(lines.every((line, i) => i === 0 || seq(line.position) > seq(lines[i - 1].position))).toBe(true);
    expect(lines[0]).toEqual(expect.objectContaining({ type: 'CustomerRegistered', data: expect.objectContaining({ customerId }) }));
    const unknown = await ledger(['export', '--customer', 'nobody'], { dataDir });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect((await ledger(['export', '--from-position', 'yesterday'], { dataDir })).code).toBe(2);
  });
});

describe('keys', () => {
  it('creates a key whose secret is printed once and stored as a hash (mode 600), lists and revokes it', async () => {
    const keysDir = dir('keys');
    const created = await ledger(['keys', 'create', '--name', 'ops-1', '--role', 'auditor', '--json'], { dataDir: keysDir });
    expect(created.code).toBe(0);
    const { secret } = created.json();
    expect(created.json()).toEqual({ command: 'keys create', ok: true, name: 'ops-1', role: 'auditor', secret: expect.stringMatching(/^cl_auditor_/) });
    const file = join(keysDir, 'api-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
    // The service reads the file the CLI wrote.
    expect(loadApiKeys(null, keysDir).keys.authenticate(secret)).toEqual({ name: 'ops-1', role: 'auditor' });
    expect((await ledger(['keys', 'create', '--name', 'ops-1', '--role', 'admin'], { dataDir: keysDir })).code).toBe(1);
    expect((await ledger(['keys', 'create', '--name', 'ops-2', '--role', 'root'], { dataDir: keysDir })).code).toBe(2);
    const listed = await ledger(['keys', 'list', '--json'], { dataDir: keysDir });
    expect(listed.json().keys).toEqual([{ name: 'ops-1', role: 'auditor', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) }]);
    const revoked = await ledger(['keys', 'revoke', '--name', 'ops-1'], { dataDir: keysDir });
    expect(revoked.code).toBe(0);
    expect(loadApiKeys(null, keysDir).keys.authenticate(secret)).toBeNull();
    expect((await ledger(['keys', 'revoke', '--name', 'ops-1'], { dataDir: keysDir })).code).toBe(1);
  });
});

describe('backup and restore', () => {
  it('round-trips the stores and keys; restore refuses a non-empty data directory without --force; a tampered row fails verify', async () => {
    writeFileSync(join(dataDir, 'api-keys.json'), '[]\n', { mode: 0o600 });
    const backupDir = join(dir('backup'), 'b1');
    const backup = await ledger(['backup', '--out', backupDir, '--json'], { dataDir });
    expect(backup.code).toBe(0);
    expect(backup.json()).toEqual(expect.objectContaining({ command: 'backup', ok: true, events: seeded.events, files: ['events.sqlite', 'read-models.sqlite', 'keys.sqlite', 'api-keys.json', 'master.key'] }));
    expect(statSync(join(backupDir, 'master.key')).mode & 0o777).toBe(0o600);
    const target = dir('restored');
    const restored = await ledger(['restore', '--from', backupDir, '--json'], { dataDir: target });
    expect(restored.code).toBe(0);
    expect(restored.json()).toEqual(expect.objectContaining({ command: 'restore', ok: true, events: seeded.events }));
    expect(statSync(join(target, 'api-keys.json')).mode & 0o777).toBe(0o600);
    expect((await ledger(['verify', '--json'], { dataDir: target })).json()).toEqual(expect.objectContaining({ ok: true, streams: 50, events: seeded.events }));
    const refused = await ledger(['restore', '--from', backupDir], { dataDir: target });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not empty.*--force/);

    // Tamper with one stored payload in the restored copy: verify names the stream and revision.
    const db = new Database(join(target, 'events.sqlite'));
    const row = db.prepare("SELECT seq, stream_id, revision FROM events WHERE type = 'PurchaseRecorded' ORDER BY seq LIMIT 1").get() as { seq: number; stream_id: string; revision: number };
    db.prepare("UPDATE events SET data = json_set(data, '$.amount', 1) WHERE seq = ?").run(row.seq);
    // And delete another stream's first event: the stream is still found, invalid from revision 0.
    const headless = db.prepare('SELECT seq, stream_id FROM events e WHERE revision = 0 AND stream_id <> ? AND EXISTS (SELECT 1 FROM events f WHERE f.stream_id = e.stream_id AND f.revision = 2) ORDER BY seq LIMIT 1').get(row.stream_id) as { seq: number; stream_id: string };
    db.prepare('DELETE FROM events WHERE seq = ?').run(headless.seq);
    db.close();
    const tampered = await ledger(['verify', '--json'], { dataDir: target });
    expect(tampered.code).toBe(1);
    const invalid = (tampered.json().invalid as { streamId: string }[]).sort((a, b) => (a.streamId === row.stream_id ? -1 : b.streamId === row.stream_id ? 1 : 0));
    expect(tampered.json()).toEqual(expect.objectContaining({ ok: false, invalidStreams: 2, streams: 50 }));
    expect(invalid).toEqual([
      { streamId: row.stream_id, firstInvalidRevision: row.revision, events: expect.any(Number) },
      { streamId: headless.stream_id, firstInvalidRevision: 0, events: expect.any(Number) },
    ]);
    const human = await ledger(['verify'], { dataDir: target });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`INVALID ${row.stream_id} firstInvalidRevision=${row.revision}`);

    const forced = await ledger(['restore', '--from', backupDir, '--force'], { dataDir: target });
    expect(forced.code).toBe(0);
    expect((await ledger(['verify'], { dataDir: target })).code).toBe(0);
  });
});

describe('rebuild and evaluate', () => {
  /** Every document of a collection version, by id. */
  const documents = (db: Database.Database, name: string, version: number) =>
    Object.fromEntries((db.prepare(`SELECT id, doc FROM docs_${name} WHERE collection = ? ORDER BY id`).raw().all(`${name}_v${version}`) as [string, string][]).map(([id, doc]) => [id, JSON.parse(doc)]));

  it('rebuilds every projection into a new collection version from position 0, shared out over two threads, to the documents the live projections wrote', async () => {
    const run = await ledger(['rebuild', '--threads', '2', '--json'], { dataDir });
    expect(run.code).toBe(0);
    expect(run.json()).toEqual(expect.objectContaining({ command: 'rebuild', ok: true, threads: 2, events: seeded.events, eventsPerSecond: expect.any(Number) }));
    expect(run.json().projections).toEqual(PROJECTIONS.map(({ name }) => ({ name, collection: `${name}_v2` })));
    const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM docs_customer_profiles WHERE collection = 'customer_profiles_v2'").pluck().get()).toBe(50);
    // Readers switched to v2; v1 is retired (dropped after the grace period, when no process can still read it).
    expect(db.prepare("SELECT value FROM settings WHERE key = 'active-collection:customer_profiles'").pluck().get()).toBe('customer_profiles_v2');
    for (const { name } of PROJECTIONS) expect([name, documents(db, name, 2)]).toEqual([name, documents(db, name, 1)]);
    db.close();
    expect((await ledger(['rebuild', 'no_such_projection'], { dataDir })).code).toBe(2);
    const zero = await ledger(['rebuild', '--threads', '0'], { dataDir });
    expect([zero.code, zero.stderr]).toEqual([2, expect.stringMatching(/--threads must be an integer from 1 to 8/)]);
  });

  it('rebuilds on this thread alone by default, and a chosen projection alone', async () => {
    const one = await ledger(['rebuild', '--json'], { dataDir });
    expect(DEFAULT_REBUILD_THREADS).toBe(1);
    expect(one.json()).toEqual(expect.objectContaining({ ok: true, threads: 1, projections: PROJECTIONS.map(({ name }) => ({ name, collection: `${name}_v3` })) }));
    const chosen = await ledger(['rebuild', 'complaints', '--json'], { dataDir });
    expect(chosen.json()).toEqual(expect.objectContaining({ ok: true, threads: 1, projections: [{ name: 'complaints', collection: 'complaints_v4' }] }));
    const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
    expect(documents(db, 'complaints', 4)).toEqual(documents(db, 'complaints', 3));
    expect(documents(db, 'due_dates', 3)).toEqual(documents(db, 'due_dates', 2));
    db.close();
  });

  it('evaluates every customer through the command pipeline; a second run at the same instant changes nothing', async () => {
    const asOf = new Date().toISOString();
    const first = await ledger(['evaluate', '--as-of', asOf, '--json'], { dataDir });
    expect(first.code).toBe(0);
    expect(first.json()).toEqual(expect.objectContaining({ command: 'evaluate', ok: true, asOf, customers: 50, failed: [] }));
    const second = (await ledger(['evaluate', '--as-of', asOf, '--json'], { dataDir })).json();
    expect(second).toEqual(expect.objectContaining({ customers: 50, changed: 0, appended: 0 }));
    expect((await ledger(['verify'], { dataDir })).code).toBe(0);
    expect((await ledger(['evaluate', '--as-of', 'soon'], { dataDir })).code).toBe(2);
    expect((await ledger(['evaluate', '--as-of', '2999-01-01T00:00:00Z'], { dataDir })).code).toBe(2);
  });
});

describe('usage and configuration', () => {
  it('is exit 2 for an unknown command or a bad configuration', async () => {
    expect((await ledger(['frobnicate'], { dataDir })).code).toBe(2);
    const config = await ledger(['verify'], { dataDir, env: { EVENT_STORE: 'oracle' } });
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/EVENT_STORE must be one of sqlite, eventstoredb/);
  });

  it('runs without a build through ts-node (npm run ledger), its seed-demo worker too', async () => {
    const run = await ledger(['seed-demo', '--customers', '3', '--json'], { dataDir: dir('ts-node'), entry: ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts'] });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json()).toEqual(expect.objectContaining({ command: 'seed-demo', ok: true, customers: 3, refused: {} }));
  });
});

describe('migrate', () => {
  /** Whether any file of the event store in `dir` holds `text` as it is. */
  const inClear = (dir: string, text: string) => readdirSync(dir).filter((name) => name.startsWith('events.sqlite')).some((name) => readFileSync(join(dir, name)).includes(Buffer.from(text)));

  it('rewrites a first-release data directory (personal data in clear) into one with it sealed, verified event by event', async () => {
    const old = dir('first-release');
    await copyHistory(2000, join(old, 'events.sqlite'));
    writeFileSync(join(old, 'api-keys.json'), '[]\n', { mode: 0o600 });
    const exportedBefore = ndjson((await ledger(['export'], { dataDir: old })).stdout);
    const registered = exportedBefore.find((line) => line.type === 'CustomerRegistered');
    const name = registered.data.name as string;
    expect(inClear(old, name)).toBe(true);

    const target = join(dir('migrated'), 'data');
    const run = await ledger(['migrate', '--from', old, '--to', target, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json()).toEqual(expect.objectContaining({ command: 'migrate', ok: true, events: 2000, streams: expect.any(Number), sealed: expect.any(Number) }));
    expect(run.json().sealed).toBeGreaterThanOrEqual(run.json().streams);
    expect(inClear(target, name)).toBe(false);
    expect(inClear(target, registered.data.email)).toBe(false);
    expect(statSync(join(target, 'master.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(target, 'api-keys.json'), 'utf8')).toBe('[]\n');

    expect((await ledger(['verify', '--json'], { dataDir: target })).json()).toEqual(expect.objectContaining({ ok: true, events: 2000 }));
    // The same ledger, event by event, as this release reads it: same data, ids, metadata but the hashes, and order.
    const exportedAfter = ndjson((await ledger(['export'], { dataDir: target })).stdout);
    const strip = (line: Record<string, any>) => ({ streamId: line.streamId, revision: line.revision, type: line.type, data: line.data, metadata: { ...line.metadata, prevHash: undefined, hash: undefined } });
    expect(exportedAfter.map(strip)).toEqual(exportedBefore.map(strip));

    const again = await ledger(['migrate', '--from', old, '--to', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);
    const sealed = await ledger(['migrate', '--from', target, '--to', join(dir('twice'), 'data')]);
    expect(sealed.code).toBe(1);
    expect(sealed.stderr).toMatch(/already of this release/);
  });

  it('refuses a directory whose old hash chain is broken, naming where', async () => {
    const old = dir('tampered-release');
    await copyHistory(2000, join(old, 'events.sqlite'));
    const db = new Database(join(old, 'events.sqlite'));
    const row = db.prepare("SELECT seq, stream_id, revision FROM events WHERE type = 'PurchaseRecorded' ORDER BY seq LIMIT 1").get() as { seq: number; stream_id: string; revision: number };
    db.prepare("UPDATE events SET data = json_set(data, '$.amount', 1) WHERE seq = ?").run(row.seq);
    db.close();
    const run = await ledger(['migrate', '--from', old, '--to', join(dir('tampered-target'), 'data')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the old hash chain breaks at ${row.stream_id}@${row.revision}`);
  });
});
