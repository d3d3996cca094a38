import { AppError, notFound } from '../../../../shared/errors.js';
import { holdRefusal, releaseRefusal } from '../contract/hold-rules.js';
import type { HoldRow, ReservationRow, SeatChange } from '../contract/shapes.js';
import type { TaskArgs } from '../contract/tasks.js';
import { inventoryOf, SQL, type CountsRow, type SeatingEvent } from '../common/seating-repo.js';
import { toNumbered, type Queryable } from './pg-runner.js';

/**
 * The racing seating writes on PostgreSQL, each inside its task's transaction. Lock order is the
 * same everywhere (an event row, then ticket rows in id order, then their holds, then a
 * reservation), the order a sale takes them in, so terminals wait for each other instead of
 * deadlocking; a deadlock that still happens is retried by the store. Every decision is made on
 * ticket rows this transaction has locked, so READ COMMITTED sees their latest committed state.
 */

interface TicketRow {
  id: number;
  event_id: number;
  status: string;
  section: string;
  row: string;
  seat: string | null;
  price_cents: number;
}

interface HoldState {
  ticket_id: number;
  holder: string;
  expires_at: string | null;
  reservation_id: number | null;
}

const q1 = async <T>(q: Queryable, sql: string, args: unknown[]) => (await q.query(toNumbered(sql), args)).rows as T[];

async function lockTickets(q: Queryable, ids: readonly number[]): Promise<Map<number, TicketRow>> {
  const rows = await q1<TicketRow>(q, 'SELECT id, event_id, status, section, row, seat, price_cents FROM tickets WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE', [ids]);
  return new Map(rows.map((r) => [Number(r.id), r]));
}

async function holdsOf(q: Queryable, ids: readonly number[]): Promise<Map<number, HoldState>> {
  const rows = await q1<HoldState>(q, 'SELECT ticket_id, holder, expires_at, reservation_id FROM seat_holds WHERE ticket_id = ANY(?::bigint[])', [ids]);
  return new Map(rows.map((r) => [Number(r.ticket_id), r]));
}

export async function requireEvent(q: Queryable, eventId: number, lock = false): Promise<SeatingEvent> {
  const e = (await q1<SeatingEvent>(q, lock ? `${SQL.event} FOR UPDATE` : SQL.event, [eventId]))[0];
  if (!e) throw notFound('event', eventId);
  return e;
}

const uniq = (ids: readonly number[]) => [...new Set(ids)];

export async function holdSeatsPg(q: Queryable, h: TaskArgs<'holdSeats'>): Promise<HoldRow[]> {
  await requireEvent(q, h.eventId);
  const ids = uniq(h.ticketIds);
  const tickets = await lockTickets(q, ids);
  const holds = await holdsOf(q, ids);
  const fresh: number[] = [];
  const takeOver: number[] = [];
  for (const id of h.ticketIds) {
    const t = tickets.get(id);
    const hold = holds.get(id);
    if (t && Number(t.event_id) === h.eventId && t.status === 'available') fresh.push(id);
    else if (t && Number(t.event_id) === h.eventId && t.status === 'held' && hold && hold.reservation_id === null && (hold.holder === h.holder || (hold.expires_at !== null && hold.expires_at <= h.now))) takeOver.push(id);
    else throw holdRefusal(h.eventId, id, t, hold, h.now);
  }
  if (fresh.length > 0) {
    const n = (await q.query("UPDATE tickets SET status = 'held', updated_at = $1 WHERE id = ANY($2::bigint[]) AND status = 'available'", [h.now, fresh])).rowCount;
    if (n !== fresh.length) throw new AppError('INTERNAL', 'a locked ticket changed under its lock');
    await q.query(
      'INSERT INTO seat_holds (ticket_id, event_id, holder, reservation_id, expires_at, created_at) SELECT x, $2, $3, NULL, $4, $5 FROM unnest($1::bigint[]) AS x',
      [fresh, h.eventId, h.holder, h.expiresAt, h.now],
    );
  }
  if (takeOver.length > 0) {
    const n = (await q.query(
      'UPDATE seat_holds SET holder = $1, expires_at = $2, created_at = $3, reservation_id = NULL WHERE ticket_id = ANY($4::bigint[]) AND reservation_id IS NULL',
      [h.holder, h.expiresAt, h.now, takeOver],
    )).rowCount;
    if (n !== takeOver.length) throw new AppError('INTERNAL', 'a locked hold changed under its lock');
  }
  return h.ticketIds.map((id) => {
    const t = tickets.get(id)!;
    return { ticket_id: id, event_id: h.eventId, holder: h.holder, expires_at: h.expiresAt, reservation_id: null, section: t.section, row: t.row, seat: t.seat, price_cents: Number(t.price_cents) };
  });
}

