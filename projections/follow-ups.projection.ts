/** follow_ups: one document per follow-up (`customerId:followUpId`), the call list of the care team. */
import type { FollowUpStatus } from '../src/customer/care/state';
import { defineProjection, type CustomerDocument, type ProjectionEvent } from './projection';


export interface FollowUpDocument extends CustomerDocument {
  customerId: string;
  followUpId: string;
  reason: string;
  status: FollowUpStatus;
  dueAt: string;
  assignee: string | null;
  complaintId: string | null;
  scheduledAt: string;
  outcome: string | null;
  notes: string | null;
  satisfaction: number | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

const followUpKey = (event: ProjectionEvent): string => `${event.data.customerId}:${(event.data as { followUpId?: string }).followUpId}`;

export const followUps = defineProjection<FollowUpDocument>({
  name: 'follow_ups',
  version: 1,
  queryable: [
    { path: 'customerId', type: 'string' },
    { path: 'status', type: 'string' },
    { path: 'reason', type: 'string' },
    { path: 'assignee', type: 'string' },
    { path: 'dueAt', type: 'string' },
  ],
  compoundIndexes: [['status', 'dueAt'], ['reason', 'dueAt'], ['assignee', 'dueAt'], ['customerId', 'dueAt']],
  documentId: followUpKey,
  // An erasure clears the notes of each of the customer's follow-ups.
  fanOut: (event) => (event.type === 'CustomerForgotten' ? event.data.followUpIds.map((followUpId) => `${event.data.customerId}:${followUpId}`) : null),
  create: (event) => ({
    _id: followUpKey(event),
    customerId: event.data.customerId,
    followUpId: (event.data as { followUpId: string }).followUpId,
    reason: 'manual',
    status: 'scheduled',
    dueAt: event.data.occurredAt,
    assignee: null,
    complaintId: null,
    scheduledAt: event.data.occurredAt,
    outcome: null,
    notes: null,
    satisfaction: null,
    completedAt: null,
    cancelledAt: null,
    cancelReason: null,
    revision: -1,
  }),
  copy: (doc) => ({ ...doc }),
  on: {
    FollowUpScheduled(doc, { data }) {
      Object.assign(doc, { reason: data.reason, status: 'scheduled', dueAt: data.dueAt, assignee: data.assignee, complaintId: data.complaintId, scheduledAt: data.occurredAt });
    },
    FollowUpCompleted(doc, { data }) {
      Object.assign(doc, { status: 'completed', outcome: data.outcome, notes: data.notes, satisfaction: data.satisfaction, completedAt: data.occurredAt });
    },
    FollowUpCancelled(doc, { data }) {
      Object.assign(doc, { status: 'cancelled', cancelledAt: data.occurredAt, cancelReason: data.reason });
    },
    CustomerForgotten(doc) {
      Object.assign(doc, { notes: null, cancelReason: null });
    },
  },
});
