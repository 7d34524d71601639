/**
 * What demo customers do, one entry per kind of command: how likely it is for this customer now,
 * and the command. A new command of the domain becomes one more entry of DEMO_KINDS.
 */
import type { CustomerCommand } from '../../customer/commands';
import type { CustomerState } from '../../customer/state';
import { DAY_MS, toMs } from '../../customer/time';
import { ONLINE, OUTLETS, type Persona } from './network';
import type { Random } from './random';

/** A demo customer as the generator keeps it: who they are, and their state folded by the domain's evolve. */
export interface DemoCustomer {
  persona: Persona;
  state: CustomerState;
  /** Commands decided so far (ids of visits, purchases, complaints derive from it). */
  commands: number;
  /** Manual tier changes so far. */
  manualTierChanges: number;
}

export interface DemoKind {
  name: string;
  /** Relative likelihood for this customer at `at` (ms); 0: not now. */
  weight(customer: DemoCustomer, at: number): number;
  command(customer: DemoCustomer, occurredAt: string, rand: Random): CustomerCommand;
}

/** Exchange rates (CNY per unit) drift a little around these. */
const FOREIGN = [
  { currency: 'JPY', rate: 0.0482, minorPerUnit: 1, roundTo: 10 },
  { currency: 'USD', rate: 7.18, minorPerUnit: 100, roundTo: 1 },
] as const;

const VISIT_CHANNELS = [['store', 55], ['app', 15], ['wechat', 15], ['online', 10], ['phone', 5]] as const;
const COMPLAINTS = [
  { category: 'product', description: '收到的商品有破损', channel: 'wechat' },
  { category: 'delivery', description: '快递比承诺晚了三天', channel: 'app' },
  { category: 'service', description: 'waited over 30 minutes at the counter', channel: 'store' },
  { category: 'billing', description: '会员积分没有到账', channel: 'phone' },
  { category: 'staff', description: 'staff was unfriendly when I asked for a refund', channel: 'email' },
] as const;
const RESOLUTIONS = ['已补发新品并致歉', 'refund issued to the original card', '积分已补录', 'voucher of 50 CNY sent', '门店经理已回访'];

const openComplaint = (state: CustomerState, before: number) =>
  Object.values(state.care.complaints).find((complaint) => complaint.status === 'open' && toMs(complaint.filedAt) <= before);

/** Line items adding up to `amount` exactly (1–3 lines). */
function lineItems(rand: Random, persona: Persona, amount: number) {
  const lines = amount >= 300 ? rand.int(1, 3) : 1;
  const items = [];
  let left = amount;
  for (let i = 0; i < lines; i++) {
    const share = i === lines - 1 ? left : Math.max(1, Math.round(left * (0.3 + rand.next() * 0.4)));
    left -= share;
    items.push({ sku: `${rand.pick(persona.categories).slice(0, 3).toUpperCase()}-${rand.digits(4)}`, quantity: rand.int(1, 3), amount: share });
  }
  return items;
}

export const DEMO_KINDS: readonly DemoKind[] = [
  {
    name: 'visit',
    weight: () => 30,
    command({ persona, state, commands }, occurredAt, rand) {
      const channel = rand.weighted(VISIT_CHANNELS, ([, w]) => w)![0];
      const outletId = channel === 'store' ? (rand.chance(0.8) && persona.home !== ONLINE ? persona.home : rand.pick(OUTLETS)).outletId : ONLINE.outletId;
      const purpose = rand.weighted(['browse', 'service', null] as const, (p) => (p === 'browse' ? 5 : p === 'service' ? 2 : 3)) ?? null;
      return { type: 'RecordVisit', data: { customerId: state.customerId!, visitId: `v${commands}`, outletId, channel, purpose, occurredAt } };
    },
  },
  {
    name: 'purchase',
    weight: () => 40,
    command({ persona, state, commands }, occurredAt, rand) {
      const fen = Math.max(990, Math.round(rand.logNormal(persona.medianSpend, 0.7) / 10) * 10);
      const foreign = rand.chance(persona.foreignShare) ? rand.pick(FOREIGN) : null;
      const rate = foreign ? foreign.rate * (0.97 + rand.next() * 0.06) : 1;
      const amount = foreign ? Math.max(foreign.roundTo, Math.round(((fen / 100 / rate) * foreign.minorPerUnit) / foreign.roundTo) * foreign.roundTo) : fen;
      const outletId = foreign || rand.chance(0.25) ? ONLINE.outletId : persona.home.outletId;
      return {
        type: 'RecordPurchase',
        data: { customerId: state.customerId!, purchaseId: `p${commands}`, amount, currency: foreign?.currency ?? 'CNY', exchangeRate: foreign ? rate.toFixed(4) : null, outletId, items: lineItems(rand, persona, amount), occurredAt },
      };
    },
  },
  {
    name: 'file-complaint',
    weight: ({ state }) => (Object.values(state.care.complaints).some((c) => c.status === 'open') ? 0.5 : 3),
    command({ state, commands }, occurredAt, rand) {
      const complaint = rand.pick(COMPLAINTS);
      const severity = rand.weighted(['low', 'normal', 'high', 'urgent'] as const, (s) => ({ low: 3, normal: 5, high: 2, urgent: 0.5 })[s])!;
      return { type: 'FileComplaint', data: { customerId: state.customerId!, complaintId: `k${commands}`, channel: complaint.channel, category: complaint.category, severity, description: complaint.description, outletId: null, occurredAt } };
    },
  },
  {
    name: 'resolve-complaint',
    // Complaints are resolved a day or more after they were filed; a few stay open.
    weight: ({ state }, at) => (openComplaint(state, at - DAY_MS) ? 60 : 0),
    command({ state }, occurredAt, rand) {
      const complaint = openComplaint(state, toMs(occurredAt) - DAY_MS)!;
      return { type: 'ResolveComplaint', data: { customerId: state.customerId!, complaintId: complaint.complaintId, resolution: rand.pick(RESOLUTIONS), satisfaction: rand.chance(0.8) ? rand.int(1, 5) : null, occurredAt } };
    },
  },
  {
    name: 'change-tier',
    // Goodwill upgrades after a complaint, VIP invitations: rare and manual (spend upgrades happen inside purchases).
    weight: ({ state, persona, manualTierChanges }) =>
      manualTierChanges > 0 ? 0 : state.loyalty.tier === 'standard' && Object.keys(state.care.complaints).length > 0 ? 1 : persona.segment === 'vip' && state.loyalty.tier === 'silver' ? 2 : 0,
    command({ state, persona }, occurredAt) {
      const vip = persona.segment === 'vip' && state.loyalty.tier === 'silver';
      return { type: 'ChangeTier', data: { customerId: state.customerId!, tier: vip ? 'gold' : 'silver', reason: vip ? 'VIP programme invitation' : 'goodwill after a complaint', lockedUntil: null, occurredAt } };
    },
  },
  {
    name: 'evaluate',
    weight: () => 3,
    command({ state }, occurredAt) {
      return { type: 'EvaluateCustomer', data: { customerId: state.customerId!, occurredAt } };
    },
  },
];
