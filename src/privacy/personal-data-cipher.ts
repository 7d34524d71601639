/**
 * Sealing an event's personal fields: they leave the stored data and travel, as one AES-256-GCM
 * ciphertext under the customer's data key, in `sealed`. The hash chain covers the stored (sealed)
 * data, so erasing the key leaves every hash valid. Personal fields that are null stay in clear
 * (a null tells nothing), which is also how an erased event knows which fields held a value.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { IV_BYTES, randomIv } from './random-iv';
import { ERASED, personalFieldsOf } from '../customer/personal-data';

/**
 * The stored data's field holding the sealed personal fields: `v1.<field,field>.<base64(iv ‖
 * ciphertext ‖ tag)>`. The field names are in clear: an erased event then shows which fields it
 * held (a profile update carries only the fields it changed).
 */
export const SEALED_FIELD = 'sealed';
const VERSION = 'v1';
const TAG_BYTES = 16;

/** Binds a ciphertext to its customer and event type: it cannot be moved to another event unnoticed. */
const aad = (customerId: string, type: string): Buffer => Buffer.from(`${customerId}\u0000${type}`, 'utf8');

/** Whether an event of this type can hold personal data at all (most cannot: they are never parsed to check). */
export const mayHoldPersonalData = (type: string): boolean => personalFieldsOf(type).length > 0;

/** Whether `data` has personal fields with a value, i.e. needs the customer's key to be stored. */
export function needsSealing(type: string, data: Record<string, unknown>): boolean {
  return personalFieldsOf(type).some((field) => data[field] !== null && data[field] !== undefined);
}

export const isSealed = (data: Record<string, unknown>): boolean => typeof data[SEALED_FIELD] === 'string';

/** The stored form of `data`: its personal fields with a value replaced by one `sealed` field. */
export function sealData(type: string, data: Record<string, unknown>, key: Buffer, customerId: string): Record<string, unknown> {
  if (!needsSealing(type, data)) return data;
  const stored: Record<string, unknown> = { ...data };
  const personal: Record<string, unknown> = {};
  for (const field of personalFieldsOf(type)) {
    if (stored[field] === null || stored[field] === undefined) continue;
    personal[field] = stored[field];
    delete stored[field];
  }
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(customerId, type));
  const text = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
  stored[SEALED_FIELD] = `${VERSION}.${Object.keys(personal).join(',')}.${Buffer.concat([iv, text, cipher.getAuthTag()]).toString('base64')}`;
  return stored;
}

/**
 * `stored` as the domain knows it: the personal fields decrypted with `key`, or, when the key is
 * destroyed (`null`), each one that held a value read as ERASED. Unsealed data (events stored in
 * clear by an earlier release) comes back as it is. A ciphertext that does not authenticate throws.
 */
export function openData(type: string, stored: Record<string, unknown>, key: Buffer | null, customerId: string): Record<string, unknown> {
  const sealed = stored[SEALED_FIELD];
  if (typeof sealed !== 'string') return stored;
  const { [SEALED_FIELD]: _, ...data } = stored;
  const [version, fields, base64] = sealed.split('.');
  if (version !== VERSION || base64 === undefined) throw new Error(`sealed personal data of ${type} for ${customerId} has an unknown format`);
  if (key === null) {
    for (const field of fields.split(',')) data[field] = ERASED;
    return data;
  }
  const bytes = Buffer.from(base64, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(aad(customerId, type));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  return { ...data, ...(JSON.parse(text) as Record<string, unknown>) };
}
