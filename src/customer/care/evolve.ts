import type { Evolvers } from '../evolve-types';
import { later } from '../time';
import { careFingerprint } from './state';

export const careEvolvers: Evolvers<'CustomerVisited' | 'ComplaintFiled' | 'ComplaintResolved'> = {
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
};
