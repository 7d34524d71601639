/**
 * Projection rebuild: the engine builds every projection's read model from position 0, next to a
 * baseline doing only the unavoidable work on one thread (raw read, JSON.parse, the same folds, each
 * document written once, no indexes).
 */
import Database from 'better-sqlite3';
import { PROJECTIONS } from '../projections';
import type { CustomerDocument, ProjectionEvent } from '../projections/projection';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { sequencePosition } from '../src/event-store/position';
import { ProjectionEngine } from '../src/projection-engine/projection-engine';
import { DEFAULT_TRACK_OPTIONS } from '../src/projection-engine/projection-track';
import { SqliteReadModelStore } from '../src/read-store/sqlite/sqlite-read-model-store';

const BATCH = 2000;

export interface RebuildFigures {
  eventsPerSecond: number;
  seconds: number;
}

/** The product path: a fresh ProjectionEngine on an empty read store, until every projection reached the head. */
export async function measureEngineRebuild(eventsFile: string, readFile: string): Promise<RebuildFigures> {
  const events = new SqliteEventStore({ filename: eventsFile });
  const readModels = new SqliteReadModelStore({ filename: readFile });
  const total = (await events.countEventsAfter(null)) ?? 0;
  const head = await events.headPosition();
  const started = performance.now();
  const engine = new ProjectionEngine(events, readModels, PROJECTIONS, { ...DEFAULT_TRACK_OPTIONS, batchSize: BATCH, idleMs: 5 });
  await engine.start();
  for (const { name } of PROJECTIONS) if (head && !(await engine.waitFor(name, head, 600_000))) throw new Error(`${name} did not catch up`);
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  await Promise.all([events.close(), readModels.close()]);
  return { eventsPerSecond: total / seconds, seconds };
}

/**
 * Baseline: the floor of the work: SELECT pages of the log, parse, fold into documents held in
 * memory with the same definitions, then write every document once, in transactions of 10 000.
 */
export async function measureRawRebuild(eventsFile: string, readFile: string): Promise<RebuildFigures> {
  const source = new Database(eventsFile, { readonly: true });
  const target = new Database(readFile);
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = NORMAL');
  target.exec('CREATE TABLE IF NOT EXISTS documents (collection TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER, doc TEXT NOT NULL, UNIQUE (collection, id))');
  const page = source.prepare('SELECT seq, stream_id, revision, type, data, recorded_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  const insert = target.prepare('INSERT INTO documents (collection, id, revision, doc) VALUES (?, ?, ?, ?)');
  const docs = PROJECTIONS.map(() => new Map<string, CustomerDocument>());
  const handles = PROJECTIONS.map((p) => new Set<string>(p.handles));
  const write = target.transaction((collection: string, batch: CustomerDocument[]) => {
    for (const doc of batch) insert.run(collection, doc._id, doc.revision, JSON.stringify(doc));
  });
  let total = 0;
  let after = 0;
  const started = performance.now();
  for (;;) {
    const rows = page.all(after, BATCH) as { seq: number; stream_id: string; revision: number; type: string; data: string; recorded_at: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = { type: row.type, data: JSON.parse(row.data), streamId: row.stream_id, revision: row.revision, position: sequencePosition(row.seq), recordedAt: row.recorded_at } as ProjectionEvent;
      PROJECTIONS.forEach((projection, i) => {
        if (!handles[i].has(event.type)) return;
        const id = projection.documentId(event);
        const next = projection.apply(docs[i].get(id), event);
        if (next) docs[i].set(id, next);
        else docs[i].delete(id);
      });
    }
    total += rows.length;
    after = rows[rows.length - 1].seq;
  }
  PROJECTIONS.forEach((projection, i) => {
    const all = [...docs[i].values()];
    for (let from = 0; from < all.length; from += 10_000) write(projection.name, all.slice(from, from + 10_000));
  });
  const seconds = (performance.now() - started) / 1000;
  source.close();
  target.close();
  return { eventsPerSecond: total / seconds, seconds };
}
