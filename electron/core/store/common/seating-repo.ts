import { AppError, notFound } from '../../../../shared/errors.js';
import type { ChartLayout, ChartRow, ChartSeatRow, HoldRow, ReservationRow, SeatChange, SeatMapRow } from '../contract/shapes.js';
import type { SqlRunner } from '../contract/sql.js';

/**
 * Seating SQL both engines share: charts, seat maps, holds and reservations as read, inventory, and
 * the writes that do not race (a chart, assigning it, cancelling an order). The racing writes (holds,
 * releases, reservations, sales of held seats) are each engine's tasks.
 *
 * Invariant: a ticket is 'held' exactly while it has a seat_holds row (primary key ticket_id, so never
 * two). A row whose expires_at has passed no longer counts: readers show the seat available, holds
 * and sales take it over, and sweeps delete it.
 */

export interface SeatedEventRow {
  event_id: number;
  name: string;
  starts_at: string;
  venue_name: string;
  timezone: string;
  chart_id: number;
  chart_name: string;
  seat_count: number;
}

export interface SeatingEvent {
  id: number;
  name: string;
  capacity: number | null;
  seating_chart_id: number | null;
}

export interface CountsRow {
  tickets: number;
  sold: number;
  held: number;
  reserved: number;
  available: number;
}

export const SQL = {
  event: 'SELECT id, name, capacity, seating_chart_id FROM events WHERE id = ?',
  // Counts of one event's tickets at an instant (args: now, now, now, event); a lapsed hold counts as available.
  counts: `SELECT count(*) AS tickets,
      coalesce(sum(CASE WHEN t.status = 'sold' THEN 1 ELSE 0 END), 0) AS sold,
      coalesce(sum(CASE WHEN t.status = 'held' AND h.reservation_id IS NULL AND (h.expires_at IS NULL OR h.expires_at > ?) THEN 1 ELSE 0 END), 0) AS held,
      coalesce(sum(CASE WHEN t.status = 'held' AND h.reservation_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS reserved,
      coalesce(sum(CASE WHEN t.status = 'available' OR (t.status = 'held' AND h.reservation_id IS NULL AND h.expires_at <= ?) THEN 1 ELSE 0 END), 0) AS available
    FROM tickets t LEFT JOIN seat_holds h ON h.ticket_id = t.id
    WHERE t.event_id = ? AND t.status <> 'void'`,
  revenue: `SELECT coalesce(sum(oi.price_cents), 0) AS cents FROM order_items oi
      JOIN tickets t ON t.id = oi.ticket_id JOIN orders o ON o.id = oi.order_id
     WHERE t.event_id = ? AND oi.voided_at IS NULL AND o.status = 'completed'`,
  reservation: 'SELECT * FROM reservations WHERE id = ?',
  reservationTickets: 'SELECT ticket_id FROM seat_holds WHERE reservation_id = ? ORDER BY ticket_id',
  holdsOfEvent: `SELECT h.ticket_id, h.event_id, h.holder, h.expires_at, h.reservation_id, t.section, t.row, t.seat, t.price_cents
      FROM seat_holds h JOIN tickets t ON t.id = h.ticket_id
     WHERE h.event_id = ? AND (h.expires_at IS NULL OR h.expires_at > ?) ORDER BY h.ticket_id`,
} as const;

/** Capacity, counts and what remains of the quota: the one rule both engines apply. */
export function inventoryOf(event: SeatingEvent, c: CountsRow, revenueCents: number) {
  const n = { tickets: Number(c.tickets), sold: Number(c.sold), held: Number(c.held), reserved: Number(c.reserved), available: Number(c.available) };
  const capacity = event.capacity ?? n.tickets;
  const remaining = Math.max(0, Math.min(n.available, capacity - n.sold - n.held - n.reserved));
  return { capacity, tickets: n.tickets, sold: n.sold, held: n.held, reserved: n.reserved, remaining, revenueCents: Number(revenueCents) };
}

export const findEvent = (sql: SqlRunner, id: number) => sql.get<SeatingEvent>(SQL.event, [id]);