export async function releaseSeatsPg(q: Queryable, r: TaskArgs<'releaseSeats'>): Promise<number[]> {
  await requireEvent(q, r.eventId);
  const ids = uniq(r.ticketIds);
  const tickets = await lockTickets(q, ids);
  const holds = await holdsOf(q, ids);
  const mine: number[] = [];
  for (const id of r.ticketIds) {
    const t = tickets.get(id);
    if (!t || Number(t.event_id) !== r.eventId) throw notFound(`ticket of event ${r.eventId}:`, id);
    const h = holds.get(id);
    if (h && h.holder === r.holder && h.reservation_id === null) {
      if (!mine.includes(id)) mine.push(id);
      continue;
    }
    const refusal = releaseRefusal(id, h, r.now);
    if (refusal) throw refusal;
    // Not held by anyone (or lapsed): releasing it again is a no-op, so a double click is harmless.
  }
  if (mine.length === 0) return [];
  await q.query('DELETE FROM seat_holds WHERE ticket_id = ANY($1::bigint[]) AND holder = $2 AND reservation_id IS NULL', [mine, r.holder]);
  const n = (await q.query("UPDATE tickets SET status = 'available', updated_at = $1 WHERE id = ANY($2::bigint[]) AND status = 'held'", [r.now, mine])).rowCount;
  if (n !== mine.length) throw new AppError('INTERNAL', 'a held ticket was not marked held');
  return mine;
}

/** Lapsed holds back to available (optionally of one event), grouped by event. */
export async function sweepPg(q: Queryable, now: string, eventId?: number): Promise<SeatChange[]> {
  const lapsed = await q1<{ ticket_id: number }>(
    q,
    eventId === undefined
      ? 'SELECT ticket_id FROM seat_holds WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY ticket_id LIMIT 5000'
      : 'SELECT ticket_id FROM seat_holds WHERE event_id = ? AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY ticket_id',
    eventId === undefined ? [now] : [eventId, now],
  );
  if (lapsed.length === 0) return [];
  const ids = lapsed.map((r) => Number(r.ticket_id));
  await lockTickets(q, ids);
  // Judged again under the ticket locks: another terminal may have sold or re-held one meanwhile.
  const gone = await q1<{ ticket_id: number; event_id: number }>(
    q,
    'DELETE FROM seat_holds WHERE ticket_id = ANY(?::bigint[]) AND expires_at IS NOT NULL AND expires_at <= ? RETURNING ticket_id, event_id',
    [ids, now],
  );
  if (gone.length === 0) return [];
  const goneIds = gone.map((g) => Number(g.ticket_id)).sort((a, b) => a - b);
  await q.query("UPDATE tickets SET status = 'available', updated_at = $1 WHERE id = ANY($2::bigint[]) AND status = 'held'", [now, goneIds]);
  const byEvent = new Map<number, number[]>();
  for (const g of gone) {
    const ev = Number(g.event_id);
    const list = byEvent.get(ev);
    if (list) list.push(Number(g.ticket_id));
    else byEvent.set(ev, [Number(g.ticket_id)]);
  }
  return [...byEvent].map(([ev, t]) => ({ eventId: ev, ticketIds: t.sort((a, b) => a - b), status: 'available' as const, holder: null, expiresAt: null }));
}

