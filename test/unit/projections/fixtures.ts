import type { CustomerEvent } from '../../../src/customer/events';

export const registered = (at = '2026-01-01T00:00:00.000Z'): CustomerEvent => ({
  type: 'CustomerRegistered',
  data: { customerId: 'c1', name: 'Li Wei', email: 'li@example.com', phone: null, address: null, outletId: 'o1', preferences: { channels: ['email'], categories: [] }, occurredAt: at },
});

export const purchased = (purchaseId: string, amount: number, at: string): CustomerEvent => ({
  type: 'PurchaseRecorded',
  data: { customerId: 'c1', purchaseId, amount, currency: 'CNY', exchangeRate: '1', baseAmount: amount, outletId: 'o1', items: [], occurredAt: at },
});

export const earned = (purchaseId: string, points: number, at: string, expiresAt: string): CustomerEvent => ({
  type: 'PointsEarned',
  data: { customerId: 'c1', purchaseId, points, tier: 'standard', multiplier: 1, expiresAt, occurredAt: at },
});

export const stageChanged = (from: string, to: string, at: string, reason = 'purchase'): CustomerEvent =>
  ({ type: 'LifecycleStageChanged', data: { customerId: 'c1', from, to, reason, occurredAt: at } }) as CustomerEvent;

export const tierChanged = (from: string, to: string, at: string): CustomerEvent =>
  ({ type: 'TierChanged', data: { customerId: 'c1', from, to, reason: 'spend', trigger: 'spend', rollingSpend: 300000, occurredAt: at } }) as CustomerEvent;

export const complaintFiled = (complaintId: string, at: string): CustomerEvent => ({
  type: 'ComplaintFiled',
  data: { customerId: 'c1', complaintId, channel: 'phone', category: 'billing', severity: 'high', description: 'x', outletId: 'o1', dueAt: new Date(Date.parse(at) + 24 * 3_600_000).toISOString(), occurredAt: at },
});

export const complaintResolved = (complaintId: string, at: string): CustomerEvent => ({
  type: 'ComplaintResolved',
  data: { customerId: 'c1', complaintId, resolution: 'refund', satisfaction: 4, occurredAt: at },
});

export const visited = (visitId: string, at: string): CustomerEvent => ({
  type: 'CustomerVisited',
  data: { customerId: 'c1', visitId, outletId: 'o2', channel: 'store', purpose: null, occurredAt: at },
});

export const complaintAssigned = (complaintId: string, assignee: string, at: string): CustomerEvent => ({ type: 'ComplaintAssigned', data: { customerId: 'c1', complaintId, assignee, occurredAt: at } });

export const complaintEscalated = (complaintId: string, to: 'urgent' | 'high', dueAt: string, at: string): CustomerEvent => ({
  type: 'ComplaintEscalated',
  data: { customerId: 'c1', complaintId, reason: 'called twice', from: 'high', to, dueAt, occurredAt: at },
});

export const complaintReopened = (complaintId: string, dueAt: string, at: string): CustomerEvent => ({ type: 'ComplaintReopened', data: { customerId: 'c1', complaintId, reason: 'again', dueAt, occurredAt: at } });

export const slaBreached = (complaintId: string, dueAt: string): CustomerEvent => ({ type: 'ComplaintSlaBreached', data: { customerId: 'c1', complaintId, dueAt, occurredAt: dueAt } });

export const followUpScheduled = (followUpId: string, dueAt: string, at: string, complaintId: string | null = null): CustomerEvent => ({
  type: 'FollowUpScheduled',
  data: { customerId: 'c1', followUpId, dueAt, reason: complaintId === null ? 'manual' : 'complaint', complaintId, assignee: complaintId === null ? 'agent-1' : null, occurredAt: at },
});

export const followUpCompleted = (followUpId: string, at: string): CustomerEvent => ({
  type: 'FollowUpCompleted',
  data: { customerId: 'c1', followUpId, outcome: 'reached', notes: 'fine now', satisfaction: 5, occurredAt: at },
});

export const followUpCancelled = (followUpId: string, at: string): CustomerEvent => ({ type: 'FollowUpCancelled', data: { customerId: 'c1', followUpId, reason: 'moved away', occurredAt: at } });
