/**
 * The local date of an instant in an IANA time zone. `Intl.DateTimeFormat#format` takes about
 * 4 µs a call, and outlet_activity asks twice for every event it reads: it was a tenth of a
 * rebuild's fold. Here the zone's offset is looked up once per UTC hour and the date computed from
 * it; an hour in which the offset changes (a daylight-saving switch) is answered by Intl itself.
 */
import { toIso, toMs } from '../src/customer/time';

const HOUR_MS = 3_600_000;
/** Hours whose offset a zone remembers (about eleven years of them) before it starts again. */
const MAX_CACHED_HOURS = 100_000;
/** 9999-12-31T00:00:00.000Z: local instants before it have four-digit years (toIso's range). */
const LAST_FAST_MS = 253_402_214_400_000;

interface Zone {
  /** The date, as `localDay` answers it (en-CA writes YYYY-MM-DD). */
  date: Intl.DateTimeFormat;
  /** The wall clock, to read the offset from. */
  clock: Intl.DateTimeFormat;
  /** UTC hour → the zone's offset (ms) all through it, or null when the offset changes within it. */
  offsets: Map<number, number | null>;
}

const zones = new Map<string, Zone>();

function zoneOf(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    zone = {
      date: new Intl.DateTimeFormat('en-CA', { timeZone: name, year: 'numeric', month: '2-digit', day: '2-digit' }),
      clock: new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }),
      offsets: new Map(),
    };
    zones.set(name, zone);
  }
  return zone;
}

/** The zone's offset from UTC at `ms`, to the second: its wall clock read as if it were UTC, less the instant. */
function offsetAt(zone: Zone, ms: number): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of zone.clock.formatToParts(ms)) if (type !== 'literal') parts[type] = Number(value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The offset all through the UTC hour of `ms`, or null when it differs between the hour's first and last millisecond. */
function hourOffset(zone: Zone, ms: number): number | null {
  const hour = Math.floor(ms / HOUR_MS);
  const cached = zone.offsets.get(hour);
  if (cached !== undefined) return cached;
  const first = offsetAt(zone, hour * HOUR_MS);
  const offset = first === offsetAt(zone, hour * HOUR_MS + HOUR_MS - 1) ? first : null;
  if (zone.offsets.size >= MAX_CACHED_HOURS) zone.offsets.clear();
  zone.offsets.set(hour, offset);
  return offset;
}

/** The local date (YYYY-MM-DD) of the instant `iso` in the IANA time zone `zone`. Pure. */
export function localDay(iso: string, zoneName: string): string {
  const zone = zoneOf(zoneName);
  const ms = toMs(iso);
  const offset = Number.isInteger(ms) ? hourOffset(zone, ms) : null;
  const local = offset === null ? NaN : ms + offset;
  if (!(local >= 0 && local < LAST_FAST_MS)) return zone.date.format(new Date(iso));
  return toIso(local).slice(0, 10);
}
