/**
 * kill -9 of the real service while its projections catch up on a sizable history, and while a
 * rebuild runs. After the restart: the read models equal a clean build, the rebuild was resumed or
 * reported failed with a reason, and no orphan collection version is left once it completes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '../../projections';
import { copyHistory } from '../support/history-file';
import { allCaughtUp, auth, call, checkpointsOnDisk, cleanBuild, compareWithCleanBuild, eventually, firstDocumentsOnDisk, killAll, orphanCollections, projections, rebuildOnDisk, sleep, startServer, type Server } from './crash-support';

jest.setTimeout(120_000);

const EVENTS = 20_000;

let dataDir: string;
let scratch: string;
let server: Server | undefined;
/** The history does not change here: one clean build serves every comparison. */
let clean: Awaited<ReturnType<typeof cleanBuild>>;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-projections-'));
  scratch = mkdtempSync(join(tmpdir(), 'ledger-crash-scratch-'));
  await copyHistory(EVENTS, join(dataDir, 'events.sqlite'));
  const cleanDir = mkdtempSync(join(scratch, 'clean-'));
  await copyHistory(EVENTS, join(cleanDir, 'events.sqlite'));
  clean = await cleanBuild(cleanDir, scratch);
}, 120_000);
afterAll(async () => {
  await killAll();
  for (const dir of [dataDir, scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
});

it('kill -9 during projection catch-up: after the restart the read models equal a clean build', async () => {
  const started = Date.now();
  // Killed when the catch-up has begun writing documents (it writes them in chunks, the checkpoint with
  // the last one), a random 0–150 ms later; if it had completed by then, the read store is removed and
  // the next attempt is killed sooner.
  let onDisk: Awaited<ReturnType<typeof checkpointsOnDisk>> | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    server = await startServer(dataDir);
    const seen = await firstDocumentsOnDisk(dataDir, () => PROJECTIONS.map(({ name }) => `${name}_v1`), 60_000);
    const delay = Math.floor(Math.random() * (150 >> attempt));
    await sleep(delay);
    await server.kill9();
    onDisk = await checkpointsOnDisk(dataDir);
    const behind = Object.values(onDisk.checkpoints).filter((checkpoint) => checkpoint !== onDisk!.head).length;
    console.log(`catch-up killed ${delay} ms after ${seen} documents were on disk (attempt ${attempt + 1}): head ${onDisk.head}, ${behind} projections behind: ${JSON.stringify(onDisk.checkpoints)}`);
    if (behind > 0) break;
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `read-models.sqlite${suffix}`), { force: true });
  }
  expect(Object.values(onDisk!.checkpoints).some((checkpoint) => checkpoint !== onDisk!.head)).toBe(true);

  const restarted = Date.now();
  server = await startServer(dataDir);
  expect(allCaughtUp(await eventually(() => projections(server!.url), allCaughtUp, 90_000, 100))).toBe(true);
  console.log(`caught up ${Date.now() - restarted} ms after the restart`);
  await server.kill9();

  const { differences, orphans, documents } = await compareWithCleanBuild(dataDir, scratch, clean);
  console.log(`catch-up crash: ${documents} documents compared with a clean build, ${differences.length} projections differ, ${orphans.length} orphans; ${Date.now() - started} ms`);
  expect(differences).toEqual([]);
  expect(orphans).toEqual([]);
});

it('kill -9 during a rebuild: resumed (or failed with a reason) on restart, then equal to a clean build with no orphan version', async () => {
  const started = Date.now();
  server = await startServer(dataDir);
  expect(allCaughtUp(await eventually(() => projections(server!.url), allCaughtUp, 90_000, 100))).toBe(true);
  // purchases: one document per purchase, several chunks of writes, so a kill can land between them.
  const NAME = 'purchases';
  const before = (await projections(server.url)).find((p) => p.name === NAME).collection;
  // Killed when the rebuild has begun writing its version (its progress moves in one step at the end),
  // a random 0–150 ms later; if it completed first, another rebuild is started and killed sooner.
  const entry = (states: any[]) => states.find((p) => p.name === NAME && p.collection === target);
  let target = '';
  let onDisk: Awaited<ReturnType<typeof rebuildOnDisk>> | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const rebuild = await call(server.url, 'POST', `/v1/projections/${NAME}/rebuild`, { headers: auth('admin') });
    expect(rebuild.status).toBe(202);
    target = rebuild.body.collection as string;
    const seen = await firstDocumentsOnDisk(dataDir, () => [target], 60_000);
    await sleep(Math.floor(Math.random() * (40 >> attempt)));
    await server.kill9();
    onDisk = await rebuildOnDisk(dataDir, NAME);
    console.log(`rebuild of ${NAME} into ${target} killed after ${seen} of its documents were on disk, attempt ${attempt + 1}: on disk ${JSON.stringify(onDisk)}`);
    if (onDisk.status === 'rebuilding' && onDisk.collection === target) break;
    server = await startServer(dataDir);
    expect(allCaughtUp(await eventually(() => projections(server!.url), allCaughtUp, 60_000, 100))).toBe(true);
  }
  expect(onDisk).toMatchObject({ status: 'rebuilding', collection: target });

  server = await startServer(dataDir);
  const after = entry(await projections(server.url));
  console.log(`after the restart the rebuild is ${JSON.stringify(after)}`);
  expect(after).toBeDefined();
  if (after.status === 'failed') {
    expect(typeof after.error).toBe('string');
    expect(after.error.length).toBeGreaterThan(0);
    // Reported failed: a new rebuild completes and leaves no version behind.
    const again = await call(server.url, 'POST', `/v1/projections/${NAME}/rebuild`, { headers: auth('admin') });
    expect(again.status).toBe(202);
    target = again.body.collection;
  }
  {
    if (after.status !== 'failed') expect(['rebuilding', 'running']).toContain(after.status);
    // Resumed: it completes, becomes the version served, and the old version goes.
    const switched = (states: any[]) => allCaughtUp(states) && states.filter((p) => p.name === NAME).length === 1 && entry(states) !== undefined;
    expect(switched(await eventually(() => projections(server!.url), switched, 60_000, 100))).toBe(true);
    const left = await eventually(() => orphanCollections(dataDir), (orphans) => orphans.length === 0, 15_000, 200);
    expect(left).toEqual([]);
    expect(before).not.toBe(target);
  }
  await server.kill9();

  const { differences, orphans, documents } = await compareWithCleanBuild(dataDir, scratch, clean);
  console.log(`rebuild crash: ${documents} documents compared with a clean build, ${differences.length} projections differ, ${orphans.length} orphans; ${Date.now() - started} ms`);
  expect(differences).toEqual([]);
  expect(orphans).toEqual([]);
});
