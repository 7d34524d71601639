/**
 * `ledger migrate --from OLD --to NEW`: an embedded data directory of the first release (personal
 * data stored in clear) rewritten into a new one whose events carry it sealed (docs/privacy.md).
 * Every event keeps its id, type, metadata and place in the global order; its data is sealed and
 * its hash chained again (the hashes cover the stored form). Checked event by event: the old chain
 * must verify, and each new event, read back through the new keys, must equal the old one.
 * Memory holds one page of the log and, per stream, its two chain heads.
 */
import type { Command } from 'commander';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedEvent } from '../event-store/event-store.port';
import { chainHash, GENESIS_HASH } from '../event-store/hash-chain';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { DecryptingEventStore } from '../privacy/decrypting-event-store';
import { loadMasterKey } from '../privacy/master-key';
import { isSealed, mayHoldPersonalData } from '../privacy/personal-data-cipher';
import { PersonalDataVault } from '../privacy/personal-data-vault';
import { Resealer } from '../privacy/resealer';
import { SqliteKeyStore } from '../privacy/sqlite-key-store';
import { canonicalJson } from '../shared/canonical-json';
import { action, CliError, EXIT, perSecond, report, seconds } from './cli';
import { progress, type Progress } from './progress';

const PAGE = 1000;

export interface Migration {
  streams: number;
  events: number;
  sealed: number;
}

export async function migrateDataDir(from: string, to: string, masterKey: string | null, bar: Progress = progress('migrate')): Promise<Migration> {
  if (!existsSync(join(from, 'events.sqlite'))) throw new CliError(`${from} holds no events.sqlite`, EXIT.failure);
  if (existsSync(to) && readdirSync(to).length > 0) throw new CliError(`${to} is not empty`, EXIT.failure);
  mkdirSync(to, { recursive: true, mode: 0o700 });
  const source = new SqliteEventStore({ filename: join(from, 'events.sqlite') });
  const target = new SqliteEventStore({ filename: join(to, 'events.sqlite') });
  const vault = await PersonalDataVault.open(new SqliteKeyStore({ filename: join(to, 'keys.sqlite') }), loadMasterKey(masterKey, to).key);
  const readBack = new DecryptingEventStore(target, vault);
  const oldHeads = new Map<string, { revision: bigint; hash: string }>();
  const resealer = new Resealer(vault);
  const migration: Migration = { streams: 0, events: 0, sealed: 0 };
  try {
    bar.start(await source.countEventsAfter(null));
    let after: string | null = null;
    let targetAfter: string | null = null;
    for (;;) {
      const page = await source.readAll({ after, maxCount: PAGE });
      if (page.length === 0) break;
      for (const event of page) checkOldChain(event);
      await appendInOrder(page);
      const written = await readBack.readAll({ after: targetAfter, maxCount: page.length });
      page.forEach((event, index) => compare(event, written[index]));
      after = page[page.length - 1].position;
      targetAfter = written[written.length - 1].position;
      migration.events += page.length;
      bar.increment(page.length);
    }
    return { ...migration, streams: resealer.streams, sealed: resealer.sealed };
  } finally {
    bar.stop();
    await Promise.all([source.close(), readBack.close()]);
  }

  /** The event continues its stream's old chain, in clear (a sealed one means FROM is of this release already). */
  function checkOldChain(event: RecordedEvent): void {
    const head = oldHeads.get(event.streamId);
    const { occurredAt, recordedAt, prevHash, hash } = event.metadata;
    if (mayHoldPersonalData(event.type) && isSealed(event.data)) throw new CliError(`${from} is already of this release: ${event.streamId}@${event.revision} is sealed`, EXIT.failure);
    if (event.revision !== (head ? head.revision + 1n : 0n) || prevHash !== (head?.hash ?? GENESIS_HASH) || chainHash(prevHash, { type: event.type, data: event.data, occurredAt, recordedAt }) !== hash)
      throw new CliError(`the old hash chain breaks at ${event.streamId}@${event.revision}: nothing migrated past it (run ledger verify on ${from})`, EXIT.failure);
    oldHeads.set(event.streamId, { revision: event.revision, hash });
  }

  /** Resealed and appended in the page's order: runs of one stream's events together, all queued at once (one group commit keeps their order). */
  async function appendInOrder(page: RecordedEvent[]): Promise<void> {
    const appends: Promise<unknown>[] = [];
    for (let start = 0; start < page.length; ) {
      let end = start + 1;
      while (end < page.length && page[end].streamId === page[start].streamId) end++;
      const first = page[start].revision;
      const run = page.slice(start, end).map(({ type, data, metadata }) => ({ type, data, metadata }));
      appends.push(target.append(page[start].streamId, await resealer.reseal(page[start].streamId, run), first === 0n ? 'no_stream' : first - 1n));
      start = end;
    }
    await Promise.all(appends);
  }

  /** The new event, read back and opened, is the old one: same place, same metadata but the hashes, same data. */
  function compare(old: RecordedEvent, written: RecordedEvent | undefined): void {
    const where = `${old.streamId}@${old.revision}`;
    if (!written || written.streamId !== old.streamId || written.revision !== old.revision || written.type !== old.type) throw new CliError(`read-back mismatch at ${where}: the new store holds another event there`, EXIT.failure);
    const { prevHash: _p, hash: _h, ...oldMeta } = old.metadata;
    const { prevHash: _q, hash: _i, ...newMeta } = written.metadata;
    if (canonicalJson(oldMeta) !== canonicalJson(newMeta) || canonicalJson(old.data) !== canonicalJson(written.data)) throw new CliError(`read-back mismatch at ${where}: the new event does not open to the old one`, EXIT.failure);
  }
}

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('rewrite an embedded data directory of the first release (personal data in clear) into a new one with personal data sealed, verified event by event')
    .requiredOption('--from <dir>', 'the old data directory (read; left as it is)')
    .requiredOption('--to <dir>', 'the new data directory (created; must be empty)')
    .action(
      action<{ from: string; to: string }>(async (options) => {
        const from = resolve(options.from);
        const to = resolve(options.to);
        if (from === to) throw new CliError('--to must not be --from');
        const startedAt = performance.now();
        const migration = await migrateDataDir(from, to, process.env.LEDGER_MASTER_KEY || null);
        if (existsSync(join(from, 'api-keys.json'))) {
          copyFileSync(join(from, 'api-keys.json'), join(to, 'api-keys.json'));
          chmodSync(join(to, 'api-keys.json'), 0o600);
        }
        const secs = seconds(startedAt);
        report(options, { command: 'migrate', ok: true, from, to, ...migration, seconds: secs, eventsPerSecond: perSecond(migration.events, secs) }, [
          `migrated ${migration.events} events of ${migration.streams} streams (${migration.sealed} sealed) from ${from} to ${to} in ${secs} s; every event verified`,
          `read models are rebuilt on the first start on ${to}; once it serves, remove ${from} (it still holds personal data in clear)`,
        ]);
        return EXIT.ok;
      }),
    );
}
