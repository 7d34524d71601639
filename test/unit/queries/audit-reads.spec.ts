import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { auditLine, auditView, exportLines } from '../../../src/queries/audit-reads';
import { collect, newEvent } from '../../support/new-events';

let dir: string;
let store: SqliteEventStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-audit-'));
  store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('NDJSON export lines', () => {
  it('copy the stored JSON text into exactly what JSON.stringify(auditView(event)) gives', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 }), fc.string(), async (data, correlationId) => {
        const streamId = `s-${n++}`;
        await store.append(streamId, [newEvent('Any', data as Record<string, unknown>, { correlationId })], 'no_stream');
        const [event] = await collect(store.readStream(streamId));
        expect(event.encoded).toBeDefined();
        const line = auditLine(event);
        expect(line).toBe(JSON.stringify(auditView(event)));
      }),
      { numRuns: 300 },
    );
  });

  it('stream a history in chunks of whole lines, one event per line', async () => {
    // About 600 KB of lines: more than two chunks of 256 KB.
    await store.append('long', Array.from({ length: 1800 }, (_, i) => newEvent('Tested', { i })), 'no_stream');
    const chunks = await collect(exportLines(store, 'long'));
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk[chunk.length - 1]).toBe(0x0a);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { revision: number; data: { i: number } });
    expect(lines.map((line) => line.revision)).toEqual(Array.from({ length: 1800 }, (_, i) => i));
    expect(lines[1799].data.i).toBe(1799);
  });
});
