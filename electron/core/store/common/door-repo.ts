import { randomBytes } from 'node:crypto';
import type { DB, Trx } from '../contract/store.js';

/** The ticket code key (base64url of 32 random bytes), or undefined before the first code was made. */
export async function readTicketCodeSecret(db: DB): Promise<string | undefined> {
  const r = await db.selectFrom('ticket_code_secret').select('secret').where('id', '=', 1).executeTakeFirst();
  return r?.secret;
}

/**
 * Inside a write: the key, made now if there is none. Two terminals making it at once both insert;
 * the second does nothing and reads the first's, so every terminal signs with the same key.
 */
export async function ensureTicketCodeSecret(trx: Trx, now: string): Promise<string> {
  await trx
    .insertInto('ticket_code_secret')
    .values({ id: 1, secret: randomBytes(32).toString('base64url'), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const r = await trx.selectFrom('ticket_code_secret').select('secret').where('id', '=', 1).executeTakeFirstOrThrow();
  return r.secret;
}

/** What a scan needs to know about the sale a code names (whatever its state). */
export async function saleForCheckIn(db: Trx, saleId: number) {
  return db
    .selectFrom('order_items as oi')
    .innerJoin('orders as o', 'o.id', 'oi.order_id')
    .innerJoin('tickets as t', 't.id', 'oi.ticket_id')
    .innerJoin('events as e', 'e.id', 't.event_id')
    .select([
      'oi.id as sale_id',
      'oi.ticket_id',
      'oi.voided_at',
      'o.status as order_status',
      't.status as ticket_status',
      't.event_id',
      't.section',
      't.row',
      't.seat',
      'e.name as event_name',
      'e.starts_at',
    ])
    .where('oi.id', '=', saleId)
    .executeTakeFirst();
}

/**
 * Takes the ticket's row lock (PostgreSQL; SQLite holds the database write lock already) with a guarded
 * no-op UPDATE, so a refund or void of its order (which puts the ticket back on sale) either waits for
 * this check-in to commit or has already made this return false. (Not order_items: an UPDATE there
 * marks report days dirty.)
 */
export async function lockSoldTicket(trx: Trx, ticketId: number): Promise<boolean> {
  const r = await trx
    .updateTable('tickets')
    .set((eb) => ({ status: eb.ref('status') }))
    .where('id', '=', ticketId)
    .where('status', '=', 'sold')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface NewCheckIn {
  ticketId: number;
  eventId: number;
  saleId: number;
  at: string;
  userId: number | null;
  username: string | null;
  door: string;
}

/**
 * The admission itself: inserts the ticket's live check-in unless it has one. The partial unique index
 * decides between doors scanning at once (ON CONFLICT … DO NOTHING waits for the other's COMMIT on
 * PostgreSQL); null = somebody was first.
 */
export async function insertCheckIn(trx: Trx, c: NewCheckIn): Promise<number | null> {
  const r = await trx
    .insertInto('check_ins')
    .values({ ticket_id: c.ticketId, event_id: c.eventId, order_item_id: c.saleId, at: c.at, user_id: c.userId, username: c.username, door: c.door })
    .onConflict((oc) => oc.column('ticket_id').where('undone_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

export async function liveCheckIn(db: Trx, ticketId: number) {
  return db
    .selectFrom('check_ins')
    .select(['id', 'at', 'username', 'door', 'order_item_id'])
    .where('ticket_id', '=', ticketId)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
}

const checkInColumns = [
  'c.id',
  'c.ticket_id',
  'c.event_id',
  't.section',
  't.row',
  't.seat',
  'c.at',
  'c.username',
  'c.door',
  'c.undone_at',
  'c.undone_by',
] as const;

export async function findCheckIn(db: Trx, id: number) {
  return db.selectFrom('check_ins as c').innerJoin('tickets as t', 't.id', 'c.ticket_id').select(checkInColumns).where('c.id', '=', id).executeTakeFirst();
}

/** Only a live check-in is undone (a second undo, or one racing it, changes nothing). */
export async function undoCheckIn(trx: Trx, id: number, by: string, now: string): Promise<boolean> {
  const r = await trx.updateTable('check_ins').set({ undone_at: now, undone_by: by }).where('id', '=', id).where('undone_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function pageCheckIns(db: DB, eventId: number, before: number | undefined, limit: number) {
  let q = db.selectFrom('check_ins as c').innerJoin('tickets as t', 't.id', 'c.ticket_id').select(checkInColumns).where('c.event_id', '=', eventId);
  if (before !== undefined) q = q.where('c.id', '<', before);
  return q.orderBy('c.id', 'desc').limit(limit + 1).execute();
}

export async function soldCount(db: DB, eventId: number): Promise<number> {
  const r = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'sold')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Arrival times of the event's live check-ins, oldest first. */
export async function liveCheckInTimes(db: DB, eventId: number): Promise<string[]> {
  const rows = await db.selectFrom('check_ins').select('at').where('event_id', '=', eventId).where('undone_at', 'is', null).orderBy('at').execute();
  return rows.map((r) => r.at);
}

/** Events a door may admit to: from `fromUtc` on, soonest first. */
export async function doorEvents(db: DB, fromUtc: string, limit: number) {
  return db
    .selectFrom('events as e')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .select(['e.id', 'e.name', 'e.starts_at', 'e.status', 'v.name as venue_name'])
    .where('e.starts_at_utc', '>=', fromUtc)
    .orderBy('e.starts_at_utc')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** The live lines of an order, with their tickets and events: what gets a ticket code. */
export async function liveSalesOfOrder(db: DB, orderCode: string) {
  const order = await db.selectFrom('orders').select(['id', 'code', 'status', 'currency']).where('code', '=', orderCode.toUpperCase()).executeTakeFirst();
  if (!order) return null;
  const lines = await db
    .selectFrom('order_items as oi')
    .innerJoin('tickets as t', 't.id', 'oi.ticket_id')
    .innerJoin('events as e', 'e.id', 't.event_id')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .select([
      'oi.id as sale_id',
      'oi.ticket_id',
      'oi.price_cents',
      't.event_id',
      't.section',
      't.row',
      't.seat',
      't.status',
      'e.name as event_name',
      'e.starts_at',
      'v.name as venue_name',
      'v.city',
      'v.timezone',
    ])
    .where('oi.order_id', '=', order.id)
    .where('oi.voided_at', 'is', null)
    .orderBy('oi.id')
    .execute();
  return { order, lines: order.status === 'completed' ? lines.filter((l) => l.status === 'sold') : [] };
}

/** The audit subject of an order's ticket prints (the same as its sale's). */
export const ticketPrintSubject = (orderCode: string) => `order:${orderCode}`;

/** How many prints of the order's tickets the audit log holds. */
export async function ticketPrintCount(db: DB, orderCode: string): Promise<number> {
  const r = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject', '=', ticketPrintSubject(orderCode))
    .where('operation', '=', 'recordTicketPrint')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