/** Reserves `quantity` tickets only if that many remain of the quota. The event row lock makes terminals' reservations of one event take turns. */
export async function reservePg(q: Queryable, r: TaskArgs<'reserveTickets'>): Promise<{ reservation: ReservationRow; ticketIds: number[] }> {
  const event = await requireEvent(q, r.eventId, true);
  await sweepPg(q, r.now, r.eventId);
  const counts = (await q1<CountsRow>(q, SQL.counts, [r.now, r.now, r.eventId]))[0]!;
  const revenue = (await q1<{ cents: number }>(q, SQL.revenue, [r.eventId]))[0]!;
  const inv = inventoryOf(event, counts, revenue.cents);
  if (inv.remaining < r.quantity) {
    throw new AppError('TICKET_UNAVAILABLE', `Only ${inv.remaining} ticket(s) of event ${r.eventId} remain; ${r.quantity} were asked for`, {
      eventId: r.eventId,
      remaining: inv.remaining,
      quantity: r.quantity,
    });
  }
  // Tickets another terminal is selling right now are skipped, not waited for.
  const ids = (
    await q1<{ id: number }>(q, "SELECT id FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY price_cents, id LIMIT ? FOR UPDATE SKIP LOCKED", [r.eventId, r.quantity])
  ).map((x) => Number(x.id));
  if (ids.length < r.quantity) {
    throw new AppError('TICKET_UNAVAILABLE', `Only ${ids.length} ticket(s) of event ${r.eventId} could be reserved right now; ${r.quantity} were asked for`, {
      eventId: r.eventId,
      remaining: ids.length,
      quantity: r.quantity,
    });
  }
  const rid = Number(
    (await q1<{ id: number }>(q, "INSERT INTO reservations (event_id, holder, quantity, status, customer_name, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?) RETURNING id", [
      r.eventId,
      r.holder,
      r.quantity,
      r.customerName,
      r.now,
      r.now,
    ]))[0]!.id,
  );
  const n = (await q.query("UPDATE tickets SET status = 'held', updated_at = $1 WHERE id = ANY($2::bigint[]) AND status = 'available'", [r.now, ids])).rowCount;
  if (n !== ids.length) throw new AppError('CONFLICT', 'A ticket changed during the reservation; nothing was reserved', { retryable: true });
  await q.query('INSERT INTO seat_holds (ticket_id, event_id, holder, reservation_id, expires_at, created_at) SELECT x, $2, $3, $4, NULL, $5 FROM unnest($1::bigint[]) AS x', [
    ids,
    r.eventId,
    r.holder,
    rid,
    r.now,
  ]);
  const reservation = (await q1<ReservationRow>(q, SQL.reservation, [rid]))[0]!;
  return { reservation, ticketIds: [...ids].sort((a, b) => a - b) };
}

export async function cancelReservationPg(q: Queryable, c: TaskArgs<'cancelReservation'>): Promise<{ reservation: ReservationRow; released: number[] }> {
  const before = (await q1<ReservationRow>(q, SQL.reservation, [c.id]))[0];
  if (!before) throw notFound('reservation', c.id);
  const held = (await q1<{ ticket_id: number }>(q, SQL.reservationTickets, [c.id])).map((r) => Number(r.ticket_id));
  await lockTickets(q, held);
  const n = (await q.query("UPDATE reservations SET status = 'cancelled', cancel_reason = $1, updated_at = $2 WHERE id = $3 AND status = 'active'", [c.reason, c.now, c.id])).rowCount;
  if (n !== 1) {
    const now = (await q1<ReservationRow>(q, SQL.reservation, [c.id]))[0]!;
    throw new AppError('CONFLICT', `Reservation ${c.id} is ${now.status}, not active`, { id: c.id, status: now.status });
  }
  const released = (await q1<{ ticket_id: number }>(q, 'DELETE FROM seat_holds WHERE reservation_id = ? RETURNING ticket_id', [c.id])).map((r) => Number(r.ticket_id)).sort((a, b) => a - b);
  if (released.length > 0) {
    const m = (await q.query("UPDATE tickets SET status = 'available', updated_at = $1 WHERE id = ANY($2::bigint[]) AND status = 'held'", [c.now, released])).rowCount;
    if (m !== released.length) throw new AppError('INTERNAL', `a ticket of reservation ${c.id} was not held`);
  }
  return { reservation: (await q1<ReservationRow>(q, SQL.reservation, [c.id]))[0]!, released };
}
