import { AppError } from '../../../shared/errors.js';
import { tzOffsetMinutes } from '../../../shared/time.js';

// Reports count days in the caller's time zone while orders carry UTC instants. Rather than asking
// SQL for offsets (SQLite has no time-zone data), SQL groups by UTC hour (or minute) and these
// helpers fold the buckets into local days using each day's real UTC start, so DST days of 23 or
// 25 hours land correctly.

/** Offset of `tz` from UTC in minutes at the instant `ms` (Chicago in winter: -360). */
export const offsetMinutes = tzOffsetMinutes;

/** The local calendar date of an instant in `tz`, as YYYY-MM-DD. */
export function localDateOf(ms: number, tz: string): string {
  return new Date(ms + offsetMinutes(tz, ms) * 60000).toISOString().slice(0, 10);
}

/** The UTC instant at which local day `date` begins in `tz`. */
export function localDayStartMs(date: string, tz: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  let t = guess - offsetMinutes(tz, guess) * 60000;
  t = guess - offsetMinutes(tz, t) * 60000;
  return t;
}

export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

export interface ResolvedRange {
  tz: string;
  fromUtc: string;
  toUtc: string;
  /** Local days touched by the range, in order. */
  days: string[];
  /** dayStarts[i] is the UTC start of days[i]; the last entry is the end of the last day. */
  dayStarts: number[];
  /** Characters of the UTC ISO text to group by: 13 (hour) when every day starts on a UTC hour, else 16 (minute). */
  bucketChars: 13 | 16;
}

const isDate = (s: string) => s.length === 10;
const MAX_DAYS = 3700;

/**
 * from/to are local days (to inclusive) or instants (to exclusive). Defaults: `to` today in tz,
 * `from` 29 days before `to`, so the default is the last 30 days.
 */
export function resolveRange(from: string | undefined, to: string | undefined, tz: string, nowMs = Date.now()): ResolvedRange {
  const toMs = to === undefined ? localDayStartMs(addDays(localDateOf(nowMs, tz), 1), tz) : isDate(to) ? localDayStartMs(addDays(to, 1), tz) : Date.parse(to);
  const fromMs =
    from === undefined
      ? localDayStartMs(addDays(localDateOf(toMs - 1, tz), -29), tz)
      : isDate(from)
        ? localDayStartMs(from, tz)
        : Date.parse(from);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new AppError('VALIDATION_FAILED', 'from/to are not valid dates', { from, to });
  if (fromMs >= toMs) throw new AppError('VALIDATION_FAILED', '`from` must be before `to`', { field: 'from', from, to });
  const first = localDateOf(fromMs, tz);
  const last = localDateOf(toMs - 1, tz);
  const days: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > MAX_DAYS) throw new AppError('VALIDATION_FAILED', `a report covers at most ${MAX_DAYS} days`, { from, to });
  }
  const dayStarts = [...days.map((d) => localDayStartMs(d, tz)), localDayStartMs(addDays(last, 1), tz)];
  const bucketChars = dayStarts.every((ms) => ms % 3600000 === 0) ? 13 : 16;
  return { tz, fromUtc: new Date(fromMs).toISOString(), toUtc: new Date(toMs).toISOString(), days, dayStarts, bucketChars };
}

/** Index into range.days of a UTC bucket key ("2026-11-21T05" or "2026-11-21T05:30"), or -1. */
export function dayIndexOfBucket(range: ResolvedRange, key: string): number {
  const ms = Date.parse(key.length === 13 ? `${key}:00:00Z` : `${key}:00Z`);
  const s = range.dayStarts;
  let lo = 0;
  let hi = s.length - 2;
  if (ms < s[0]! || ms >= s[s.length - 1]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Monday of the ISO week of a local date. */
export function weekOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((dow + 6) % 7));
}
