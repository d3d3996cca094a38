// Time helpers: events are stored with their local wall time and offset, plus the UTC instant.

// One formatter per zone: building an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset in minutes of `tz` at the UTC instant `utcMs` (e.g. -300 for Chicago in summer). */
export function tzOffsetMinutes(tz: string, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "2019-09-14T18:10" wall time in `tz` → "2019-09-14T18:10:00-07:00". */
export function localToOffsetDateTime(local: string, tz: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  let offset = tzOffsetMinutes(tz, guess);
  offset = tzOffsetMinutes(tz, guess - offset * 60000);
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  return `${wall}${formatOffset(offset)}`;
}

/** Any offset date-time → the UTC instant as "YYYY-MM-DDTHH:MM:SS.sssZ" (sorts as text). */
export function toUtcIso(offsetDateTime: string): string {
  const ms = Date.parse(offsetDateTime);
  if (Number.isNaN(ms)) throw new Error(`not a date-time: ${offsetDateTime}`);
  return new Date(ms).toISOString();
}

/** Keeps the wall time the caller wrote (with its offset), normalised to seconds. */
export function normaliseOffsetDateTime(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
  if (!m) throw new Error(`not an offset date-time: ${value}`);
  let off = m[3] as string;
  if (off === 'Z') off = '+00:00';
  else if (!off.includes(':')) off = `${off.slice(0, 3)}:${off.slice(3)}`;
  return `${m[1]}:${m[2] ?? '00'}${off}`;
}

export const nowIso = () => new Date().toISOString();
