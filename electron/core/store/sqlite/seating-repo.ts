import type SQLite from 'better-sqlite3';
import { AppError, notFound } from '../../../../shared/errors.js';
import type { SeatChange } from '../../live/change-feed.js';
import type { ChartLayout } from '../../services/chart-layout.js';
import type { Store } from './database.js';

/**
 * Seating SQL: charts, holds, reservations, order cancellation. Holds race (two terminals click the
 * same seat), so every change is a guarded UPDATE/DELETE whose changed-row count is checked, run
 * inside the caller's BEGIN IMMEDIATE (store.writeSync) or group-commit savepoint. Statements are
 * prepared once per connection: a 20,000-seat event is created and read in one pass.
 *
 * Invariant: a ticket is 'held' exactly while it has a seat_holds row (primary key ticket_id, so never
 * two). A row whose expires_at has passed no longer counts: readers show the seat available, holds
 * and sales take it over, and sweeps delete it.
 */
function prepare(db: SQLite.Database) {
  return {
    insertChart: db.prepare<[number | null, string, string, number, number, number, string]>(
      'INSERT INTO seating_charts (venue_id, name, description_json, seat_count, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertSeat: db.prepare<[number, string, string, string, number, number, number, number, string, number, number, number]>(
      `INSERT INTO chart_seats (chart_id, section, row, seat, row_order, seat_order, x, y, zone, accessible, obstructed, aisle)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    seatedEvents: db.prepare<[], { event_id: number; name: string; starts_at: string; venue_name: string; timezone: string; chart_id: number; chart_name: string; seat_count: number }>(
      `SELECT e.id AS event_id, e.name, e.starts_at, v.name AS venue_name, v.timezone, c.id AS chart_id, c.name AS chart_name, c.seat_count
         FROM events e JOIN seating_charts c ON c.id = e.seating_chart_id JOIN venues v ON v.id = e.venue_id
        ORDER BY e.starts_at_utc, e.id`,
    ),
    chart: db.prepare<[number], ChartRow>('SELECT * FROM seating_charts WHERE id = ?'),
    charts: db.prepare<[], ChartRow>('SELECT * FROM seating_charts ORDER BY id'),
    chartSeats: db.prepare<[number], ChartSeatRow>('SELECT * FROM chart_seats WHERE chart_id = ? ORDER BY section, row_order, seat_order'),
    event: db.prepare<[number], { id: number; name: string; capacity: number | null; seating_chart_id: number | null }>(
      'SELECT id, name, capacity, seating_chart_id FROM events WHERE id = ?',
    ),
    setEventChart: db.prepare<[number, string, number]>('UPDATE events SET seating_chart_id = ?, updated_at = ? WHERE id = ? AND seating_chart_id IS NULL'),
    sellerExists: db.prepare<[number]>('SELECT 1 FROM sellers WHERE id = ?').pluck(),
    insertListing: db.prepare<[number, number, string, string, string, number, number, string, string]>(
      `INSERT INTO listings (event_id, seller_id, section, row, seats_json, quantity, price_cents, currency, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ui', ?)`,
    ),
    // One ticket per seat of a (section, row, zone) group, copied inside SQLite.
    insertRowTickets: db.prepare<[number, number, number, number, string, string, number, string, string, string]>(
      `INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at, chart_seat_id)
       SELECT ?, ?, ?, section, row, seat, ?, ?, ?, id FROM chart_seats
        WHERE chart_id = ? AND section = ? AND row = ? AND zone = ? ORDER BY seat_order`,
    ),
    seatMap: db.prepare<[number, number], SeatMapRow>(
      `SELECT cs.id AS seat_id, cs.section, cs.row, cs.seat, cs.x, cs.y, cs.zone, cs.accessible, cs.obstructed, cs.aisle,
              t.id AS ticket_id, t.status, t.price_cents, t.currency, h.holder, h.expires_at
         FROM chart_seats cs
         LEFT JOIN tickets t ON t.chart_seat_id = cs.id AND t.event_id = ?
         LEFT JOIN seat_holds h ON h.ticket_id = t.id
        WHERE cs.chart_id = ?
        ORDER BY cs.id`,
    ),
    // Guarded: only an available ticket of this event becomes held.
    markHeld: db.prepare<[string, number, number]>("UPDATE tickets SET status = 'held', updated_at = ? WHERE id = ? AND event_id = ? AND status = 'available'"),
    insertHold: db.prepare<[number, number, string, number | null, string | null, string]>(
      'INSERT INTO seat_holds (ticket_id, event_id, holder, reservation_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    hold: db.prepare<[number], { holder: string; expires_at: string | null; reservation_id: number | null; event_id: number }>(
      'SELECT holder, expires_at, reservation_id, event_id FROM seat_holds WHERE ticket_id = ?',
    ),
    // Guarded: refresh my own hold, or take over one that has lapsed; never someone's live hold.
    takeHold: db.prepare<[string, string | null, string, number, string, string]>(
      `UPDATE seat_holds SET holder = ?, expires_at = ?, created_at = ?, reservation_id = NULL
        WHERE ticket_id = ? AND reservation_id IS NULL AND (holder = ? OR (expires_at IS NOT NULL AND expires_at <= ?))`,
    ),
    ticket: db.prepare<[number], { id: number; event_id: number; status: string; section: string; row: string; seat: string | null; price_cents: number }>(
      'SELECT id, event_id, status, section, row, seat, price_cents FROM tickets WHERE id = ?',
    ),
    deleteOwnHold: db.prepare<[number, string]>('DELETE FROM seat_holds WHERE ticket_id = ? AND holder = ? AND reservation_id IS NULL'),
    markAvailable: db.prepare<[string, number]>("UPDATE tickets SET status = 'available', updated_at = ? WHERE id = ? AND status = 'held'"),
    lapsed: db.prepare<[string], { ticket_id: number; event_id: number }>(
      'SELECT ticket_id, event_id FROM seat_holds WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY event_id LIMIT 5000',
    ),
    lapsedOfEvent: db.prepare<[number, string], { ticket_id: number; event_id: number }>(
      'SELECT ticket_id, event_id FROM seat_holds WHERE event_id = ? AND expires_at IS NOT NULL AND expires_at <= ?',
    ),
    deleteLapsed: db.prepare<[number, string]>('DELETE FROM seat_holds WHERE ticket_id = ? AND expires_at IS NOT NULL AND expires_at <= ?'),
    holdsOfEvent: db.prepare<[number, string], HoldRow>(
      `SELECT h.ticket_id, h.event_id, h.holder, h.expires_at, h.reservation_id, t.section, t.row, t.seat, t.price_cents
         FROM seat_holds h JOIN tickets t ON t.id = h.ticket_id
        WHERE h.event_id = ? AND (h.expires_at IS NULL OR h.expires_at > ?) ORDER BY h.ticket_id`,
    ),
    // The sale guard for held tickets: the holder's own hold (or reservation), or a lapsed hold of anyone.
    sellHeld: db.prepare<[string, number, string, string], { price_cents: number; currency: string }>(
      `UPDATE tickets SET status = 'sold', updated_at = ?
        WHERE id = ? AND status = 'held'
          AND EXISTS (SELECT 1 FROM seat_holds h WHERE h.ticket_id = tickets.id
                       AND (h.holder = ? OR (h.expires_at IS NOT NULL AND h.expires_at <= ?)))
        RETURNING price_cents, currency`,
    ),
    counts: db.prepare<[{ now: string; event: number }], CountsRow>(
      `SELECT count(*) AS tickets,
              coalesce(sum(t.status = 'sold'), 0) AS sold,
              coalesce(sum(t.status = 'held' AND h.reservation_id IS NULL AND (h.expires_at IS NULL OR h.expires_at > @now)), 0) AS held,
              coalesce(sum(t.status = 'held' AND h.reservation_id IS NOT NULL), 0) AS reserved,
              coalesce(sum(t.status = 'available' OR (t.status = 'held' AND h.reservation_id IS NULL AND h.expires_at <= @now)), 0) AS available
         FROM tickets t LEFT JOIN seat_holds h ON h.ticket_id = t.id
        WHERE t.event_id = @event AND t.status <> 'void'`,
    ),
    revenue: db.prepare<[number]>(
      `SELECT coalesce(sum(oi.price_cents), 0) FROM order_items oi
         JOIN tickets t ON t.id = oi.ticket_id JOIN orders o ON o.id = oi.order_id
        WHERE t.event_id = ? AND oi.voided_at IS NULL AND o.status = 'completed'`,
    ).pluck(),
    pickAvailable: db.prepare<[number, number]>("SELECT id FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY price_cents, id LIMIT ?").pluck(),
    insertReservation: db.prepare<[number, string, number, string | null, string, string]>(
      "INSERT INTO reservations (event_id, holder, quantity, status, customer_name, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)",
    ),
    reservation: db.prepare<[number], ReservationRow>('SELECT * FROM reservations WHERE id = ?'),
    reservationsOfEvent: db.prepare<[number], ReservationRow>('SELECT * FROM reservations WHERE event_id = ? ORDER BY id'),
    reservationTickets: db.prepare<[number]>('SELECT ticket_id FROM seat_holds WHERE reservation_id = ? ORDER BY ticket_id').pluck(),
    cancelReservation: db.prepare<[string | null, string, number]>(
      "UPDATE reservations SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ? AND status = 'active'",
    ),
    deleteReservationHolds: db.prepare<[number]>('DELETE FROM seat_holds WHERE reservation_id = ? RETURNING ticket_id').pluck(),
    order: db.prepare<[string], { id: number; status: string }>('SELECT id, status FROM orders WHERE code = ?'),
    cancelOrder: db.prepare<[string, string, number]>(
      "UPDATE orders SET status = 'cancelled', cancel_reason = ?, cancelled_at = ? WHERE id = ? AND status = 'completed'",
    ),
    voidItems: db.prepare<[string, number]>('UPDATE order_items SET voided_at = ? WHERE order_id = ? AND voided_at IS NULL RETURNING ticket_id').pluck(),
    unsell: db.prepare<[string, number], { event_id: number }>(
      "UPDATE tickets SET status = 'available', updated_at = ? WHERE id = ? AND status = 'sold' RETURNING event_id",
    ),
    eventsOfTickets: db.prepare<[string]>('SELECT DISTINCT event_id FROM tickets WHERE id IN (SELECT value FROM json_each(?))').pluck(),
    ticketsOfEventIn: db.prepare<[number, string]>('SELECT id FROM tickets WHERE event_id = ? AND id IN (SELECT value FROM json_each(?))').pluck(),
  };
}

export interface ChartRow {
  id: number;
  venue_id: number | null;
  name: string;
  description_json: string;
  seat_count: number;
  width: number;
  height: number;
  created_at: string;
}
export interface ChartSeatRow {
  id: number;
  chart_id: number;
  section: string;
  row: string;
  seat: string;
  row_order: number;
  seat_order: number;
  x: number;
  y: number;
  zone: string;
  accessible: number;
  obstructed: number;
  aisle: number;
}
export interface SeatMapRow {
  seat_id: number;
  section: string;
  row: string;
  seat: string;
  x: number;
  y: number;
  zone: string;
  accessible: number;
  obstructed: number;
  aisle: number;
  ticket_id: number | null;
  status: string | null;
  price_cents: number | null;
  currency: string | null;
  holder: string | null;
  expires_at: string | null;
}
export interface HoldRow {
  ticket_id: number;
  event_id: number;
  holder: string;
  expires_at: string | null;
  reservation_id: number | null;
  section: string;
  row: string;
  seat: string | null;
  price_cents: number;
}
export interface CountsRow {
  tickets: number;
  sold: number;
  held: number;
  reserved: number;
  available: number;
}
export interface ReservationRow {
  id: number;
  event_id: number;
  holder: string;
  quantity: number;
  status: 'active' | 'cancelled' | 'completed';
  customer_name: string | null;
  order_id: number | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<SQLite.Database, Statements>();

export function seatingStatements(db: SQLite.Database): Statements {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

const isLive = (expiresAt: string | null, now: string) => expiresAt === null || expiresAt > now;

export function insertChart(db: SQLite.Database, name: string, venueId: number | null, description: unknown, layout: ChartLayout, now: string): number {
  const st = seatingStatements(db);
  const chartId = Number(
    st.insertChart.run(venueId, name, JSON.stringify(description), layout.seats.length, layout.width, layout.height, now).lastInsertRowid,
  );
  for (const p of layout.seats) {
    st.insertSeat.run(chartId, p.section, p.row, p.seat, p.rowOrder, p.seatOrder, p.x, p.y, p.zone, +p.accessible, +p.obstructed, +p.aisle);
  }
  return chartId;
}

export const seatedEvents = (db: SQLite.Database) => seatingStatements(db).seatedEvents.all();
export const findChart = (db: SQLite.Database, id: number) => seatingStatements(db).chart.get(id);
export const listCharts = (db: SQLite.Database) => seatingStatements(db).charts.all();
export const chartSeats = (db: SQLite.Database, chartId: number) => seatingStatements(db).chartSeats.all(chartId);
export const findEvent = (db: SQLite.Database, id: number) => seatingStatements(db).event.get(id);

/** One listing per (section, row) with its seats, one ticket per chart seat; returns the ticket count. */
export function assignChart(
  db: SQLite.Database,
  a: { eventId: number; chartId: number; sellerId: number; prices: Record<string, number>; currency: string; now: string },
): number {
  const st = seatingStatements(db);
  const event = st.event.get(a.eventId);
  if (!event) throw notFound('event', a.eventId);
  if (!st.chart.get(a.chartId)) throw notFound('seating chart', a.chartId);
  if (!st.sellerExists.get(a.sellerId)) throw notFound('seller', a.sellerId);
  if (st.setEventChart.run(a.chartId, a.now, a.eventId).changes !== 1) {
    throw new AppError('CONFLICT', `event ${a.eventId} already has a seating chart`, { eventId: a.eventId, chartId: event.seating_chart_id });
  }
  const seats = st.chartSeats.all(a.chartId);
  const missing = [...new Set(seats.map((s) => s.zone))].filter((z) => a.prices[z] === undefined);
  if (missing.length > 0) throw new AppError('VALIDATION_FAILED', `no price for zone ${missing.join(', ')}`, { field: 'prices', zones: missing });
  const groups = new Map<string, ChartSeatRow[]>();
  for (const s of seats) {
    const key = `${s.section}\u0000${s.row}\u0000${s.zone}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  let n = 0;
  for (const g of groups.values()) {
    const first = g[0]!;
    const price = a.prices[first.zone]!;
    const listingId = Number(
      st.insertListing.run(a.eventId, a.sellerId, first.section, first.row, JSON.stringify(g.map((s) => s.seat)), g.length, price, a.currency, a.now)
        .lastInsertRowid,
    );
    const made = st.insertRowTickets.run(listingId, a.eventId, a.sellerId, price, a.currency, a.now, a.chartId, first.section, first.row, first.zone).changes;
    if (made !== g.length) throw new AppError('INTERNAL', `row ${first.section}/${first.row} got ${made} tickets for ${g.length} seats`);
    n += made;
  }
  return n;
}

export const seatMapRows = (db: SQLite.Database, eventId: number, chartId: number) => seatingStatements(db).seatMap.all(eventId, chartId);

const unavailable = (ticketId: number, reason: 'sold' | 'held' | 'reserved' | 'void', message: string) =>
  new AppError('TICKET_UNAVAILABLE', message, { ticketIds: [ticketId], ticketId, reason });

function refuse(st: Statements, eventId: number, ticketId: number, now: string): never {
  const t = st.ticket.get(ticketId);
  if (!t || t.event_id !== eventId) throw notFound(`ticket of event ${eventId}:`, ticketId);
  const label = t.seat ? `Seat ${t.section}-${t.row}-${t.seat}` : `Ticket ${ticketId}`;
  if (t.status === 'sold') throw unavailable(ticketId, 'sold', `${label} is already sold`);
  if (t.status === 'void') throw unavailable(ticketId, 'void', `${label} is not for sale`);
  const h = st.hold.get(ticketId);
  if (h?.reservation_id !== null && h?.reservation_id !== undefined) throw unavailable(ticketId, 'reserved', `${label} is reserved`);
  if (h && isLive(h.expires_at, now)) {
    const minutes = h.expires_at === null ? null : Math.max(1, Math.ceil((Date.parse(h.expires_at) - Date.parse(now)) / 60000));
    throw unavailable(ticketId, 'held', `${label} is held at another terminal${minutes === null ? '' : ` (for up to ${minutes} more min)`}`);
  }
  throw unavailable(ticketId, 'held', `${label} changed while you clicked; try again`);
}

/**
 * Holds every ticket for `holder` until `expiresAt`, all or nothing (the caller's transaction rolls
 * back on a throw). My own hold is refreshed; a lapsed hold of anyone is taken over.
 */
export function holdTickets(db: SQLite.Database, h: { eventId: number; ticketIds: number[]; holder: string; expiresAt: string; now: string }): HoldRow[] {
  const st = seatingStatements(db);
  for (const id of h.ticketIds) {
    if (st.markHeld.run(h.now, id, h.eventId).changes === 1) {
      st.insertHold.run(id, h.eventId, h.holder, null, h.expiresAt, h.now);
      continue;
    }
    const t = st.ticket.get(id);
    if (t && t.event_id === h.eventId && t.status === 'held' && st.takeHold.run(h.holder, h.expiresAt, h.now, id, h.holder, h.now).changes === 1) continue;
    refuse(st, h.eventId, id, h.now);
  }
  return h.ticketIds.map((id) => {
    const t = st.ticket.get(id)!;
    return { ticket_id: id, event_id: h.eventId, holder: h.holder, expires_at: h.expiresAt, reservation_id: null, section: t.section, row: t.row, seat: t.seat, price_cents: t.price_cents };
  });
}

/** Releases the holder's own holds among ticketIds; a seat held by someone else live is refused. */
export function releaseTickets(db: SQLite.Database, r: { eventId: number; ticketIds: number[]; holder: string; now: string }): number[] {
  const st = seatingStatements(db);
  const released: number[] = [];
  for (const id of r.ticketIds) {
    const t = st.ticket.get(id);
    if (!t || t.event_id !== r.eventId) throw notFound(`ticket of event ${r.eventId}:`, id);
    if (st.deleteOwnHold.run(id, r.holder).changes === 1) {
      if (st.markAvailable.run(r.now, id).changes !== 1) throw new AppError('INTERNAL', `ticket ${id} was held without being marked held`);
      released.push(id);
      continue;
    }
    const h = st.hold.get(id);
    if (h && isLive(h.expires_at, r.now)) {
      throw new AppError('CONFLICT', h.reservation_id !== null ? `Ticket ${id} belongs to reservation ${h.reservation_id}; cancel that instead` : `Ticket ${id} is held at another terminal; only that terminal can release it`, {
        ticketId: id,
      });
    }
    // Not held by anyone (or lapsed): releasing it again is a no-op, so a double click is harmless.
  }
  return released;
}

/** Lapsed holds back to available (optionally of one event); returns them grouped by event. */
export function sweepLapsed(db: SQLite.Database, now: string, eventId?: number): SeatChange[] {
  const st = seatingStatements(db);
  const rows = eventId === undefined ? st.lapsed.all(now) : st.lapsedOfEvent.all(eventId, now);
  const byEvent = new Map<number, number[]>();
  for (const r of rows) {
    if (st.deleteLapsed.run(r.ticket_id, now).changes !== 1) continue;
    st.markAvailable.run(now, r.ticket_id);
    const list = byEvent.get(r.event_id);
    if (list) list.push(r.ticket_id);
    else byEvent.set(r.event_id, [r.ticket_id]);
  }
  return [...byEvent].map(([ev, ids]) => ({ eventId: ev, ticketIds: ids, status: 'available' as const, holder: null, expiresAt: null }));
}

/** The sweeper's entry point: a cheap read first, a write transaction only when something lapsed. */
export async function sweepExpiredHolds(store: Store, now: string): Promise<SeatChange[]> {
  if (seatingStatements(store.readerRaw).lapsed.all(now).length === 0) return [];
  return store.writeSync((db) => sweepLapsed(db, now));
}

export const liveHolds = (db: SQLite.Database, eventId: number, now: string) => seatingStatements(db).holdsOfEvent.all(eventId, now);

/**
 * For the sale path: sells tickets held by `holder` (its holds or reservations) or whose hold lapsed
 * (by `holdNow`); the seat_holds trigger ends those holds and completes a reservation whose last
 * ticket sold. Returns what it flipped; tickets not held stay untouched for the ordinary guard.
 */
export function sellHeldTickets(
  db: SQLite.Database,
  ids: readonly number[],
  holder: string | null,
  now: string,
  holdNow: string,
): Map<number, { price_cents: number; currency: string }> {
  const st = seatingStatements(db);
  const flipped = new Map<number, { price_cents: number; currency: string }>();
  for (const id of ids) {
    const row = st.sellHeld.get(now, id, holder ?? '', holdNow);
    if (row) flipped.set(id, row);
  }
  return flipped;
}

export function inventory(db: SQLite.Database, eventId: number, now: string) {
  const st = seatingStatements(db);
  const event = st.event.get(eventId);
  if (!event) throw notFound('event', eventId);
  const c = st.counts.get({ now, event: eventId })!;
  const revenueCents = Number(st.revenue.get(eventId) ?? 0);
  const capacity = event.capacity ?? c.tickets;
  const remaining = Math.max(0, Math.min(c.available, capacity - c.sold - c.held - c.reserved));
  return { capacity, tickets: c.tickets, sold: c.sold, held: c.held, reserved: c.reserved, remaining, revenueCents };
}

/** Reserves `quantity` tickets in one go, only if that many remain of the quota; never partly. */
export function reserve(db: SQLite.Database, r: { eventId: number; quantity: number; holder: string; customerName: string | null; now: string }): ReservationRow {
  const st = seatingStatements(db);
  sweepLapsed(db, r.now, r.eventId);
  const inv = inventory(db, r.eventId, r.now);
  if (inv.remaining < r.quantity) {
    throw new AppError('TICKET_UNAVAILABLE', `Only ${inv.remaining} ticket(s) of event ${r.eventId} remain; ${r.quantity} were asked for`, {
      eventId: r.eventId,
      remaining: inv.remaining,
      quantity: r.quantity,
    });
  }
  const ids = st.pickAvailable.all(r.eventId, r.quantity) as number[];
  if (ids.length < r.quantity) throw new AppError('INTERNAL', 'inventory and available tickets disagree');
  const rid = Number(st.insertReservation.run(r.eventId, r.holder, r.quantity, r.customerName, r.now, r.now).lastInsertRowid);
  for (const id of ids) {
    if (st.markHeld.run(r.now, id, r.eventId).changes !== 1) throw new AppError('CONFLICT', 'A ticket changed during the reservation; nothing was reserved');
    st.insertHold.run(id, r.eventId, r.holder, rid, null, r.now);
  }
  return st.reservation.get(rid)!;
}

export const findReservation = (db: SQLite.Database, id: number) => seatingStatements(db).reservation.get(id);
export const reservationsOfEvent = (db: SQLite.Database, eventId: number) => seatingStatements(db).reservationsOfEvent.all(eventId);
export const reservationTickets = (db: SQLite.Database, id: number) => seatingStatements(db).reservationTickets.all(id) as number[];

export function cancelReservation(db: SQLite.Database, id: number, reason: string | null, now: string): { reservation: ReservationRow; released: number[] } {
  const st = seatingStatements(db);
  const before = st.reservation.get(id);
  if (!before) throw notFound('reservation', id);
  if (st.cancelReservation.run(reason, now, id).changes !== 1) {
    throw new AppError('CONFLICT', `Reservation ${id} is ${before.status}, not active`, { id, status: before.status });
  }
  const released = st.deleteReservationHolds.all(id) as number[];
  for (const t of released) {
    if (st.markAvailable.run(now, t).changes !== 1) throw new AppError('INTERNAL', `ticket ${t} of reservation ${id} was not held`);
  }
  return { reservation: st.reservation.get(id)!, released };
}

export function cancelOrder(db: SQLite.Database, code: string, reason: string, now: string): { released: { id: number; eventId: number }[] } {
  const st = seatingStatements(db);
  const o = st.order.get(code);
  if (!o) throw notFound('order', code);
  if (st.cancelOrder.run(reason, now, o.id).changes !== 1) throw new AppError('CONFLICT', `Order ${code} is ${o.status}, not completed`, { code, status: o.status });
  const ticketIds = st.voidItems.all(now, o.id) as number[];
  const released: { id: number; eventId: number }[] = [];
  for (const id of ticketIds) {
    const row = st.unsell.get(now, id);
    if (row) released.push({ id, eventId: row.event_id });
  }
  return { released };
}

export const eventsOfTickets = (db: SQLite.Database, ids: readonly number[]) => seatingStatements(db).eventsOfTickets.all(JSON.stringify(ids)) as number[];
export const ticketsOfEventIn = (db: SQLite.Database, eventId: number, ids: readonly number[]) =>
  seatingStatements(db).ticketsOfEventIn.all(eventId, JSON.stringify(ids)) as number[];
