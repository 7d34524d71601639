/**
 * What demo customers do, one entry per kind of command: how likely it is for this customer now,
 * and the command. A new command of the domain becomes one more entry of DEMO_KINDS.
 */
import type { CustomerCommand } from '../../customer/commands';
import type { CustomerState } from '../../customer/state';
import { DAY_MS, toIso, toMs } from '../../customer/time';
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
  /** A customer registered earlier who brought this one (a referral is recorded before the first purchase), or null. */
  referredBy: string | null;
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

// The demo's instants are all in the canonical form (toIso), whose string order is time order:
// the helpers below compare strings rather than parse every instant they look at.

/** A complaint not resolved (open, assigned, escalated or reopened) filed before `before`. */
const openComplaint = (state: CustomerState, before: number) => {
  const until = toIso(before);
  return Object.values(state.care.complaints).find((complaint) => complaint.status !== 'resolved' && complaint.filedAt <= until);
};
const unassignedComplaint = (state: CustomerState) => Object.values(state.care.complaints).find((complaint) => complaint.status === 'open');
const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
const AGENTS = ['agent-wang', 'agent-chen', 'agent-garcia', 'agent-sato'];
const REFUND_REASONS = ['尺码不合适', 'item arrived damaged', '不想要了', 'wrong colour'];
const REDEMPTION_REASONS = ['兑换 50 元代金券', 'free coffee', '生日礼品', 'parking voucher'];
const FOLLOW_UP_NOTES = ['客户表示满意', 'customer happy with the replacement', '未接通，稍后再拨', 'asked to be called next week'];
const SURVEY_COMMENTS = ['服务很好', 'checkout was slow', '店员很热情', 'great selection', null];
const CONSENT_SOURCES = ['store tablet', 'app settings', '微信公众号', 'web preference centre'];

