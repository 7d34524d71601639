import fc from 'fast-check';
import { localDay } from '../../../projections/local-day';

/** What localDay answers with, the slow way: Intl for every call. */
const reference = (iso: string, zone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

// Daylight-saving zones, half- and quarter-hour offsets, a half-hour DST shift, a zone that skipped a day (Apia, 2011-12-30).
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/London', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Apia', 'Pacific/Chatham'];

describe('localDay', () => {
  it('gives the date Intl gives, for any instant from 1900 to 2200 in any of these zones', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), fc.constantFrom(...ZONES), (ms, zone) => {
        const iso = new Date(ms).toISOString();
        expect(localDay(iso, zone)).toBe(reference(iso, zone));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the date Intl gives minute by minute across daylight-saving switches and midnights', () => {
    const spans: [string, string][] = [
      ['America/New_York', '2026-03-08T04:00:00.000Z'],
      ['America/New_York', '2026-11-01T03:30:00.000Z'],
      ['Europe/London', '2026-03-29T00:00:00.000Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00.000Z'],
      ['Pacific/Apia', '2011-12-30T09:00:00.000Z'],
      ['Asia/Kathmandu', '2026-06-30T17:00:00.000Z'],
      // Newfoundland switched at 00:01 local until 2011: in the autumn the clock went back from 00:01 to 23:01 the day before, at 02:31 UTC.
      ['America/St_Johns', '2010-11-07T01:00:00.000Z'],
    ];
    for (const [zone, from] of spans) {
      for (let minute = 0; minute < 240; minute++) {
        const iso = new Date(Date.parse(from) + minute * 60_000 + (minute % 7) * 1_013).toISOString();
        expect([zone, iso, localDay(iso, zone)]).toEqual([zone, iso, reference(iso, zone)]);
      }
    }
  });

  it('gives what Intl gives for instants outside the fast range, and throws as Intl does on a non-instant', () => {
    expect(localDay('9999-12-31T20:00:00.000Z', 'Asia/Shanghai')).toBe(reference('9999-12-31T20:00:00.000Z', 'Asia/Shanghai'));
    expect(localDay('1969-12-31T20:00:00.000Z', 'Asia/Shanghai')).toBe('1970-01-01');
    expect(localDay('2026-03-01T16:00:00+08:00', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(() => localDay('not a time', 'UTC')).toThrow(RangeError);
  });
});
