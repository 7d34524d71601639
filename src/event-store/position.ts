/**
 * Global positions are opaque strings to clients: `commit/prepare`, both unsigned integers
 * (EventStoreDB's log positions; the SQLite store uses its sequence number for both).
 * Kept as bigint so positions above 2^53 never lose precision.
 */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

const POSITION = /^(\d{1,20})\/(\d{1,20})$/;

export function encodePosition(position: LogPosition): string {
  return `${position.commit}/${position.prepare}`;
}

/** Parses a position string; returns null when it is not one. */
export function parsePosition(text: string): LogPosition | null {
  const match = POSITION.exec(text);
  if (!match) return null;
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export function decodePosition(text: string): LogPosition {
  const position = parsePosition(text);
  if (!position) throw new RangeError(`not a log position: ${text}`);
  return position;
}

/** Negative if a is before b, 0 if equal, positive if after. */
export function comparePositions(a: string, b: string): number {
  const x = decodePosition(a);
  const y = decodePosition(b);
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  if (x.prepare !== y.prepare) return x.prepare < y.prepare ? -1 : 1;
  return 0;
}

/** Position of the SQLite store's sequence number `seq`. */
export const sequencePosition = (seq: number | bigint): string => `${seq}/${seq}`;
