import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import { commandEventId } from '../../../src/event-store/event-id';
import type { EventMetadata, NewEvent } from '../../../src/event-store/event-store.port';

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    eventId: commandEventId('customer-c1', 'cmd-1', 0),
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    actor: { name: 'pos-1', role: 'writer' },
    idempotencyKey: 'key-1',
    commandHash: 'a'.repeat(64),
    occurredAt: '2025-01-02T03:04:05.000Z',
    recordedAt: '2025-01-02T03:04:06.000Z',
    schemaVersion: 1,
    prevHash: '0'.repeat(64),
    hash: 'b'.repeat(64),
    ...overrides,
  };
}

export function newEvent(index = 0, overrides: Partial<EventMetadata> = {}): NewEvent {
  return {
    type: 'CustomerVisited',
    data: { customerId: 'c1', outletId: 'o1', occurredAt: '2025-01-02T03:04:05.000Z', index },
    metadata: metadata({ eventId: commandEventId('customer-c1', 'cmd-1', index), ...overrides }),
  };
}

interface RecordSpec {
  streamId?: string;
  revision?: bigint;
  type?: string;
  position?: Position;
  data?: Record<string, unknown>;
  metadata?: EventMetadata | Record<string, unknown> | Uint8Array;
}

/** A resolved event as the client yields from readStream / readAll (JSON, links not resolved). */
export function resolvedEvent(spec: RecordSpec = {}): ResolvedEvent & AllStreamResolvedEvent {
  const position = spec.position ?? { commit: 100n, prepare: 100n };
  const meta = spec.metadata instanceof Uint8Array ? spec.metadata : { ...(spec.metadata ?? metadata()) };
  return {
    event: {
      streamId: spec.streamId ?? 'customer-c1',
      id: commandEventId('customer-c1', 'cmd-1', 0),
      isJson: true,
      revision: spec.revision ?? 0n,
      type: spec.type ?? 'CustomerVisited',
      created: new Date(0),
      data: spec.data ?? { customerId: 'c1' },
      metadata: meta,
      position,
    },
    commitPosition: position.commit,
  };
}
