import { sql } from 'kysely';
import type { DB, Trx } from '../contract/store.js';
import type { CustomersTable } from '../contract/schema.js';
import type { Insertable } from 'kysely';

export async function upsertCustomer(trx: Trx, c: Omit<Insertable<CustomersTable>, 'created_at'>, now: string) {
  if (c.email) {
    const existing = await trx
      .selectFrom('customers')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', c.email!.toLowerCase()))
      .executeTakeFirst();
    if (existing) {
      const patch = Object.fromEntries(Object.entries(c).filter(([k, v]) => v != null && k !== 'email'));
      if (Object.keys(patch).length > 0) await trx.updateTable('customers').set(patch).where('id', '=', existing.id).execute();
      return existing.id;
    }
  }
  const row = await trx.insertInto('customers').values({ ...c, created_at: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** An order to write; the Kysely path here and the prepared-statement path in sell-fast-path share it. */
export interface NewOrder {
  code: string;
  customerId: number | null;
  channel: 'kiosk' | 'api';
  referral: string | null;
  totalCents: number;
  currency: string;
  now: string;
  items: { ticketId: number; priceCents: number }[];
  payment: { tender: 'cash' | 'card' | 'comp'; amountCents: number; tenderedCents: number | null; changeCents: number | null };
}

export async function insertOrder(trx: Trx, o: NewOrder) {
  const order = await trx
    .insertInto('orders')
    .values({
      code: o.code,
      customer_id: o.customerId,
      channel: o.channel,
      referral: o.referral,
      total_cents: o.totalCents,
      currency: o.currency,
      created_at: o.now,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('order_items')
    .values(o.items.map((i) => ({ order_id: order.id, ticket_id: i.ticketId, price_cents: i.priceCents, voided_at: null })))
    .execute();
  await trx
    .insertInto('payments')
    .values({
      order_id: order.id,
      tender: o.payment.tender,
      amount_cents: o.payment.amountCents,
      tendered_cents: o.payment.tenderedCents,
      change_cents: o.payment.changeCents,
      created_at: o.now,
    })
    .execute();
  return order;
}

export async function findIdempotencyKey(trx: Trx, key: string) {
  return trx.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function saveIdempotencyKey(trx: Trx, key: string, operation: string, hash: string, response: unknown, now: string) {
  await trx
    .insertInto('idempotency_keys')
    .values({ key, operation, request_hash: hash, response_json: JSON.stringify(response), created_at: now })
    .execute();
}

export async function findOrderByCode(db: DB, code: string) {
  return db
    .selectFrom('orders as o')
    .leftJoin('customers as c', 'c.id', 'o.customer_id')
    .selectAll('o')
    .select(['c.name as customer_name', 'c.email as customer_email'])
    .where('o.code', '=', code.toUpperCase())
    .executeTakeFirst();
}

export async function orderLines(db: DB, orderId: number) {
  return db
    .selectFrom('order_items as i')
    .innerJoin('tickets as t', 't.id', 'i.ticket_id')
    .innerJoin('events as e', 'e.id', 't.event_id')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .select([
      'i.ticket_id',
      'i.price_cents',
      't.event_id',
      't.section',
      't.row',
      't.seat',
      'e.name as event_name',
      'e.starts_at',
      'v.name as venue_name',
      'v.city',
    ])
    .where('i.order_id', '=', orderId)
    .orderBy('i.id')
    .execute();
}

export async function orderPayments(db: DB, orderId: number) {
  return db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}

export async function listOrders(db: DB, q: string | undefined, limit: number) {
  let query = db
    .selectFrom('orders as o')
    .leftJoin('customers as c', 'c.id', 'o.customer_id')
    .select([
      'o.id',
      'o.code',
      'o.channel',
      'o.total_cents',
      'o.created_at',
      'c.name as customer_name',
      'c.email as customer_email',
      (eb) => eb.selectFrom('order_items as i').select(sql<number>`count(*)`.as('n')).whereRef('i.order_id', '=', 'o.id').as('ticket_count'),
    ]);
  if (q) {
    const like = `%${q.toLowerCase()}%`;
    query = query.where((eb) =>
      eb.or([
        eb('o.code', '=', q.toUpperCase()),
        eb(eb.fn('lower', ['c.name']), 'like', like),
        eb(eb.fn('lower', ['c.email']), 'like', like),
      ]),
    );
  }
  return query.orderBy('o.id', 'desc').limit(limit).execute();
}
