/** What decisions need of visits, complaints, follow-ups and surveys. */
import { canonicalJson } from '../../shared/canonical-json';
import type { FileComplaint } from './commands';
import type { ComplaintResolved, ComplaintSeverity, CustomerVisited, FollowUpCancelled, FollowUpCompleted, FollowUpReason, FollowUpScheduled, SurveyAnswered } from './events';

/** A complaint's status: its latest transition. */
export const COMPLAINT_STATUSES = ['open', 'assigned', 'escalated', 'resolved', 'reopened'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const FOLLOW_UP_STATUSES = ['scheduled', 'completed', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export interface ComplaintSummary {
  complaintId: string;
  severity: ComplaintSeverity;
  /** The latest transition: filed (open), assigned, escalated, resolved, reopened. */
  status: ComplaintStatus;
  filedAt: string;
  /** The latest resolution; null while open or reopened. */
  resolvedAt: string | null;
  /** When the current opening breaches its SLA (filing, escalation or reopening + the severity's SLA). */
  dueAt: string;
  /** Whether the current opening breached already (a complaint breaches at most once per opening). */
  breached: boolean;
  assignee: string | null;
  reopenCount: number;
  /** Business content of the filing and of the resolution, to tell a re-sent command from a conflicting one. */
  fingerprint: string;
  resolution: string | null;
}

export interface FollowUpSummary {
  followUpId: string;
  reason: FollowUpReason;
  complaintId: string | null;
  status: FollowUpStatus;
  dueAt: string;
  fingerprint: string;
  /** Business content of the completion or cancellation, so a re-sent one is told from another. */
  closing: string | null;
}

export interface CareState {
  visits: { count: number; lastVisitAt: string | null; fingerprints: Record<string, string> };
  complaints: Record<string, ComplaintSummary>;
  followUps: Record<string, FollowUpSummary>;
  /** Survey id → fingerprint. */
  surveys: Record<string, string>;
}

export const initialCare = (): CareState => ({ visits: { count: 0, lastVisitAt: null, fingerprints: {} }, complaints: {}, followUps: {}, surveys: {} });

/** A complaint not resolved (open, assigned, escalated or reopened). */
export const isOpen = (complaint: ComplaintSummary): boolean => complaint.status !== 'resolved';

/** Business content of a recorded fact (time excluded: a retry may be re-stamped). */
export const careFingerprint = {
  visit: ({ outletId, channel, purpose }: CustomerVisited['data']): string => canonicalJson({ outletId, channel, purpose }),
  complaint: ({ channel, category, severity, description, outletId }: FileComplaint['data']): string => canonicalJson({ channel, category, severity, description, outletId }),
  resolution: ({ resolution, satisfaction }: ComplaintResolved['data']): string => canonicalJson({ resolution, satisfaction }),
  followUp: ({ dueAt, reason, complaintId, assignee }: FollowUpScheduled['data']): string => canonicalJson({ dueAt, reason, complaintId, assignee }),
  completion: ({ outcome, notes, satisfaction }: FollowUpCompleted['data']): string => canonicalJson({ completed: { outcome, notes, satisfaction } }),
  cancellation: ({ reason }: FollowUpCancelled['data']): string => canonicalJson({ cancelled: { reason } }),
  survey: ({ score, comment, channel, outletId }: SurveyAnswered['data']): string => canonicalJson({ score, comment, channel, outletId }),
};
