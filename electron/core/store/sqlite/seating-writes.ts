import type SQLite from 'better-sqlite3';
import { AppError, notFound } from '../../../../shared/errors.js';
import { holdRefusal, releaseRefusal } from '../contract/hold-rules.js';
import type { HoldRow, ReservationRow, SeatChange } from '../contract/shapes.js';
import { inventoryOf, SQL, type CountsRow, type SeatingEvent } from '../common/seating-repo.js';

/**
 * The racing seating writes on SQLite: holds, releases, reservations and sales of held seats, as
 * synchronous prepared statements run inside a group-commit item (tasks.ts). Every change is a
 * guarded UPDATE/DELETE whose changed-row count is checked. The reads and the writes that do not
 * race are shared with PostgreSQL (common/seating-repo.ts).
 */
function prepare(db: SQLite.Database) {
  return {
    event: db.prepare<[number], SeatingEvent>(SQL.event),
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
    // The sale guard for held tickets: the holder's own hold (or reservation), or a lapsed hold of anyone.
    sellHeld: db.prepare<[string, number, string, string], { price_cents: number; currency: string }>(
      `UPDATE tickets SET status = 'sold', updated_at = ?
        WHERE id = ? AND status = 'held'
          AND EXISTS (SELECT 1 FROM seat_holds h WHERE h.ticket_id = tickets.id
                       AND (h.holder = ? OR (h.expires_at IS NOT NULL AND h.expires_at <= ?)))
        RETURNING price_cents, currency`,
    ),
    counts: db.prepare<[string, string, number], CountsRow>(SQL.counts),
    revenue: db.prepare<[number], { cents: number }>(SQL.revenue),
    pickAvailable: db.prepare<[number, number]>("SELECT id FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY price_cents, id LIMIT ?").pluck(),
    insertReservation: db.prepare<[number, string, number, string | null, string, string]>(
      "INSERT INTO reservations (event_id, holder, quantity, status, customer_name, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)",
    ),
    reservation: db.prepare<[number], ReservationRow>(SQL.reservation),
    reservationTickets: db.prepare<[number]>(SQL.reservationTickets).pluck(),
    cancelReservation: db.prepare<[string | null, string, number]>(
      "UPDATE reservations SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ? AND status = 'active'",
    ),
    deleteReservationHolds: db.prepare<[number]>('DELETE FROM seat_holds WHERE reservation_id = ? RETURNING ticket_id').pluck(),
  };
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<SQLite.Database, Statements>();

function seatingStatements(db: SQLite.Database): Statements {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

export const findEvent = (db: SQLite.Database, id: number) => seatingStatements(db).event.get(id);

function refuse(st: Statements, eventId: number, ticketId: number, now: string): never {
  const t = st.ticket.get(ticketId);
  throw holdRefusal(eventId, ticketId, t, t ? st.hold.get(ticketId) : undefined, now);
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
    const refusal = releaseRefusal(id, st.hold.get(id), r.now);
    if (refusal) throw refusal;
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

/** Whether any hold has lapsed: a cheap read, so the sweeper opens a write only when there is work. */
export const anyLapsed = (db: SQLite.Database, now: string) => seatingStatements(db).lapsed.all(now).length > 0;

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

/** Reserves `quantity` tickets in one go, only if that many remain of the quota; never partly. */
export function reserve(db: SQLite.Database, r: { eventId: number; quantity: number; holder: string; customerName: string | null; now: string }): ReservationRow {
  const st = seatingStatements(db);
  const event = st.event.get(r.eventId);
  if (!event) throw notFound('event', r.eventId);
  sweepLapsed(db, r.now, r.eventId);
  const inv = inventoryOf(event, st.counts.get(r.now, r.now, r.eventId)!, st.revenue.get(r.eventId)!.cents);
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
