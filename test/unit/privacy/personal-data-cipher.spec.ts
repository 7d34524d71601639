import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ERASED, erasedData } from '../../../src/customer/personal-data';
import { isSealed, needsSealing, openData, sealData, SEALED_FIELD } from '../../../src/privacy/personal-data-cipher';

const key = randomBytes(32);
const registered = { customerId: 'c-1', name: 'Li Wei', email: 'li.wei@example.com', phone: null, address: '1 Main St', outletId: 'o-1', preferences: { channels: [], categories: [] }, occurredAt: '2026-01-01T00:00:00.000Z' };

describe('personal data cipher', () => {
  it('moves the personal fields with a value into one ciphertext and leaves the rest (and nulls) in clear', () => {
    const stored = sealData('CustomerRegistered', registered, key, 'c-1');
    expect(isSealed(stored)).toBe(true);
    expect(stored).toEqual({ customerId: 'c-1', phone: null, outletId: 'o-1', preferences: { channels: [], categories: [] }, occurredAt: '2026-01-01T00:00:00.000Z', [SEALED_FIELD]: expect.stringMatching(/^v1\.name,email,address\.[A-Za-z0-9+/=]+$/) });
    expect(JSON.stringify(stored)).not.toMatch(/Li Wei|li\.wei|Main St/);
  });

  it('opens to the data as given', () => {
    expect(openData('CustomerRegistered', sealData('CustomerRegistered', registered, key, 'c-1'), key, 'c-1')).toEqual(registered);
  });

  it('reads a destroyed key as erased placeholders for the fields that held a value', () => {
    const opened = openData('CustomerRegistered', sealData('CustomerRegistered', registered, key, 'c-1'), null, 'c-1');
    expect(opened).toEqual({ ...registered, name: ERASED, email: ERASED, address: ERASED });
    expect(opened).toEqual(erasedData('CustomerRegistered', registered));
  });

  it('leaves data without personal values, and events of types without personal fields, as they are', () => {
    const noNotes = { customerId: 'c-1', followUpId: 'f1', outcome: 'reached', notes: null, satisfaction: null, occurredAt: '2026-01-01T00:00:00.000Z' };
    expect(needsSealing('FollowUpCompleted', noNotes)).toBe(false);
    expect(sealData('FollowUpCompleted', noNotes, key, 'c-1')).toBe(noNotes);
    const visit = { customerId: 'c-1', visitId: 'v1', occurredAt: '2026-01-01T00:00:00.000Z' };
    expect(sealData('CustomerVisited', visit, key, 'c-1')).toBe(visit);
  });

  it('reads unsealed data (stored in clear by an earlier release) as it is', () => {
    expect(openData('CustomerRegistered', registered, key, 'c-1')).toBe(registered);
  });

  it('refuses a ciphertext moved to another customer or event type, a wrong key, or a changed byte', () => {
    const stored = sealData('ComplaintFiled', { customerId: 'c-1', complaintId: 'k1', description: 'my phone is 555', occurredAt: '2026-01-01T00:00:00.000Z' }, key, 'c-1');
    expect(() => openData('ComplaintFiled', stored, key, 'c-2')).toThrow();
    expect(() => openData('ComplaintResolved', stored, key, 'c-1')).toThrow();
    expect(() => openData('ComplaintFiled', stored, randomBytes(32), 'c-1')).toThrow();
    const sealed = stored[SEALED_FIELD] as string;
    const tampered = sealed.slice(0, -6) + (sealed.at(-6) === 'A' ? 'B' : 'A') + sealed.slice(-5);
    expect(() => openData('ComplaintFiled', { ...stored, [SEALED_FIELD]: tampered }, key, 'c-1')).toThrow();
  });

  it('round-trips any text, and never leaves it in the stored form', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6 }), fc.option(fc.emailAddress(), { nil: null }), (name, email) => {
        // A name that the clear part holds anyway (a date, a field name) proves nothing.
        fc.pre(!JSON.stringify({ ...registered, name: null, email: null, sealed: 'v1.name,email,address.' }).includes(JSON.stringify(name).slice(1, -1)));
        const data = { ...registered, name, email };
        const stored = sealData('CustomerRegistered', data, key, 'c-1');
        expect(JSON.stringify(stored)).not.toContain(JSON.stringify(name).slice(1, -1));
        expect(openData('CustomerRegistered', stored, key, 'c-1')).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });
});
