/** complaints: one document per complaint (`customerId:complaintId`), the care team's worklist and the complaint KPIs' source. */
import type { ComplaintStatus } from '../src/customer/care/state';
import { HOUR_MS, toMs } from '../src/customer/time';
import { defineProjection, type CustomerDocument, type ProjectionEvent } from './projection';


export interface ComplaintDocument extends CustomerDocument {
  customerId: string;
  complaintId: string;
  status: ComplaintStatus;
  severity: string;
  category: string;
  channel: string;
  outletId: string | null;
  filedAt: string;
  /** When the current opening breaches its SLA. */
  dueAt: string;
  assignee: string | null;
  /** The latest resolution (null while open or reopened). */
  resolvedAt: string | null;
  /** Hours from the filing to the latest resolution (two decimals). */
  hoursToResolve: number | null;
  /** Whether any opening breached its SLA. */
  slaBreached: boolean;
  breachCount: number;
  satisfaction: number | null;
  reopenCount: number;
}

const complaintKey = (event: ProjectionEvent): string => `${event.data.customerId}:${(event.data as { complaintId?: string }).complaintId}`;

export const complaints = defineProjection<ComplaintDocument>({
  name: 'complaints',
  version: 1,
  // The worklist's filters and order, and the analytics' period.
  queryable: [
    { path: 'customerId', type: 'string' },
    { path: 'status', type: 'string' },
    { path: 'severity', type: 'string' },
    { path: 'assignee', type: 'string' },
    { path: 'dueAt', type: 'string' },
    { path: 'filedAt', type: 'string' },
  ],
  // Each worklist filter with the worklist's order, so a page is read from one index range.
  compoundIndexes: [['status', 'dueAt'], ['severity', 'dueAt'], ['assignee', 'dueAt'], ['customerId', 'dueAt']],
  documentId: complaintKey,
  create: (event) => ({
    _id: complaintKey(event),
    customerId: event.data.customerId,
    complaintId: (event.data as { complaintId: string }).complaintId,
    status: 'open',
    severity: 'normal',
    category: '',
    channel: '',
    outletId: null,
    filedAt: event.data.occurredAt,
    dueAt: event.data.occurredAt,
    assignee: null,
    resolvedAt: null,
    hoursToResolve: null,
    slaBreached: false,
    breachCount: 0,
    satisfaction: null,
    reopenCount: 0,
    revision: -1,
  }),
  copy: (doc) => ({ ...doc }),
  on: {
    ComplaintFiled(doc, { data }) {
      Object.assign(doc, { status: 'open', severity: data.severity, category: data.category, channel: data.channel, outletId: data.outletId, filedAt: data.occurredAt, dueAt: data.dueAt });
    },
    ComplaintAssigned(doc, { data }) {
      doc.status = 'assigned';
      doc.assignee = data.assignee;
    },
    ComplaintEscalated(doc, { data }) {
      doc.status = 'escalated';
      doc.severity = data.to;
      doc.dueAt = data.dueAt;
    },
    ComplaintResolved(doc, { data }) {
      doc.status = 'resolved';
      doc.resolvedAt = data.occurredAt;
      doc.hoursToResolve = Math.round(((toMs(data.occurredAt) - toMs(doc.filedAt)) / HOUR_MS) * 100) / 100;
      doc.satisfaction = data.satisfaction;
    },
    ComplaintReopened(doc, { data }) {
      doc.status = 'reopened';
      doc.dueAt = data.dueAt;
      doc.resolvedAt = null;
      doc.hoursToResolve = null;
      doc.reopenCount++;
    },
    ComplaintSlaBreached(doc) {
      doc.slaBreached = true;
      doc.breachCount++;
    },
  },
});
