/** `ledger verify`: every stream's hash chain, the same check as GET /v1/customers/{id}/events/verify. */
import type { Command } from 'commander';
import { verifyChain } from '../event-store/hash-chain';
import type { EventStore } from '../event-store/event-store.port';
import { ledgerEvents } from '../queries/ledger-export';
import { action, cliConfig, EXIT, perSecond, report, seconds } from './cli';
import { progress, type Progress } from './progress';
import { withEventStore } from './stores';

export interface InvalidStream {
  streamId: string;
  firstInvalidRevision: number;
  events: number;
}

export interface LedgerVerification {
  streams: number;
  events: number;
  invalid: InvalidStream[];
}

/**
 * Streams are found in the global log at their first stored event and verified one at a time from
 * the stream itself: memory holds a page of the log, one stream's page and the ids of the streams
 * seen (not their events). A stream whose first rows were deleted is found at the lowest revision
 * left, and the chain check reports it at revision 0.
 */
export async function verifyLedger(store: EventStore, bar: Progress = progress('verify')): Promise<LedgerVerification> {
  const result: LedgerVerification = { streams: 0, events: 0, invalid: [] };
  bar.start(await store.countEventsAfter(null));
  const seen = new Set<string>();
  for await (const first of ledgerEvents(store)) {
    if (seen.has(first.streamId)) continue;
    seen.add(first.streamId);
    const chain = await verifyChain(store.readStream(first.streamId));
    result.streams += 1;
    result.events += chain.events;
    bar.increment(chain.events);
    if (!chain.valid) result.invalid.push({ streamId: first.streamId, firstInvalidRevision: chain.firstInvalidRevision!, events: chain.events });
  }
  bar.stop();
  return result;
}

export function verifyCommand(program: Command): void {
  program
    .command('verify')
    .description("recompute every stream's hash chain; exit 1 naming the streams that do not verify")
    .action(
      action(async (options) => {
        const config = cliConfig(options);
        const startedAt = performance.now();
        const result = await withEventStore(config, (store) => verifyLedger(store));
        const secs = seconds(startedAt);
        const valid = result.invalid.length === 0;
        const summary = { command: 'verify', ok: valid, streams: result.streams, events: result.events, invalidStreams: result.invalid.length, invalid: result.invalid, seconds: secs, eventsPerSecond: perSecond(result.events, secs) };
        report(options, summary, [
          ...result.invalid.map((s) => `INVALID ${s.streamId} firstInvalidRevision=${s.firstInvalidRevision} (${s.events} events)`),
          `${valid ? 'ok' : 'FAILED'}: ${result.streams} streams, ${result.events} events verified in ${secs} s (${summary.eventsPerSecond} events/s); ${result.invalid.length} invalid`,
        ]);
        return valid ? EXIT.ok : EXIT.failure;
      }),
    );
}
