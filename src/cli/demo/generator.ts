/**
 * A deterministic demo ledger: customers of the network act over two years, in time order across
 * customers; every command is decided by the domain's own `decide` on the state folded by `evolve`
 * and stamped like the command pipeline stamps (ids from the command, personal fields sealed with
 * the customer's data key when one is given, hashes chained over the stored form).
 */
import type { CustomerCommand } from '../../customer/commands';
import { decide } from '../../customer/decide';
import { DomainError } from '../../customer/errors';
import { evolve } from '../../customer/evolve';
import { DEFAULT_RULES, type Rules } from '../../customer/rules';
import { initialState } from '../../customer/state';
import { DAY_MS, toIso } from '../../customer/time';
import { customerStream, stampEvents } from '../../event-store/customer-stream';
import type { NewEvent } from '../../event-store/event-store.port';
import { GENESIS_HASH } from '../../event-store/hash-chain';
import { sealData } from '../../privacy/personal-data-cipher';
import type { Sealer } from '../../privacy/personal-data-vault';
import { DEMO_KINDS, type DemoCustomer, type DemoKind } from './kinds';
import { persona } from './network';
import { Random } from './random';

export interface DemoAppend {
  streamId: string;
  /** The stream's revision before these events; null: a new stream. */
  expected: bigint | null;
  events: NewEvent[];
  /** Business time of the command (ms), for progress. */
  at: number;
}

export interface DemoOptions {
  customers: number;
  seed: number;
  /** Last instant of the history (ms); the history spans the two years before it. */
  end: number;
  rules?: Rules;
  kinds?: readonly DemoKind[];
  /**
   * Each customer's data key (demoCustomerId): personal fields are sealed with it, as the command
   * pipeline seals them. Without keys the history is stamped in clear (tests read it as it is).
   */
  dataKeys?: ReadonlyMap<string, Uint8Array>;
}

/** The id of the demo's `index`-th customer (from 0) for a seed. */
export const demoCustomerId = (seed: number, index: number): string => `demo-${seed}-${String(index).padStart(5, '0')}`;

/** The fixed end of the demo history, or today's start if the clock is earlier (decide refuses the future). */
export function demoEnd(now = Date.now()): number {
  const fixed = Date.parse('2026-11-30T00:00:00.000Z');
  return Math.min(fixed, Math.floor(now / DAY_MS) * DAY_MS);
}

export const DEMO_SPAN_DAYS = 730;

interface Scheduled extends DemoCustomer {
  index: number;
  streamId: string;
  revision: bigint | null;
  headHash: string;
  seal: Sealer | null;
  /** Business time of the customer's next action (ms). */
  next: number;
  /** After this the customer stops shopping (churn); only the closing evaluation follows. */
  quitsAt: number;
}

/** A binary min-heap of customers by next action (ties by index, so the order is deterministic). */
class Schedule {
  private readonly heap: Scheduled[] = [];
  private before = (a: Scheduled, b: Scheduled) => a.next < b.next || (a.next === b.next && a.index < b.index);

  get size(): number {
    return this.heap.length;
  }

