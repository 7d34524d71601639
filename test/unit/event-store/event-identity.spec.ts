import fc from 'fast-check';
import { commandEventId, nameBasedEventId } from '../../../src/event-store/event-id';
import { chainHash, GENESIS_HASH, verifyChain } from '../../../src/event-store/hash-chain';
import { comparePositions, decodePosition, encodePosition, parsePosition, sequencePosition } from '../../../src/event-store/position';

describe('event ids', () => {
  it('are RFC 9562 version-5 UUIDs, the same for the same command and index', () => {
    const id = commandEventId('customer-c-1', 'idempotency:key-1', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(commandEventId('customer-c-1', 'idempotency:key-1', 0)).toBe(id);
  });

  it('differ by stream, command and index (no separator ambiguity)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(100), fc.string(), fc.string(), fc.nat(100), (s1, c1, i1, s2, c2, i2) => {
        fc.pre(s1 !== s2 || c1 !== c2 || i1 !== i2);
        expect(commandEventId(s1, c1, i1)).not.toBe(commandEventId(s2, c2, i2));
      }),
    );
    expect(nameBasedEventId('a')).not.toBe(nameBasedEventId('b'));
  });
});

describe('log positions', () => {
  it('round-trip as commit/prepare strings, exactly above 2^53 and up to 2^64-1', () => {
    const big = { commit: 2n ** 64n - 1n, prepare: 2n ** 53n + 1n };
    expect(encodePosition(big)).toBe('18446744073709551615/9007199254740993');
    expect(decodePosition(encodePosition(big))).toEqual(big);
    expect(sequencePosition(42)).toBe('42/42');
    expect(sequencePosition(2n ** 60n)).toBe(`${2n ** 60n}/${2n ** 60n}`);
    expect(parsePosition('12')).toBeNull();
    expect(parsePosition('-1/2')).toBeNull();
    expect(() => decodePosition('x')).toThrow(RangeError);
  });

  it('compare by commit, then prepare, numerically (not as strings)', () => {
    expect(comparePositions('9/9', '10/10')).toBeLessThan(0);
    expect(comparePositions('10/3', '10/2')).toBeGreaterThan(0);
    expect(comparePositions('7/7', '7/7')).toBe(0);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (a, b) => {
        const sign = Math.sign(comparePositions(sequencePosition(a), sequencePosition(b)));
        expect(sign).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});

describe('hash chain', () => {
  const content = (n: number) => ({ type: 'CustomerVisited', data: { visitId: `v${n}`, outletId: 'o', nested: { b: 2, a: 1 } }, occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:01.000Z' });

  function chain(length: number) {
    const events = [];
    let prev = GENESIS_HASH;
    for (let n = 0; n < length; n++) {
      const c = content(n);
      const hash = chainHash(prev, c);
      events.push({ type: c.type, data: c.data as Record<string, unknown>, revision: BigInt(n), metadata: { occurredAt: c.occurredAt, recordedAt: c.recordedAt, prevHash: prev, hash } });
      prev = hash;
    }
    return events;
  }

  async function* iterate<T>(items: T[]) {
    yield* items;
  }

  it('does not depend on key order (canonical JSON)', () => {
    const a = content(1);
    expect(chainHash(GENESIS_HASH, a)).toBe(chainHash(GENESIS_HASH, { ...a, data: { nested: { a: 1, b: 2 }, outletId: 'o', visitId: 'v1' } }));
  });

  it('verifies an untouched history, and reports the first altered revision once', async () => {
    const events = chain(5);
    expect(await verifyChain(iterate(events))).toEqual({ valid: true, events: 5, headHash: events[4].metadata.hash });
    events[2] = { ...events[2], data: { ...events[2].data, outletId: 'forged' } };
    expect(await verifyChain(iterate(events))).toMatchObject({ valid: false, events: 5, firstInvalidRevision: 2 });
  });

  it('reports a removed event as a gap at the revision where it is missing', async () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(await verifyChain(iterate(events))).toMatchObject({ valid: false, firstInvalidRevision: 1 });
  });
});
