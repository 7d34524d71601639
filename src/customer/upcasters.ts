/**
 * Upcasters: pure functions from a stored payload of one schema version to the next, applied when
 * events are read, so stored events are never rewritten and old histories replay to the same state.
 */
import { complaintFiledUpcasters } from './care/upcasters';
import { SCHEMA_VERSIONS, type CustomerEventType } from './events';

type Payload = Record<string, unknown>;
/** For an event type, the upcaster from version n (key) to n + 1. */
type Upcasters = { [T in CustomerEventType]?: Record<number, (data: Payload) => Payload> };

const UPCASTERS: Upcasters = {
  // v1 had no conversion: what it counted was the amount itself.
  PurchaseRecorded: { 1: (data) => ({ ...data, exchangeRate: '1', baseAmount: data.amount }) },
  // v1 manual changes did not lock the tier.
  TierChanged: { 1: (data) => ({ ...data, lockedUntil: null }) },
  ComplaintFiled: complaintFiledUpcasters,
};

/** The payload in the current schema of its type (unchanged when it already is, or the type is unknown). */
export function upcast(type: string, version: number, data: Payload): Payload {
  const current = SCHEMA_VERSIONS[type as CustomerEventType];
  if (current === undefined) return data;
  let upcasted = data;
  for (let from = version; from < current; from++) {
    const step = UPCASTERS[type as CustomerEventType]?.[from];
    if (!step) throw new Error(`no upcaster for ${type} from schema version ${from}`);
    upcasted = step(upcasted);
  }
  return upcasted;
}