export const seatedEvents = (sql: SqlRunner) =>
  sql.all<SeatedEventRow>(
    `SELECT e.id AS event_id, e.name, e.starts_at, v.name AS venue_name, v.timezone, c.id AS chart_id, c.name AS chart_name, c.seat_count
       FROM events e JOIN seating_charts c ON c.id = e.seating_chart_id JOIN venues v ON v.id = e.venue_id
      ORDER BY e.starts_at_utc, e.id`,
  );
export const findChart = (sql: SqlRunner, id: number) => sql.get<ChartRow>('SELECT * FROM seating_charts WHERE id = ?', [id]);
export const listCharts = (sql: SqlRunner) => sql.all<ChartRow>('SELECT * FROM seating_charts ORDER BY id');
export const chartSeats = (sql: SqlRunner, chartId: number) =>
  sql.all<ChartSeatRow>('SELECT * FROM chart_seats WHERE chart_id = ? ORDER BY section, row_order, seat_order', [chartId]);

export async function insertChart(sql: SqlRunner, name: string, venueId: number | null, description: unknown, layout: ChartLayout, now: string): Promise<number> {
  const { id } = (await sql.get<{ id: number }>(
    'INSERT INTO seating_charts (venue_id, name, description_json, seat_count, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    [venueId, name, JSON.stringify(description), layout.seats.length, layout.width, layout.height, now],
  ))!;
  await sql.insertMany(
    'chart_seats',
    ['chart_id', 'section', 'row', 'seat', 'row_order', 'seat_order', 'x', 'y', 'zone', 'accessible', 'obstructed', 'aisle'],
    layout.seats.map((p) => [id, p.section, p.row, p.seat, p.rowOrder, p.seatOrder, p.x, p.y, p.zone, +p.accessible, +p.obstructed, +p.aisle]),
  );
  return Number(id);
}

/** One listing per (section, row, zone) with its seats, one ticket per chart seat; returns the ticket count. */
export async function assignChart(
  sql: SqlRunner,
  a: { eventId: number; chartId: number; sellerId: number; prices: Record<string, number>; currency: string; now: string },
): Promise<number> {
  const event = await findEvent(sql, a.eventId);
  if (!event) throw notFound('event', a.eventId);
  if (!(await findChart(sql, a.chartId))) throw notFound('seating chart', a.chartId);
  if (!(await sql.get('SELECT 1 AS one FROM sellers WHERE id = ?', [a.sellerId]))) throw notFound('seller', a.sellerId);
  // Guarded: a concurrent assignment of another chart loses here, before any ticket is made.
  if ((await sql.run('UPDATE events SET seating_chart_id = ?, updated_at = ? WHERE id = ? AND seating_chart_id IS NULL', [a.chartId, a.now, a.eventId])) !== 1) {
    throw new AppError('CONFLICT', `event ${a.eventId} already has a seating chart`, { eventId: a.eventId, chartId: event.seating_chart_id });
  }
  const seats = await chartSeats(sql, a.chartId);
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
    const listing = (await sql.get<{ id: number }>(
      `INSERT INTO listings (event_id, seller_id, section, row, seats_json, quantity, price_cents, currency, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ui', ?) RETURNING id`,
      [a.eventId, a.sellerId, first.section, first.row, JSON.stringify(g.map((s) => s.seat)), g.length, price, a.currency, a.now],
    ))!;
    // One ticket per seat of the group, copied inside the database.
    const made = await sql.run(
      `INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at, chart_seat_id)
       SELECT ?, ?, ?, section, row, seat, ?, ?, ?, id FROM chart_seats
        WHERE chart_id = ? AND section = ? AND row = ? AND zone = ? ORDER BY seat_order`,
      [listing.id, a.eventId, a.sellerId, price, a.currency, a.now, a.chartId, first.section, first.row, first.zone],
    );
    if (made !== g.length) throw new AppError('INTERNAL', `row ${first.section}/${first.row} got ${made} tickets for ${g.length} seats`);
    n += made;
  }
  return n;
}