/** Points the customer can spend at `at`: lots not yet expired (an expiry due is applied before the command). */
const spendable = (state: CustomerState, at: number) => {
  const now = toIso(at);
  return state.loyalty.lots.reduce((sum, lot) => (lot.expiresAt > now ? sum + lot.remaining : sum), 0);
};
/** A purchase of the last 30 days with something left to refund. */
const refundable = (state: CustomerState, at: number) => {
  const since = toIso(at - 30 * DAY_MS);
  return state.purchases.find((purchase) => purchase.refundedAmount === 0 && purchase.occurredAt > since);
};
const dueFollowUp = (state: CustomerState, at: number) => {
  const until = toIso(at);
  return Object.values(state.care.followUps).find((followUp) => followUp.status === 'scheduled' && followUp.dueAt <= until);
};

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
    name: 'assign-complaint',
    weight: ({ state }) => (unassignedComplaint(state) ? 20 : 0),
    command({ state }, occurredAt, rand) {
      return { type: 'AssignComplaint', data: { customerId: state.customerId!, complaintId: unassignedComplaint(state)!.complaintId, assignee: rand.pick(AGENTS), occurredAt } };
    },
  },
  {
    name: 'escalate-complaint',
    // A customer who calls again about a complaint not yet resolved.
    weight: ({ state }, at) => {
      const complaint = openComplaint(state, at);
      return complaint && complaint.severity !== 'urgent' ? 2 : 0;
    },
    command({ state }, occurredAt) {
      const complaint = openComplaint(state, toMs(occurredAt))!;
      return { type: 'EscalateComplaint', data: { customerId: state.customerId!, complaintId: complaint.complaintId, reason: 'customer called again', severity: SEVERITIES[SEVERITIES.indexOf(complaint.severity) + 1], occurredAt } };
    },
  },
  {
    name: 'complete-follow-up',
    weight: ({ state }, at) => (dueFollowUp(state, at) ? 40 : 0),
    command({ state }, occurredAt, rand) {
      const reached = rand.chance(0.75);
      return {
        type: 'CompleteFollowUp',
        data: { customerId: state.customerId!, followUpId: dueFollowUp(state, toMs(occurredAt))!.followUpId, outcome: reached ? 'reached' : 'no_answer', notes: rand.pick(FOLLOW_UP_NOTES), satisfaction: reached ? rand.int(1, 5) : null, occurredAt },
      };
    },
  },
  {
    name: 'refund',
    weight: ({ state }, at) => (refundable(state, at) ? 1.5 : 0),
    command({ state, commands }, occurredAt, rand) {
      const purchase = refundable(state, toMs(occurredAt))!;
      const amount = rand.chance(0.6) ? purchase.amount : Math.max(1, Math.round(purchase.amount * (0.2 + rand.next() * 0.5)));
      return { type: 'RefundPurchase', data: { customerId: state.customerId!, purchaseId: purchase.purchaseId, refundId: `r${commands}`, amount, reason: rand.pick(REFUND_REASONS), occurredAt } };
    },
  },
  {
    name: 'redeem',
    weight: ({ state }, at) => (spendable(state, at) >= 300 ? 4 : 0),
    command({ persona, state, commands }, occurredAt, rand) {
      const points = Math.min(spendable(state, toMs(occurredAt)), rand.int(1, 10) * 100);
      return { type: 'RedeemPoints', data: { customerId: state.customerId!, redemptionId: `x${commands}`, points, reason: rand.pick(REDEMPTION_REASONS), outletId: persona.home.outletId, occurredAt } };
    },
  },
  {
    name: 'survey',
    weight: ({ state }) => (state.purchases.length > 0 ? 2 : 0),
    command({ persona, state, commands }, occurredAt, rand) {
      const score = Math.min(10, Math.max(0, Math.round(rand.next() * 4 + (persona.segment === 'vip' ? 7 : 5))));
      return { type: 'AnswerSurvey', data: { customerId: state.customerId!, surveyId: `s${commands}`, score, comment: rand.pick(SURVEY_COMMENTS), channel: rand.chance(0.5) ? 'app' : 'store', outletId: persona.home.outletId, occurredAt } };
    },
  },
  {
    name: 'update-profile',
    // Tags and an account manager once a customer has shown who they are; a birthday given at some point.
    weight: ({ state }) => (state.profile.tags.length === 0 && state.purchases.length >= 3 ? 3 : state.profile.birthday === null ? 0.3 : 0),
    command({ persona, state }, occurredAt, rand) {
      if (state.profile.tags.length === 0 && state.purchases.length >= 3) {
        const tags = [persona.segment, ...persona.categories.slice(0, 2)];
        return { type: 'UpdateProfile', data: { customerId: state.customerId!, tags, ...(persona.segment === 'vip' ? { accountManager: rand.pick(AGENTS) } : {}), occurredAt } };
      }
      const year = rand.int(1950, 2005);
      return { type: 'UpdateProfile', data: { customerId: state.customerId!, birthday: `${year}-${String(rand.int(1, 12)).padStart(2, '0')}-${String(rand.int(1, 28)).padStart(2, '0')}`, occurredAt } };
    },
  },
  {
    name: 'change-consent',
    weight: ({ state }) => (Object.keys(state.consents).length === 0 ? 2 : 0.2),
    command({ state }, occurredAt, rand) {
      const channel = rand.pick(['email', 'sms', 'wechat', 'app'] as const);
      const current = state.consents[channel]?.marketing?.granted;
      return { type: 'ChangeConsent', data: { customerId: state.customerId!, channel, purpose: 'marketing', granted: current === undefined ? rand.chance(0.7) : !current, source: rand.pick(CONSENT_SOURCES), occurredAt } };
    },
  },
  {
    name: 'refer',
    // Recorded right after the registration, before any purchase (the referral's reward follows the first purchase).
    weight: ({ state, referredBy }) => (referredBy !== null && state.referral.referrerId === null && state.purchases.length === 0 ? 1000 : 0),
    command({ state, referredBy }, occurredAt) {
      return { type: 'ReferCustomer', data: { customerId: state.customerId!, referrerId: referredBy!, occurredAt } };
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
