/**
 * Baseline: a bare node:http server that parses the JSON body and inserts one SQLite row per
 * request (WAL, synchronous from argv), nothing else: the floor of what a durable write costs.
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [dir, synchronous] = process.argv.slice(2);
const db = new Database(join(dir, `bare-${synchronous}.sqlite`));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, data TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO events (stream_id, data) VALUES (?, ?)');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const { lastInsertRowid } = insert.run(request.url ?? '', JSON.stringify(body));
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ position: String(lastInsertRowid) }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
