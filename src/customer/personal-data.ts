/**
 * Which fields of an event's data are personal (name, contact, birthday, free texts): they are
 * encrypted at rest with the customer's data key and read back as `ERASED` once the customer is
 * forgotten. Each capability declares its own events' fields beside them.
 */
import { carePersonalFields } from './care/events';
import type { CustomerEvent, CustomerEventType } from './events';
import { purchasePersonalFields } from './purchases/events';
import { registrationPersonalFields } from './registration/events';

/** Per event type, the personal fields of its data (top-level keys). */
export type PersonalFields<E extends CustomerEvent> = { [T in E['type']]?: readonly (keyof Extract<E, { type: T }>['data'] & string)[] };

export const PERSONAL_FIELDS: Readonly<Partial<Record<CustomerEventType, readonly string[]>>> = {
  ...registrationPersonalFields,
  ...carePersonalFields,
  ...purchasePersonalFields,
} satisfies PersonalFields<CustomerEvent>;

const NONE: readonly string[] = [];

/** The personal fields of an event type (none for most). */
export const personalFieldsOf = (type: string): readonly string[] => PERSONAL_FIELDS[type as CustomerEventType] ?? NONE;

/** What a forgotten customer's personal field reads as, in history and exports. */
export const ERASED = '[erased]';

/** `data` with each personal field that held a value replaced by ERASED (nulls stay null). */
export function erasedData(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const erased = { ...data };
  for (const field of personalFieldsOf(type)) if (erased[field] !== null && erased[field] !== undefined) erased[field] = ERASED;
  return erased;
}
