/** Business-time arithmetic on ISO instants, and the one instant grammar of the API; the domain never reads a clock. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The two digits of `text` at `at` as a number, or NaN. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/**
 * The instant as milliseconds: what Date.parse gives, twice as fast for the canonical form
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`, the only one the domain stores), which the rules parse millions of
 * times in a replay. Anything else, years before 1970 and days past the 28th (month lengths) go
 * to Date.parse.
 */
export function toMs(iso: string): number {
  if (
    // A command's instant may arrive as anything JSON holds (null, a number): Date.parse's NaN, not a TypeError.
    typeof iso !== 'string' ||
    iso.length !== 24 ||
    iso.charCodeAt(23) !== 90 /* Z */ ||
    iso.charCodeAt(10) !== 84 /* T */ ||
    iso.charCodeAt(4) !== 45 /* - */ ||
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(13) !== 58 /* : */ ||
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46 /* . */
  )
    return Date.parse(iso);
  const year = twoDigits(iso, 0) * 100 + twoDigits(iso, 2);
  const month = twoDigits(iso, 5);
  const day = twoDigits(iso, 8);
  const hour = twoDigits(iso, 11);
  const minute = twoDigits(iso, 14);
  const second = twoDigits(iso, 17);
  const last = iso.charCodeAt(22) - 48;
  const ms = twoDigits(iso, 20) * 10 + (last >= 0 && last <= 9 ? last : NaN);
  if (!(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Date.parse(iso);
  return daysFromCivil(year, month, day) * DAY_MS + hour * HOUR_MS + minute * 60_000 + second * 1000 + ms;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
/** 9999-12-31T23:59:59.999Z: the last instant with a four-digit year. */
const LAST_FOUR_DIGIT_MS = 253_402_300_799_999;

/**
 * The canonical form of an instant (what Date#toISOString gives), four times as fast for years
 * 1970–9999: the civil date from the day number (the inverse of daysFromCivil).
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
  const digits = TWO_DIGITS;
  // Concatenation, not a template literal: measured 220 against 360 ns a call.
  return digits[Math.floor(year / 100)] + digits[year % 100] + '-' + digits[month] + '-' + digits[day] + 'T' + digits[hour] + ':' + digits[minute] + ':' + digits[second] + '.' + THREE_DIGITS[rest - second * 1000] + 'Z';
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
