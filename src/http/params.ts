import { Param, PipeTransform } from '@nestjs/common';
import { ID_PATTERN } from '../shared/ids';
import { ProblemError } from './problem';

/** Rejects a path id that is not 1–64 characters of [A-Za-z0-9_-]. */
const idPipe = (field: string): PipeTransform<string, string> => ({
  transform(value: string): string {
    if (!ID_PATTERN.test(value)) throw new ProblemError(400, 'VALIDATION_FAILED', `${field} must be 1–64 characters of A–Z, a–z, 0–9, _ or -`, [{ field, message: 'invalid id' }]);
    return value;
  },
});

export const CustomerIdParam = () => Param('customerId', idPipe('customerId'));
export const ComplaintIdParam = () => Param('complaintId', idPipe('complaintId'));
export const PurchaseIdParam = () => Param('purchaseId', idPipe('purchaseId'));
export const FollowUpIdParam = () => Param('followUpId', idPipe('followUpId'));
