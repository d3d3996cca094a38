import { displayMoney } from '../../shared/money.js';

export const money = (cents: number | null | undefined, currency = 'USD') => (cents === null || cents === undefined ? '—' : displayMoney(cents, currency));

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

/**
 * Event times travel as the venue's local wall time with its offset ("2026-12-05T19:30:00-06:00").
 * Show that wall time as written, never converted to the kiosk's own zone.
 */
function wallDate(startsAt: string): Date | null {
  const m = WALL.exec(startsAt);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
}

export function eventDate(startsAt: string): string {
  const d = wallDate(startsAt);
  if (!d) return startsAt;
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(d);
}

export function eventTime(startsAt: string): string {
  const d = wallDate(startsAt);
  if (!d) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(d);
}

/** "Sat, Dec 5, 2026 · 7:30 PM CST" — the zone name comes from the venue's IANA zone when known. */
export function eventDateTime(startsAt: string, timezone?: string): string {
  let zone = '';
  if (timezone) {
    try {
      const part = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'short' })
        .formatToParts(new Date(startsAt))
        .find((p) => p.type === 'timeZoneName');
      zone = part ? ` ${part.value}` : '';
    } catch {
      zone = '';
    }
  }
  return `${eventDate(startsAt)} · ${eventTime(startsAt)}${zone}`;
}

/** A UTC instant (order createdAt) in the kiosk's own zone. */
export function instant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** yyyy-mm-dd of today (+ days) in the kiosk's zone, for date inputs. */
export function isoDay(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function seatLabel(t: { section: string; row: string; seat: string | null }): string {
  return `Sec ${t.section} · Row ${t.row}${t.seat ? ` · Seat ${t.seat}` : ''}`;
}

/** Cash the customer is likely to hand over: exact, then the next round notes ($10, $20, $50, $100). */
export function quickCash(totalCents: number): number[] {
  const out = [totalCents];
  for (const step of [1000, 2000, 5000, 10000]) {
    const up = Math.ceil(totalCents / step) * step;
    if (up > totalCents && !out.includes(up)) out.push(up);
  }
  return out.slice(0, 4);
}
