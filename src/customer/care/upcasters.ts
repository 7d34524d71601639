/** Upcasters of care's events (listed in ../upcasters.ts). */
import { complaintDueAt } from '../policies/care';
import type { ComplaintSeverity } from './events';

type Payload = Record<string, unknown>;

/** ComplaintFiled v1 had no outlet and no due date: the outlet is unknown, dueAt is the filing + its severity's SLA. */
export const complaintFiledUpcasters: Record<number, (data: Payload) => Payload> = {
  1: (data) => ({ ...data, outletId: null, dueAt: complaintDueAt(data.occurredAt as string, data.severity as ComplaintSeverity) }),
};