  push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  pop(): Scheduled {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(heap[l], heap[m])) m = l;
        if (r < heap.length && this.before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Shop hours in China (09:00–21:00, UTC+8) on the day of `ms`. */
const duringOpeningHours = (ms: number, rand: Random): number => Math.floor(ms / DAY_MS) * DAY_MS + (1 + rand.next() * 12) * 3_600_000;

export interface DemoStats {
  commands: number;
  events: number;
  /** Commands the domain refused (the generator should make none; counted, not hidden). */
  refused: Record<string, number>;
  byKind: Record<string, number>;
}

/** Yields each command's events in business-time order across customers; `stats` fills as it goes. */
export function* demoHistory({ customers, seed, end, rules = DEFAULT_RULES, kinds = DEMO_KINDS, dataKeys }: DemoOptions, stats: DemoStats): Generator<DemoAppend> {
  const rand = new Random(seed);
  const start = end - DEMO_SPAN_DAYS * DAY_MS;
  const now = new Date(end + DAY_MS);
  const schedule = new Schedule();
  for (let index = 0; index < customers; index++) {
    const customerId = demoCustomerId(seed, index);
    // More customers joined early than late; a quarter stop shopping at some point.
    const joinsAt = duringOpeningHours(start + Math.pow(rand.next(), 1.5) * (DEMO_SPAN_DAYS - 20) * DAY_MS, rand);
    const quitsAt = rand.chance(0.25) ? joinsAt + rand.next() * (end - joinsAt) : Number.POSITIVE_INFINITY;
    const sent = dataKeys?.get(customerId);
    // A Buffer sent to a worker arrives as a Uint8Array: the same bytes, viewed as a Buffer again.
    const key = sent ? Buffer.from(sent.buffer, sent.byteOffset, sent.byteLength) : null;
    const seal: Sealer | null = key ? (type, data) => sealData(type, data, key, customerId) : null;
    schedule.push({ index, streamId: customerStream(customerId), persona: persona(rand, customerId, index), state: initialState(), commands: 0, manualTierChanges: 0, referredBy: null, revision: null, headHash: GENESIS_HASH, seal, next: joinsAt, quitsAt });
  }
  /** Customers registered so far: the referrers a newcomer may name. */
  const registered: string[] = [];
  while (schedule.size > 0) {
    const customer = schedule.pop();
    const at = customer.next;
    const closing = at >= end;
    const occurredAt = toIso(closing ? end : at);
    const [kind, command] = closing ? ['evaluate', closingEvaluation(customer, occurredAt)] : nextCommand(customer, kinds, at, occurredAt, rand);
    const appended = decideAndStamp(customer, command, occurredAt, now, rules, rand, seed, stats, kind);
    if (appended) yield { ...appended, at };
    if (kind === 'register' && appended) {
      // One newcomer in eight was brought by a customer already registered (the referral-rewards process manager rewards the referrer after the first purchase).
      if (registered.length > 0 && rand.chance(0.125)) customer.referredBy = rand.pick(registered);
      registered.push(customer.persona.customerId);
    }
    if (closing) continue;
    const gap = Math.max(DAY_MS / 24, rand.exponential(customer.persona.gapDays * DAY_MS));
    let next = duringOpeningHours(at + gap, rand);
    if (next <= at) next = at + 60_000;
    customer.next = next > customer.quitsAt || next >= end ? end : next;
    schedule.push(customer);
  }
}

function closingEvaluation(customer: Scheduled, occurredAt: string): CustomerCommand {
  return { type: 'EvaluateCustomer', data: { customerId: customer.persona.customerId, occurredAt } };
}

function nextCommand(customer: Scheduled, kinds: readonly DemoKind[], at: number, occurredAt: string, rand: Random): [string, CustomerCommand] {
  const { persona } = customer;
  if (!customer.state.registered)
    return [
      'register',
      {
        type: 'RegisterCustomer',
        data: { customerId: persona.customerId, name: persona.name, email: persona.email, phone: persona.phone, address: persona.address, outletId: persona.home.outletId, preferences: { channels: persona.channels, categories: persona.categories }, occurredAt },
      },
    ];
  const kind = rand.weighted(kinds, (k) => k.weight(customer, at))!;
  return [kind.name, kind.command(customer, occurredAt, rand)];
}

function decideAndStamp(customer: Scheduled, command: CustomerCommand, occurredAt: string, now: Date, rules: Rules, rand: Random, seed: number, stats: DemoStats, kind: string): Omit<DemoAppend, 'at'> | null {
  let events;
  try {
    events = decide(command, customer.state, now, rules);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    stats.refused[`${kind}: ${error.code}`] = (stats.refused[`${kind}: ${error.code}`] ?? 0) + 1;
    return null;
  }
  customer.commands += 1;
  if (events.length === 0) return null;
  if (command.type === 'ChangeTier') customer.manualTierChanges += 1;
  // Tills sync within a couple of minutes.
  const recordedAt = toIso(Date.parse(occurredAt) + rand.int(0, 120_000));
  const stamped = stampEvents(customer.streamId, events, customer.headHash, {
    commandId: `seed-demo-${seed}-${customer.index}-${customer.commands}`,
    correlationId: `seed-demo-${seed}`,
    actor: { name: 'seed-demo', role: 'writer' },
    idempotencyKey: null,
    commandHash: null,
    recordedAt,
  }, customer.seal);
  const expected = customer.revision;
  for (const event of events) evolve(customer.state, event);
  customer.revision = (customer.revision ?? -1n) + BigInt(events.length);
  customer.headHash = stamped[stamped.length - 1].metadata.hash;
  stats.commands += 1;
  stats.events += events.length;
  stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
  return { streamId: customer.streamId, expected, events: stamped };
}
