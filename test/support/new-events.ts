/** Events for store tests: unique ids, metadata filled in, data as given. */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../../src/event-store/event-store.port';
import { GENESIS_HASH } from '../../src/event-store/hash-chain';

export function newEvent(type: string, data: Record<string, unknown> = {}, metadata: Partial<EventMetadata> = {}): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      correlationId: 'test',
      causationId: 'test',
      actor: { name: 'test', role: 'writer' },
      idempotencyKey: null,
      commandHash: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
      prevHash: GENESIS_HASH,
      hash: GENESIS_HASH,
      ...metadata,
    },
  };
}

/** `count` events of type `type`, data `{ n }` numbered from `from`. */
export const newEvents = (count: number, type = 'Tested', from = 0): NewEvent[] => Array.from({ length: count }, (_, i) => newEvent(type, { n: from + i }));

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
