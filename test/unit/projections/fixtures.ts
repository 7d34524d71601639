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
