/** Business-time arithmetic on ISO instants, and the one instant grammar of the API; the domain never reads a clock. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Digits of `text` from `start` to `end` as a number, or NaN if one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The instant as milliseconds: what Date.parse gives, about twice as fast for the canonical form
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`, the only one the domain stores), which the rules parse millions of
 * times in a replay. Anything else, years before 1970 (Date.UTC reads 0–99 as 1900–1999) and days past the 28th
 * (month lengths) go to Date.parse.
 */
export function toMs(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */) return Date.parse(iso);
  const [year, month, day] = [digits(iso, 0, 4), digits(iso, 5, 7), digits(iso, 8, 10)];
  const [hour, minute, second, ms] = [digits(iso, 11, 13), digits(iso, 14, 16), digits(iso, 17, 19), digits(iso, 20, 23)];
  const separators = iso[4] === '-' && iso[7] === '-' && iso[13] === ':' && iso[16] === ':' && iso[19] === '.';
  if (!separators || !(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Date.parse(iso);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
/** 9999-12-31T23:59:59.999Z: the last instant with a four-digit year. */
const LAST_FOUR_DIGIT_MS = 253_402_300_799_999;

/**
 * The canonical form of an instant (what Date#toISOString gives), about four times as fast for
 * years 1970–9999: the civil date from the day number (H. Hinnant's days_from_civil inverse).
 */
export function toIso(ms: number): string {
  if (!(ms >= 0 && ms <= LAST_FOUR_DIGIT_MS && Number.isInteger(ms))) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / HOUR_MS);
  rest -= hour * HOUR_MS;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[rest - second * 1000]}Z`;
}
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
