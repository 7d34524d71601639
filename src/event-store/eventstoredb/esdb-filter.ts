/**
 * Which events of `$all` are the ledger's: everything but EventStoreDB's own (system streams `$…`,
 * metadata streams `$$…`, and system event types `$…` such as `$metadata`, `$>` links, `$streamDeleted`).
 */
import { excludeSystemEvents, type Filter } from '@eventstore/db-client';

/**
 * Server-side filter for `subscribeToAll`: leaves out system event types (`^[^$]`).
 * (The 6.x client's `readAll` takes no filter: the projection source is a catch-up subscription,
 * see catch-up-page.ts; headPosition reads backwards with `isLedgerEvent`.)
 */
export function ledgerEventFilter(): Filter {
  return excludeSystemEvents();
}

/** Client-side twin of the filter, stricter: neither a `$` stream nor a `$` event type. */
export function isLedgerEvent(record: { streamId: string; type: string }): boolean {
  return !record.streamId.startsWith('$') && !record.type.startsWith('$');
}
