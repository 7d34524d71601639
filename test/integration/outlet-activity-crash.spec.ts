/**
 * outlet_activity (guard 'position') on the real engine and SQLite read store: every document is
 * written, the process "crashes" before the checkpoint moves, the replay counts nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outletActivity, type OutletActivityDocument } from '../../projections/outlet-activity.projection';
import type { ProjectionDefinition, ProjectionDocument } from '../../projections/projection';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { activeCollection } from '../../src/projection-engine/collections';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine';
import { toProjectionEvent } from '../../src/projection-engine/projection-event';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { generateHistory } from '../support/history-generator';

const FAST = { batchSize: 250, idleMs: 20, retryMs: 20, flushMs: 50, liveBatchMs: 2 };
const COUNTERS = ['visits', 'purchases', 'netSales', 'refunds', 'newCustomers', 'complaints', 'redemptions', 'surveyCount', 'promoters', 'detractors'] as const;
const definition = outletActivity as unknown as ProjectionDefinition<ProjectionDocument>;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-outlet-activity-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('counts every event once per outlet and local day, also after a crash between the document writes and the checkpoint', async () => {
  const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  for (const command of generateHistory({ customers: 30, totalEvents: 3000, seed: 7 })) await events.append(command.streamId, command.events, command.expected ?? 'no_stream');
  const readModels = new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });

  // What the log says: the events folded once each, in order, outside the engine.
  const expected = new Map<string, Record<string, unknown>>();
  for (const recorded of await events.readAll({ after: null, maxCount: 1_000_000 })) {
    const event = toProjectionEvent(recorded);
    if (!event || !outletActivity.handles.includes(event.type)) continue;
    const id = outletActivity.documentId(event);
    const current = expected.get(id) as OutletActivityDocument | undefined;
    const next = outletActivity.apply(current, event);
    if (next) expected.set(id, next);
  }
  const counters = (doc: Record<string, unknown>) => Object.fromEntries(COUNTERS.map((field) => [field, doc[field]]));
  const want = new Map([...expected].map(([id, doc]) => [id, counters(doc)]));
  expect(want.size).toBeGreaterThan(7);
  const counted = async () => {
    const docs = await readModels.find(await activeCollection(readModels, 'outlet_activity'), { limit: 1_000_000 });
    return new Map(docs.map((doc) => [doc._id, counters(doc)]));
  };
  const head = (await events.headPosition())!;

  const engine = new ProjectionEngine(events, readModels, [definition], FAST);
  await engine.start();
  expect(await engine.waitFor('outlet_activity', head, 10_000)).toBe(true);
  await engine.stop();
  expect(await counted()).toEqual(want);

  // The crash: every document is written, the checkpoint still points near the start.
  const collection = await activeCollection(readModels, 'outlet_activity');
  const early = (await events.readAll({ after: null, maxCount: 50 }))[49].position;
  await readModels.writeBatch(collection, [], { name: collection, position: early });
  const restarted = new ProjectionEngine(events, readModels, [definition], FAST);
  await restarted.start();
  expect(await restarted.waitFor('outlet_activity', head, 10_000)).toBe(true);
  await restarted.stop();
  expect(await counted()).toEqual(want);
  await Promise.all([events.close(), readModels.close()]);
});
