import { Param, PipeTransform } from '@nestjs/common';
import { CONSENT_CHANNELS, type ConsentChannel } from '../customer/registration/events';
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

/** Rejects a consent channel that is not one of CONSENT_CHANNELS. */
export const ConsentChannelParam = () =>
  Param('channel', {
    transform(value: string): ConsentChannel {
      if (!(CONSENT_CHANNELS as readonly string[]).includes(value))
        throw new ProblemError(400, 'VALIDATION_FAILED', `channel must be one of ${CONSENT_CHANNELS.join(', ')}`, [{ field: 'channel', message: 'unknown channel' }]);
      return value as ConsentChannel;
    },
  });
