/** Business-time arithmetic on ISO instants, and the one instant grammar of the API; the domain never reads a clock. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const toMs = (iso: string): number => Date.parse(iso);
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const addDays = (iso: string, days: number): string => toIso(toMs(iso) + days * DAY_MS);
export const addHours = (iso: string, hours: number): string => toIso(toMs(iso) + hours * HOUR_MS);
/** The later of two UTC instants in the canonical form (`toIso`), where string order is time order. */
export const later = (a: string | null, b: string): string => (a !== null && a > b ? a : b);

/** RFC 3339 `date-time`: a full date, `T`, a time with at most millisecond fractions, and `Z` or an offset. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-](\d{2}):(\d{2}))$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const INSTANT_RULE = 'an RFC 3339 date-time with Z or an offset, e.g. 2026-11-24T10:00:00Z (years 1970–9999)';

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The instant `text` names, as UTC with milliseconds, or null when it is not an RFC 3339
 * date-time: ISO week or ordinal dates, date-only, no offset, `2026-02-30`, hour 24, more than
 * millisecond precision and years outside 1970–9999 are all refused.
 */
export function parseInstant(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const match = INSTANT.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone, oh, om] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (year < 1970 || !isCalendarDate(year, month, day)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    if (Number(oh) > 23 || Number(om) > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  }
  const ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), Number((fraction ?? '0').padEnd(3, '0'))) - offset;
  if (ms < MIN_MS || ms > MAX_MS) return null;
  return toIso(ms);
}

/** A calendar date `YYYY-MM-DD` (birthdays), years 1900–9999, or null. */
export function parseDate(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1900 && isCalendarDate(year, month, day) ? text : null;
}