export const seatMapRows = (sql: SqlRunner, eventId: number, chartId: number) =>
  sql.all<SeatMapRow>(
    `SELECT cs.id AS seat_id, cs.section, cs.row, cs.seat, cs.x, cs.y, cs.zone, cs.accessible, cs.obstructed, cs.aisle,
            t.id AS ticket_id, t.status, t.price_cents, t.currency, h.holder, h.expires_at
       FROM chart_seats cs
       LEFT JOIN tickets t ON t.chart_seat_id = cs.id AND t.event_id = ?
       LEFT JOIN seat_holds h ON h.ticket_id = t.id
      WHERE cs.chart_id = ?
      ORDER BY cs.id`,
    [eventId, chartId],
  );

export const liveHolds = (sql: SqlRunner, eventId: number, now: string) => sql.all<HoldRow>(SQL.holdsOfEvent, [eventId, now]);

export async function inventory(sql: SqlRunner, eventId: number, now: string) {
  const event = await findEvent(sql, eventId);
  if (!event) throw notFound('event', eventId);
  const c = (await sql.get<CountsRow>(SQL.counts, [now, now, eventId]))!;
  const revenue = (await sql.get<{ cents: number }>(SQL.revenue, [eventId]))!;
  return inventoryOf(event, c, revenue.cents);
}

export const findReservation = (sql: SqlRunner, id: number) => sql.get<ReservationRow>(SQL.reservation, [id]);
export const reservationsOfEvent = (sql: SqlRunner, eventId: number) => sql.all<ReservationRow>('SELECT * FROM reservations WHERE event_id = ? ORDER BY id', [eventId]);
export const reservationTickets = async (sql: SqlRunner, id: number) =>
  (await sql.all<{ ticket_id: number }>(SQL.reservationTickets, [id])).map((r) => Number(r.ticket_id));

/** Cancels a completed order: its lines are voided and its tickets go back on sale, in the caller's transaction. */
export async function cancelOrder(sql: SqlRunner, code: string, reason: string, now: string): Promise<{ released: { id: number; eventId: number }[] }> {
  const o = await sql.get<{ id: number; status: string }>('SELECT id, status FROM orders WHERE code = ?', [code]);
  if (!o) throw notFound('order', code);
  if ((await sql.run("UPDATE orders SET status = 'cancelled', cancel_reason = ?, cancelled_at = ? WHERE id = ? AND status = 'completed'", [reason, now, o.id])) !== 1) {
    throw new AppError('CONFLICT', `Order ${code} is ${o.status}, not completed`, { code, status: o.status });
  }
  const items = await sql.all<{ ticket_id: number }>('UPDATE order_items SET voided_at = ? WHERE order_id = ? AND voided_at IS NULL RETURNING ticket_id', [now, o.id]);
  const released: { id: number; eventId: number }[] = [];
  for (const { ticket_id } of items) {
    const row = await sql.get<{ event_id: number }>("UPDATE tickets SET status = 'available', updated_at = ? WHERE id = ? AND status = 'sold' RETURNING event_id", [now, ticket_id]);
    if (row) released.push({ id: Number(ticket_id), eventId: Number(row.event_id) });
  }
  return { released };
}

/** Sold tickets as seat changes, one per event, for seat maps. */
export async function soldChanges(sql: SqlRunner, ticketIds: readonly number[]): Promise<SeatChange[]> {
  const byEvent = new Map<number, number[]>();
  for (let i = 0; i < ticketIds.length; i += 500) {
    const ids = ticketIds.slice(i, i + 500);
    for (const r of await sql.all<{ id: number; event_id: number }>(`SELECT id, event_id FROM tickets WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`, ids)) {
      const list = byEvent.get(Number(r.event_id)) ?? [];
      list.push(Number(r.id));
      byEvent.set(Number(r.event_id), list);
    }
  }
  return [...byEvent].map(([eventId, ids]) => ({ eventId, ticketIds: ids, status: 'sold' as const, holder: null, expiresAt: null }));
}
