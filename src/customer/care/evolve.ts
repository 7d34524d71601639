import type { Evolvers } from '../evolve-types';
import { later } from '../time';
import { careFingerprint } from './state';

export const careEvolvers: Evolvers<
  | 'CustomerVisited'
  | 'ComplaintFiled'
  | 'ComplaintResolved'
  | 'ComplaintAssigned'
  | 'ComplaintEscalated'
  | 'ComplaintReopened'
  | 'ComplaintSlaBreached'
  | 'FollowUpScheduled'
  | 'FollowUpCompleted'
  | 'FollowUpCancelled'
  | 'SurveyAnswered'
> = {
  CustomerVisited({ care }, { data }) {
    care.visits.count++;
    care.visits.lastVisitAt = later(care.visits.lastVisitAt, data.occurredAt);
    care.visits.fingerprints[data.visitId] = careFingerprint.visit(data);
  },
  ComplaintFiled({ care }, { data }) {
    care.complaints[data.complaintId] = {
      complaintId: data.complaintId,
      severity: data.severity,
      status: 'open',
      filedAt: data.occurredAt,
      resolvedAt: null,
      dueAt: data.dueAt,
      breached: false,
      assignee: null,
      reopenCount: 0,
      fingerprint: careFingerprint.complaint(data),
      resolution: null,
    };
  },
  ComplaintResolved({ care }, { data }) {
    const complaint = care.complaints[data.complaintId];
    if (!complaint) return;
    complaint.status = 'resolved';
    complaint.resolvedAt = data.occurredAt;
    complaint.resolution = careFingerprint.resolution(data);
  },
  ComplaintAssigned({ care }, { data }) {
    const complaint = care.complaints[data.complaintId];
    if (!complaint) return;
    complaint.status = 'assigned';
    complaint.assignee = data.assignee;
  },
  ComplaintEscalated({ care }, { data }) {
    const complaint = care.complaints[data.complaintId];
    if (!complaint) return;
    complaint.status = 'escalated';
    complaint.severity = data.to;
    complaint.dueAt = data.dueAt;
  },
  ComplaintReopened({ care }, { data }) {
    const complaint = care.complaints[data.complaintId];
    if (!complaint) return;
    complaint.status = 'reopened';
    complaint.dueAt = data.dueAt;
    complaint.breached = false;
    complaint.reopenCount++;
    complaint.resolvedAt = null;
    complaint.resolution = null;
  },
  ComplaintSlaBreached({ care }, { data }) {
    const complaint = care.complaints[data.complaintId];
    if (complaint) complaint.breached = true;
  },
  FollowUpScheduled({ care }, { data }) {
    care.followUps[data.followUpId] = {
      followUpId: data.followUpId,
      reason: data.reason,
      complaintId: data.complaintId,
      status: 'scheduled',
      dueAt: data.dueAt,
      fingerprint: careFingerprint.followUp(data),
      closing: null,
    };
  },
  FollowUpCompleted({ care }, { data }) {
    const followUp = care.followUps[data.followUpId];
    if (!followUp) return;
    followUp.status = 'completed';
    followUp.closing = careFingerprint.completion(data);
  },
  FollowUpCancelled({ care }, { data }) {
    const followUp = care.followUps[data.followUpId];
    if (!followUp) return;
    followUp.status = 'cancelled';
    followUp.closing = careFingerprint.cancellation(data);
  },
  SurveyAnswered({ care }, { data }) {
    care.surveys[data.surveyId] = careFingerprint.survey(data);
  },
};
