import { SEAT_STATUSES, type SeatColumns, type SeatMapSeat } from './schemas/seating.js';

export type { SeatColumns, SeatMapSeat };

const ACCESSIBLE = 1;
const OBSTRUCTED = 2;
const AISLE = 4;

/**
 * Seats → columns (getSeatMap's `seats`). A stadium's 21,000 seats as one object each were ~5 MB of
 * JSON, most of it repeated keys and strings; as columns with the sections, zones and statuses
 * named once they are ~1 MB, which the browser parses in a few milliseconds.
 */
export function seatsToColumns(seats: readonly SeatMapSeat[]): SeatColumns {
  const sections: string[] = [];
  const zones: string[] = [];
  const sectionIx = new Map<string, number>();
  const zoneIx = new Map<string, number>();
  const ix = (m: Map<string, number>, list: string[], v: string) => {
    let i = m.get(v);
    if (i === undefined) {
      m.set(v, (i = list.length));
      list.push(v);
    }
    return i;
  };
  const c: SeatColumns = {
    count: seats.length,
    sections,
    zones,
    statuses: [...SEAT_STATUSES],
    ticketId: [],
    seatId: [],
    section: [],
    row: [],
    seat: [],
    x: [],
    y: [],
    zone: [],
    priceCents: [],
    flags: [],
    status: [],
    holds: [],
  };
  seats.forEach((s, i) => {
    c.ticketId.push(s.ticketId);
    c.seatId.push(s.seatId);
    c.section.push(ix(sectionIx, sections, s.section));
    c.row.push(s.row);
    c.seat.push(s.seat);
    c.x.push(s.x);
    c.y.push(s.y);
    c.zone.push(ix(zoneIx, zones, s.zone));
    c.priceCents.push(s.priceCents);
    c.flags.push((s.accessible ? ACCESSIBLE : 0) | (s.obstructed ? OBSTRUCTED : 0) | (s.aisle ? AISLE : 0));
    c.status.push(SEAT_STATUSES.indexOf(s.status));
    if (s.status === 'held') c.holds.push({ i, mine: s.heldByMe, expiresAt: s.holdExpiresAt });
  });
  return c;
}

/** Columns → one object per seat, as the renderer and tests use them. */
export function seatsFromColumns(c: SeatColumns): SeatMapSeat[] {
  const held = new Map(c.holds.map((h) => [h.i, h]));
  const out = new Array<SeatMapSeat>(c.count);
  for (let i = 0; i < c.count; i++) {
    const f = c.flags[i]!;
    const h = held.get(i);
    out[i] = {
      ticketId: c.ticketId[i]!,
      seatId: c.seatId[i]!,
      section: c.sections[c.section[i]!]!,
      row: c.row[i]!,
      seat: c.seat[i]!,
      x: c.x[i]!,
      y: c.y[i]!,
      zone: c.zones[c.zone[i]!]!,
      priceCents: c.priceCents[i]!,
      accessible: (f & ACCESSIBLE) !== 0,
      obstructed: (f & OBSTRUCTED) !== 0,
      aisle: (f & AISLE) !== 0,
      status: c.statuses[c.status[i]!] as SeatMapSeat['status'],
      heldByMe: h?.mine ?? false,
      holdExpiresAt: h?.expiresAt ?? null,
    };
  }
  return out;
}
