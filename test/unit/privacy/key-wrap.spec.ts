import { randomBytes } from 'node:crypto';
import { KeyUnwrapError, newDataKey, unwrapDataKey, wrapDataKey, WRAPPED_KEY_BYTES } from '../../../src/privacy/key-wrap';

const master = randomBytes(32);

describe('key wrap', () => {
  it('newDataKey: 32 random bytes', () => {
    const a = newDataKey();
    expect(a).toHaveLength(32);
    expect(newDataKey().equals(a)).toBe(false);
  });

  it('round trip: version 1 | iv 12 | ciphertext 32 | tag 16, a fresh iv each time', () => {
    const dataKey = newDataKey();
    const wrapped = wrapDataKey(master, dataKey, 'c-1');
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(WRAPPED_KEY_BYTES).toBe(61);
    expect(wrapped[0]).toBe(1);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapDataKey(master, wrapped, 'c-1')).toEqual(dataKey);
    const again = wrapDataKey(master, dataKey, 'c-1');
    expect(again.subarray(1, 13).equals(wrapped.subarray(1, 13))).toBe(false);
    expect(unwrapDataKey(master, again, 'c-1')).toEqual(dataKey);
  });

  it('a key moved to another customer does not unwrap (the customer id is authenticated)', () => {
    const wrapped = wrapDataKey(master, newDataKey(), 'c-1');
    expect(() => unwrapDataKey(master, wrapped, 'c-2')).toThrow(KeyUnwrapError);
    expect(() => unwrapDataKey(master, wrapped, 'c-2')).toThrow(/wrong master key, wrong customer or tampered bytes/);
    expect(() => unwrapDataKey(master, wrapped, 'c-1 ')).toThrow(KeyUnwrapError);
  });

  it('another master key does not unwrap', () => {
    const wrapped = wrapDataKey(master, newDataKey(), 'c-1');
    expect(() => unwrapDataKey(randomBytes(32), wrapped, 'c-1')).toThrow(KeyUnwrapError);
  });

  it('any flipped bit is refused', () => {
    const wrapped = wrapDataKey(master, newDataKey(), 'c-1');
    for (let byte = 1; byte < wrapped.length; byte++) {
      const tampered = Buffer.from(wrapped);
      tampered[byte] ^= 0x01;
      expect(() => unwrapDataKey(master, tampered, 'c-1')).toThrow(KeyUnwrapError);
    }
  });

  it('another version, length or master key size is refused clearly', () => {
    const wrapped = wrapDataKey(master, newDataKey(), 'c-1');
    const v2 = Buffer.from(wrapped);
    v2[0] = 2;
    expect(() => unwrapDataKey(master, v2, 'c-1')).toThrow(/unknown format version 2/);
    expect(() => unwrapDataKey(master, wrapped.subarray(0, 60), 'c-1')).toThrow(/has 60 bytes, expected 61/);
    expect(() => unwrapDataKey(master, Buffer.alloc(0), 'c-1')).toThrow(KeyUnwrapError);
    expect(() => wrapDataKey(randomBytes(16), newDataKey(), 'c-1')).toThrow(/master key must be 32 bytes/);
    expect(() => wrapDataKey(master, randomBytes(16), 'c-1')).toThrow(/data key must be 32 bytes/);
    expect(() => unwrapDataKey(randomBytes(31), wrapped, 'c-1')).toThrow(/master key must be 32 bytes/);
  });
});
