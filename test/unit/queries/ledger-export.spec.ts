/**
 * The whole-ledger export's chunks: the same bytes whether the store builds the lines (the embedded
 * store's readAllLines) or the export writes them from readAll's events, chunks that end at lines,
 * and lines longer than a chunk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, ReadAllOptions } from '../../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { ledgerExportChunks, type LedgerExportOptions } from '../../../src/queries/ledger-export';
import { newEvent } from '../../support/new-events';

let dir: string;
let store: SqliteEventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
  store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store as an adapter without readAllLines (EventStoreDB) is seen by the export. */
const readAllOnly = (inner: EventStore): EventStore => ({ readAll: (options: ReadAllOptions) => inner.readAll(options) }) as unknown as EventStore;

async function exported(from: EventStore, options: LedgerExportOptions = {}) {
  const chunks: Buffer[] = [];
  const heard: Array<{ lines: number; lastPosition: string | null }> = [];
  for await (const chunk of ledgerExportChunks(from, options, (lines, lastPosition) => heard.push({ lines, lastPosition }))) chunks.push(chunk);
  return { chunks, text: Buffer.concat(chunks).toString('utf8'), heard };
}

/** 2,500 events over three streams (more than two pages of the log), with text of every kind. */
async function appendHistory() {
  for (let round = 0; round < 25; round++) {
    for (const streamId of ['a', 'b', 'c']) {
      const events = Array.from({ length: streamId === 'a' ? 34 : 33 }, (_, n) => newEvent(n % 3 === 0 ? 'Odd' : 'Even', { n, text: n % 5 === 0 ? `王芳 "q" \\ ${n} 😀` : `plain ${n}` }));
      await store.append(streamId, events, round === 0 ? 'no_stream' : BigInt(round * events.length - 1));
    }
  }
}

it('writes the same bytes from the store\'s lines as from its events: all, after a position, of some types', async () => {
  await appendHistory();
  for (const options of [{}, { fromPosition: '1234/1234' }, { types: ['Odd'] }, { fromPosition: '999/999', types: ['Even', 'Nothing'] }]) {
    const fast = await exported(store, options);
    const slow = await exported(readAllOnly(store), options);
    expect(fast.text).toBe(slow.text);
    expect(fast.text.length).toBeGreaterThan(0);
  }
  const { text } = await exported(store);
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(2500);
  expect(lines.map((line) => JSON.parse(line).position)).toEqual(Array.from({ length: 2500 }, (_, i) => `${i + 1}/${i + 1}`));
});

it('ends every chunk at a line, tells each chunk\'s lines, and ends with the last line\'s position', async () => {
  await appendHistory();
  const { chunks, heard, text } = await exported(store, { types: ['Odd'] });
  expect(chunks.length).toBeGreaterThan(1);
  for (const chunk of chunks) expect(chunk[chunk.length - 1]).toBe(0x0a);
  expect(heard.map((h) => h.lines)).toEqual(chunks.map((chunk) => chunk.toString('utf8').split('\n').length - 1));
  const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line));
  expect(heard[heard.length - 1].lastPosition).toBe(lines[lines.length - 1].position);
  expect(lines.every((line) => line.type === 'Odd')).toBe(true);
});

it('writes a line longer than a chunk whole, in its own chunk, between the others', async () => {
  const long = '长'.repeat(200_000); // 600 KB of UTF-8, more than a chunk
  await store.append('s', [newEvent('Short', { n: 0 }), newEvent('Long', { long }), newEvent('Short', { n: 2 })], 'no_stream');
  for (const from of [store, readAllOnly(store)]) {
    const { chunks, text } = await exported(from);
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual(['Short', 'Long', 'Short']);
    expect(lines[1].data.long).toBe(long);
    expect(chunks.map((chunk) => chunk.toString('utf8').split('\n').length - 1)).toEqual([1, 1, 1]);
  }
});

it('exports nothing from an empty log, or after its end', async () => {
  expect((await exported(store)).chunks).toEqual([]);
  await store.append('s', [newEvent('Only')], 'no_stream');
  expect((await exported(store, { fromPosition: '1/1' })).chunks).toEqual([]);
});
