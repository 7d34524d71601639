/** Customer-care service levels: how long a complaint may stay open, follow-up timing, the reopening window. */
import type { ComplaintSeverity } from '../care/events';
import { addHours } from '../time';

/** Hours from filing (or escalation, or reopening) until a complaint of this severity breaches its SLA. */
export const COMPLAINT_SLA_HOURS: Record<ComplaintSeverity, number> = { urgent: 4, high: 24, normal: 72, low: 7 * 24 };

/** Severities from least to most severe: an escalation may only move right. */
export const SEVERITY_ORDER: readonly ComplaintSeverity[] = ['low', 'normal', 'high', 'urgent'];

/** A resolved complaint is followed up (回访) this many days after its resolution. */
export const COMPLAINT_FOLLOW_UP_AFTER_DAYS = 3;

/** A resolved complaint may be reopened for this many days after its resolution. */
export const REOPEN_WINDOW_DAYS = 30;

export const severityRank = (severity: ComplaintSeverity): number => SEVERITY_ORDER.indexOf(severity);

/** When a complaint (re)started at `from` with `severity` is due. */
export const complaintDueAt = (from: string, severity: ComplaintSeverity): string => addHours(from, COMPLAINT_SLA_HOURS[severity]);
