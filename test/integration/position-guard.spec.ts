/**
 * guard: 'position' — documents fed by many streams (per outlet per day) store the global position
 * they applied; a replay after a crash between the document writes and the checkpoint counts nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectionDefinition, ProjectionDocument } from '../../projections/projection';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { activeCollection } from '../../src/projection-engine/collections';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine';
import { toProjectionEvent } from '../../src/projection-engine/projection-event';
import { SqliteReadModelStore } from '../../src/read-store/sqlite/sqlite-read-model-store';
import { generateHistory } from '../support/history-generator';

const FAST = { batchSize: 250, idleMs: 20, retryMs: 20, flushMs: 50, liveBatchMs: 2 };

interface OutletDay extends ProjectionDocument {
  outletId: string;
  day: string;
  visits: number;
  purchases: number;
  amount: number;
}

/** Test-only: activity per outlet per day, fed by every customer's stream. */
const outletDaily: ProjectionDefinition<OutletDay> = {
  name: 'outlet_daily',
  version: 1,
  guard: 'position',
  handles: ['CustomerVisited', 'PurchaseRecorded'],
  documentId: (event) => `${(event.data as { outletId: string | null }).outletId ?? 'none'}:${event.data.occurredAt.slice(0, 10)}`,
  apply(current, event) {
    const outletId = (event.data as { outletId: string | null }).outletId ?? 'none';
    const day = event.data.occurredAt.slice(0, 10);
    const doc: OutletDay = current ? { ...current } : { _id: `${outletId}:${day}`, outletId, day, visits: 0, purchases: 0, amount: 0 };
    if (event.type === 'CustomerVisited') doc.visits++;
    else if (event.type === 'PurchaseRecorded') {
      doc.purchases++;
      doc.amount += event.data.amount;
    } else return current;
    return doc;
  },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-position-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('counts every event once per outlet and day, also after a crash between the document writes and the checkpoint', async () => {
  const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  for (const command of generateHistory({ customers: 30, totalEvents: 3000, seed: 11 })) await events.append(command.streamId, command.events, command.expected ?? 'no_stream');
  const readModels = new SqliteReadModelStore({ filename: join(dir, 'read.sqlite') });

  // What the log says, counted directly.
  const expected = new Map<string, { visits: number; purchases: number; amount: number }>();
  for (const recorded of await events.readAll({ after: null, maxCount: 1_000_000 })) {
    const event = toProjectionEvent(recorded);
    if (!event || !outletDaily.handles.includes(event.type)) continue;
    const id = outletDaily.documentId(event);
    const entry = expected.get(id) ?? { visits: 0, purchases: 0, amount: 0 };
    if (event.type === 'CustomerVisited') entry.visits++;
    if (event.type === 'PurchaseRecorded') {
      entry.purchases++;
      entry.amount += event.data.amount;
    }
    expected.set(id, entry);
  }
  const head = (await events.headPosition())!;
  const counted = async () => {
    const docs = await readModels.find(await activeCollection(readModels, 'outlet_daily'), { limit: 1_000_000 });
    return new Map(docs.map((doc) => [doc._id, { visits: doc.visits, purchases: doc.purchases, amount: doc.amount }]));
  };

  const engine = new ProjectionEngine(events, readModels, [outletDaily], FAST);
  await engine.start();
  expect(await engine.waitFor('outlet_daily', head, 10_000)).toBe(true);
  await engine.stop();
  expect(await counted()).toEqual(expected);
  const stored = await readModels.find(await activeCollection(readModels, 'outlet_daily'), { limit: 1 });
  expect(stored[0].position).toEqual(expect.stringMatching(/^\d+\/\d+$/));

  // The crash: every document is written, the checkpoint still points near the start.
  const collection = await activeCollection(readModels, 'outlet_daily');
  const early = (await events.readAll({ after: null, maxCount: 50 }))[49].position;
  await readModels.writeBatch(collection, [], { name: collection, position: early });
  const restarted = new ProjectionEngine(events, readModels, [outletDaily], FAST);
  await restarted.start();
  expect(await restarted.waitFor('outlet_daily', head, 10_000)).toBe(true);
  await restarted.stop();
  expect(await counted()).toEqual(expected);
  await Promise.all([events.close(), readModels.close()]);
});
