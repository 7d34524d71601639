/**
 * Data keys and their wrapping under the master key (master-key.ts). A wrapped key is
 * `version (1 byte, 0x01) | iv (12 bytes) | ciphertext (32 bytes) | GCM tag (16 bytes)` = 61 bytes,
 * AES-256-GCM with the customer id as additional authenticated data: a wrapped key copied onto
 * another customer's record does not unwrap.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IV_BYTES, randomIv } from './random-iv';

export const KEY_BYTES = 32;
const VERSION = 0x01;
const TAG_BYTES = 16;
export const WRAPPED_KEY_BYTES = 1 + IV_BYTES + KEY_BYTES + TAG_BYTES;

/** A wrapped key that cannot be unwrapped: another master key, another customer, tampered or not a wrapped key at all. */
export class KeyUnwrapError extends Error {
  override name = 'KeyUnwrapError';
}

/** A fresh random data key (32 bytes, for AES-256). */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function wrapDataKey(master: Buffer, dataKey: Buffer, customerId: string): Buffer {
  checkLength('master key', master);
  checkLength('data key', dataKey);
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', master, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(customerId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, ciphertext, cipher.getAuthTag()]);
}

/** The data key; KeyUnwrapError when `wrapped` was not made by `wrapDataKey` with this master key for this customer. */
export function unwrapDataKey(master: Buffer, wrapped: Buffer, customerId: string): Buffer {
  checkLength('master key', master);
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new KeyUnwrapError(`wrapped key of customer ${customerId} has ${wrapped.length} bytes, expected ${WRAPPED_KEY_BYTES}`);
  if (wrapped[0] !== VERSION) throw new KeyUnwrapError(`wrapped key of customer ${customerId} has unknown format version ${wrapped[0]}`);
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  const ciphertext = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + KEY_BYTES);
  const tag = wrapped.subarray(1 + IV_BYTES + KEY_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', master, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(customerId, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new KeyUnwrapError(`wrapped key of customer ${customerId} does not unwrap: wrong master key, wrong customer or tampered bytes`, { cause: error });
  }
}

function checkLength(what: string, key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`${what} must be ${KEY_BYTES} bytes (got ${key.length})`);
}
