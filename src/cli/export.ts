/** `ledger export`: one customer's history, or the whole ledger after a position, as NDJSON (the lines of the HTTP exports). */
import type { Command } from 'commander';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { customerStream } from '../event-store/customer-stream';
import type { EventStore } from '../event-store/event-store.port';
import { parsePosition } from '../event-store/position';
import { CUSTOMER_EVENT_TYPES } from '../customer/evolve';
import { exportLines } from '../queries/audit-reads';
import { ledgerExportChunks } from '../queries/ledger-export';
import { action, CliError, cliConfig, EXIT, perSecond, report, seconds, warn } from './cli';
import { progress } from './progress';
import { withEventStore } from './stores';

interface ExportOptions {
  customer?: string;
  fromPosition?: string;
  types?: string;
  out?: string;
}

function parseTypes(text: string | undefined): string[] | null {
  if (text === undefined || text === '') return null;
  const types = text.split(',').map((type) => type.trim());
  const unknown = types.filter((type) => !(CUSTOMER_EVENT_TYPES as string[]).includes(type));
  if (unknown.length > 0) throw new CliError(`--types: unknown event type ${unknown.join(', ')} (known: ${CUSTOMER_EVENT_TYPES.join(', ')})`);
  return types;
}

/** What both exports take: a callback for each chunk's lines and the position of its last line. */
type ExportChunks = (onLines: (lines: number, lastPosition: string | null) => void) => AsyncIterable<Buffer>;

/** Writes the chunks to `out`, waiting when it is full (memory holds a chunk, not the export), and tallies them; `onLines` also hears each chunk (progress). */
async function writeChunks(chunks: ExportChunks, out: NodeJS.WritableStream, onLines?: (lines: number) => void): Promise<{ lines: number; lastPosition: string | null }> {
  let lines = 0;
  let lastPosition: string | null = null;
  const written = chunks((n, last) => {
    lines += n;
    lastPosition = last;
    onLines?.(n);
  });
  for await (const chunk of written) if (!out.write(chunk)) await once(out, 'drain');
  return { lines, lastPosition };
}

async function exportTo(store: EventStore, options: ExportOptions, out: NodeJS.WritableStream): Promise<{ lines: number; lastPosition: string | null }> {
  if (options.customer !== undefined) {
    const exported = await writeChunks((onLines) => exportLines(store, customerStream(options.customer as string), onLines), out);
    if (exported.lines === 0) throw new CliError(`customer ${options.customer} has no history`, EXIT.failure);
    return exported;
  }
  const fromPosition = options.fromPosition ?? null;
  const types = parseTypes(options.types);
  const bar = progress('export');
  bar.start(types === null ? await store.countEventsAfter(fromPosition) : null);
  const exported = await writeChunks((onLines) => ledgerExportChunks(store, { fromPosition, types }, onLines), out, (n) => bar.increment(n));
  bar.stop();
  return exported;
}

export function exportCommand(program: Command): void {
  program
    .command('export')
    .description('NDJSON, one event per line with its position: one customer (--customer) or the whole ledger after --from-position')
    .option('--customer <id>', "one customer's history (in stream order)")
    .option('--from-position <position>', 'whole ledger: events strictly after this position (the last line of an earlier export)')
    .option('--types <types>', 'whole ledger: only these event types, comma-separated')
    .option('--out <file>', 'write to this file (default: stdout)')
    .action(
      action<ExportOptions>(async (options) => {
        if (options.customer !== undefined && (options.fromPosition !== undefined || options.types !== undefined)) throw new CliError('--customer exports one whole history: not with --from-position or --types');
        if (options.fromPosition !== undefined && !parsePosition(options.fromPosition)) throw new CliError(`--from-position must be a position such as 1200/1200 (got "${options.fromPosition}")`);
        parseTypes(options.types);
        const config = cliConfig(options);
        const startedAt = performance.now();
        const out = options.out ? createWriteStream(options.out) : process.stdout;
        const result = await withEventStore(config, (store) => exportTo(store, options, out));
        if (out !== process.stdout) {
          out.end();
          await once(out, 'finish');
        }
        const secs = seconds(startedAt);
        const summary = { command: 'export', ok: true, scope: options.customer !== undefined ? 'customer' : 'ledger', ...(options.customer !== undefined ? { customerId: options.customer } : { fromPosition: options.fromPosition ?? null }), events: result.lines, lastPosition: result.lastPosition, out: options.out ?? null, seconds: secs, eventsPerSecond: perSecond(result.lines, secs) };
        const human = [`exported ${result.lines} events to ${options.out ?? 'stdout'} in ${secs} s (${summary.eventsPerSecond} events/s); last position ${result.lastPosition ?? 'none'}`];
        // The lines went to stdout: the summary goes to stderr, as JSON when asked, for people when one watches.
        if (!options.out) {
          if (options.json) report(options, summary, human, process.stderr);
          else if (process.stderr.isTTY) warn(human[0]);
        } else report(options, summary, human);
        return EXIT.ok;
      }),
    );
}
