import { hash } from 'node:crypto';

/** Namespace of customer-ledger's name-based event ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1c9a52d0b84c3f9e2a7b5d4c3e2f10', 'hex');

/**
 * UUIDv5 (RFC 9562) of `name`: the same command gets the same event ids, so a retried append
 * is recognised as the same write (EventStoreDB deduplicates it by id; both stores refuse it by
 * its expected revision).
 */
export function nameBasedEventId(name: string): string {
  const bytes = hash('sha1', Buffer.concat([NAMESPACE, Buffer.from(name, 'utf8')]), 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Event id of the `index`-th event a command appends to a stream. */
export const commandEventId = (streamId: string, commandId: string, index: number): string =>
  nameBasedEventId(`${streamId}\u0000${commandId}\u0000${index}`);
