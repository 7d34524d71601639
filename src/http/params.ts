import { Param, PipeTransform } from '@nestjs/common';
import { CONSENT_CHANNELS, type ConsentChannel } from '../customer/registration/events';
import { PROJECTIONS } from '../../projections';
import { ID_PATTERN, ID_SCHEMA } from '../shared/ids';
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

/** The OpenAPI schemas of the path parameters, by name (the same name means the same shape on every route). */
export const PATH_PARAMETER_SCHEMAS: Record<string, Record<string, unknown>> = {
  customerId: { ...ID_SCHEMA, example: 'c-1001' },
  complaintId: { ...ID_SCHEMA, example: 'cmp-1' },
  purchaseId: { ...ID_SCHEMA, example: 'p-20261124-0001' },
  followUpId: { ...ID_SCHEMA, example: 'fu-1' },
  channel: { type: 'string', enum: [...CONSENT_CHANNELS] },
  collection: { type: 'string', enum: PROJECTIONS.map((projection) => projection.name) },
  name: { type: 'string', enum: PROJECTIONS.map((projection) => projection.name) },
  evaluationId: { type: 'string', format: 'uuid' },
  type: { type: 'string', pattern: '^[a-z-]{1,64}$', example: 'customer-not-found' },
};
