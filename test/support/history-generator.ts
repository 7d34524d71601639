/**
 * Realistic customer histories, made by the domain itself (decide + evolve), for engine tests and
 * benchmarks: registrations, visits, complaints and purchases over two years, interleaved across customers.
 */
import type { CustomerCommand } from '../../src/customer/commands';
import { decide } from '../../src/customer/decide';
import { evolve } from '../../src/customer/evolve';
import { initialState, type CustomerState } from '../../src/customer/state';
import { customerStream, stampEvents } from '../../src/event-store/customer-stream';
import type { NewEvent } from '../../src/event-store/event-store.port';
import { GENESIS_HASH } from '../../src/event-store/hash-chain';

export interface GeneratedCommand {
  streamId: string;
  /** Revision the stream is at before these events (null: new stream). */
  expected: bigint | null;
  events: NewEvent[];
}

/** Small deterministic PRNG (mulberry32), so a seed always gives the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Customer {
  id: string;
  state: CustomerState;
  revision: bigint | null;
  headHash: string;
  clock: number;
  commands: number;
}

const START = Date.parse('2024-01-01T00:00:00.000Z');
const NOW = new Date('2030-01-01T00:00:00.000Z');

/** Yields commands' events until at least `totalEvents` events were produced. */
export function* generateHistory({ customers, totalEvents, seed = 1, prefix = 'gen' }: { customers: number; totalEvents: number; seed?: number; prefix?: string }): Generator<GeneratedCommand> {
  const rand = random(seed);
  const pool: Customer[] = Array.from({ length: customers }, (_, i) => ({ id: `${prefix}-${i}`, state: initialState(), revision: null, headHash: GENESIS_HASH, clock: START + Math.floor(rand() * 30) * 86_400_000, commands: 0 }));
  let produced = 0;
  while (produced < totalEvents) {
    const customer = pool[Math.floor(rand() * pool.length)];
    customer.clock += Math.floor(rand() * 20 * 86_400_000);
    const occurredAt = new Date(customer.clock).toISOString();
    const command = nextCommand(customer, occurredAt, rand);
    const events = decide(command, customer.state, NOW);
    if (events.length === 0) continue;
    const streamId = customerStream(customer.id);
    const stamped = stampEvents(streamId, events, customer.headHash, {
      commandId: `${customer.id}-${customer.commands++}`,
      correlationId: 'generated',
      actor: { name: 'generator', role: 'writer' },
      idempotencyKey: null,
      commandHash: null,
      recordedAt: occurredAt,
    });
    yield { streamId, expected: customer.revision, events: stamped };
    for (const event of events) evolve(customer.state, event);
    customer.revision = (customer.revision ?? -1n) + BigInt(events.length);
    customer.headHash = stamped[stamped.length - 1].metadata.hash;
    produced += events.length;
  }
}

function nextCommand(customer: Customer, occurredAt: string, rand: () => number): CustomerCommand {
  const customerId = customer.id;
  if (!customer.state.registered)
    return { type: 'RegisterCustomer', data: { customerId, name: `Customer ${customerId}`, email: `${customerId}@example.com`, phone: null, address: null, outletId: `outlet-${customer.id.length % 7}`, preferences: { channels: ['email'], categories: [] }, occurredAt } };
  const roll = rand();
  const n = customer.commands;
  if (roll < 0.5) return { type: 'RecordPurchase', data: { customerId, purchaseId: `p${n}`, amount: 500 + Math.floor(rand() * 80_000), currency: 'CNY', exchangeRate: null, outletId: `outlet-${n % 7}`, items: [], occurredAt } };
  if (roll < 0.8) return { type: 'RecordVisit', data: { customerId, visitId: `v${n}`, outletId: `outlet-${n % 7}`, channel: 'store', purpose: null, occurredAt } };
  const open = Object.values(customer.state.care.complaints).find((complaint) => complaint.status === 'open');
  if (open && roll < 0.9) return { type: 'ResolveComplaint', data: { customerId, complaintId: open.complaintId, resolution: 'resolved', satisfaction: 1 + Math.floor(rand() * 5), occurredAt } };
  if (roll < 0.9) return { type: 'FileComplaint', data: { customerId, complaintId: `k${n}`, channel: 'phone', category: 'service', severity: 'normal', description: 'waited too long', outletId: `outlet-${n % 7}`, occurredAt } };
  return { type: 'EvaluateCustomer', data: { customerId, occurredAt } };
}
