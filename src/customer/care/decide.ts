/** Care: visits and complaints, each idempotent by its own id. */
import { DomainError, invalid } from '../errors';
import type { Deciders } from '../evolve-types';
import { toMs } from '../time';
import { careFingerprint } from './state';

export const careDeciders: Deciders<'RecordVisit' | 'FileComplaint' | 'ResolveComplaint'> = {
  RecordVisit({ data }, state) {
    const known = state.care.visits.fingerprints[data.visitId];
    if (known !== undefined) {
      if (known === careFingerprint.visit(data)) return [];
      throw new DomainError('DUPLICATE_VISIT', `visit ${data.visitId} was already recorded with other details`);
    }
    return [{ type: 'CustomerVisited', data: { ...data } }];
  },

  FileComplaint({ data }, state) {
    const known = state.care.complaints[data.complaintId];
    if (known) {
      if (known.fingerprint === careFingerprint.complaint(data)) return [];
      throw new DomainError('DUPLICATE_COMPLAINT', `complaint ${data.complaintId} was already filed with other details`);
    }
    if (!data.description.trim()) throw invalid('description', 'description must not be blank');
    return [{ type: 'ComplaintFiled', data: { ...data } }];
  },

  ResolveComplaint({ data }, state) {
    const complaint = state.care.complaints[data.complaintId];
    if (!complaint) throw new DomainError('COMPLAINT_NOT_FOUND', `complaint ${data.complaintId} does not exist`);
    if (complaint.status === 'resolved') {
      if (complaint.resolution === careFingerprint.resolution(data)) return [];
      throw new DomainError('COMPLAINT_ALREADY_RESOLVED', `complaint ${data.complaintId} is already resolved, with another resolution`);
    }
    if (!data.resolution.trim()) throw invalid('resolution', 'resolution must not be blank');
    if (data.satisfaction !== null && !(Number.isInteger(data.satisfaction) && data.satisfaction >= 1 && data.satisfaction <= 5))
      throw invalid('satisfaction', 'satisfaction must be an integer from 1 to 5');
    if (toMs(data.occurredAt) < toMs(complaint.filedAt)) throw invalid('occurredAt', 'a complaint cannot be resolved before it was filed');
    return [{ type: 'ComplaintResolved', data: { ...data } }];
  },
};
