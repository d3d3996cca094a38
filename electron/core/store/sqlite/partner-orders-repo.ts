import type SQLite from 'better-sqlite3';
import type { CustomerFields } from './sell-fast-path.js';

// Synchronous better-sqlite3 statements: ingestion runs thousands of events per transaction
// (inside store.writeSync, so BEGIN IMMEDIATE and the write chain still apply).

export interface PartnerAddressRow {
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  region: string | null;
  region_code: string | null;
  postal_code: string | null;
  country: string | null;
  country_code: string | null;
  phone: string | null;
}

export interface NewPartnerOrder {
  eventId: string;
  channel: string;
  customer: CustomerFields | null;
  financialStatus: string;
  counted: boolean;
  currency: string;
  totalCents: number;
  discountCents: number;
  taxCents: number;
  billing: PartnerAddressRow | null;
  shipping: PartnerAddressRow | null;
  referral: string | null;
  tender: string | null;
  clerk: string | null;
  occurredAt: string;
  timeSource: 'event' | 'received';
  receivedAt: string;
  items: { productId: string; title: string | null; quantity: number; priceCents: number | null; eventId: number | null }[];
  raw: string;
  sha256: string;
}

export type InsertOutcome =
  | { status: 'created'; id: number }
  | { status: 'duplicate'; id: number; sameAsStored: boolean }
  | { status: 'rejected'; message: string; path: string };

const cache = new WeakMap<SQLite.Database, ReturnType<typeof prepare>>();

function prepare(db: SQLite.Database) {
  return {
    existing: db.prepare<[string], { id: number; sha256: string }>(
      `SELECT p.id, e.sha256 FROM partner_orders p JOIN partner_order_events e ON e.partner_order_id = p.id WHERE p.event_id = ?`,
    ),
    eventExists: db.prepare<[number], number>(`SELECT 1 FROM events WHERE id = ?`).pluck(),
    customerByEmail: db.prepare<[string], number>(`SELECT id FROM customers WHERE lower(email) = lower(?)`).pluck(),
    patchCustomer: db.prepare(
      `UPDATE customers SET name = coalesce(@name, name), phone = coalesce(@phone, phone), address_line1 = coalesce(@address_line1, address_line1),
         address_line2 = coalesce(@address_line2, address_line2), city = coalesce(@city, city), region = coalesce(@region, region),
         postal_code = coalesce(@postal_code, postal_code), country = coalesce(@country, country) WHERE id = @id`,
    ),
    insertCustomer: db.prepare(
      `INSERT INTO customers (name, email, phone, address_line1, address_line2, city, region, postal_code, country, created_at)
       VALUES (@name, @email, @phone, @address_line1, @address_line2, @city, @region, @postal_code, @country, @created_at)`,
    ),
    insertOrder: db.prepare(
      `INSERT INTO partner_orders (event_id, channel, customer_id, financial_status, counted, currency, total_cents, discount_cents, tax_cents,
         item_count, billing_region, billing_country, shipping_region, shipping_country, referral, tender, clerk, occurred_at, time_source, received_at)
       VALUES (@event_id, @channel, @customer_id, @financial_status, @counted, @currency, @total_cents, @discount_cents, @tax_cents,
         @item_count, @billing_region, @billing_country, @shipping_region, @shipping_country, @referral, @tender, @clerk, @occurred_at, @time_source, @received_at)`,
    ),
    insertItem: db.prepare(
      `INSERT INTO partner_order_items (partner_order_id, line_no, product_id, title, quantity, price_cents, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAddress: db.prepare(
      `INSERT INTO partner_order_addresses (partner_order_id, kind, first_name, last_name, company, address1, address2, city, region, region_code,
         postal_code, country, country_code, phone)
       VALUES (@partner_order_id, @kind, @first_name, @last_name, @company, @address1, @address2, @city, @region, @region_code,
         @postal_code, @country, @country_code, @phone)`,
    ),
    insertRaw: db.prepare(`INSERT INTO partner_order_events (partner_order_id, sha256, raw_json) VALUES (?, ?, ?)`),
  };
}

function statements(db: SQLite.Database) {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

/**
 * Stores one normalised partner order with its customer, addresses, lines and raw event, unless its
 * event_id is already stored (then nothing changes). Call inside a write transaction; an unknown
 * marquee_event_id is reported before anything of this order is written.
 */
export function insertPartnerOrder(db: SQLite.Database, o: NewPartnerOrder): InsertOutcome {
  const st = statements(db);
  const prior = st.existing.get(o.eventId);
  if (prior) return { status: 'duplicate', id: prior.id, sameAsStored: prior.sha256 === o.sha256 };
  for (const [i, item] of o.items.entries()) {
    if (item.eventId !== null && st.eventExists.get(item.eventId) === undefined) {
      return { status: 'rejected', path: `line_items.${i}.marquee_event_id`, message: `event ${item.eventId} does not exist in Marquee` };
    }
  }
  let customerId: number | null = null;
  if (o.customer) {
    const existing = o.customer.email ? st.customerByEmail.get(o.customer.email) : undefined;
    if (existing !== undefined) {
      st.patchCustomer.run({ ...o.customer, id: existing });
      customerId = existing;
    } else {
      customerId = Number(st.insertCustomer.run({ ...o.customer, created_at: o.receivedAt }).lastInsertRowid);
    }
  }
  const id = Number(
    st.insertOrder.run({
      event_id: o.eventId,
      channel: o.channel,
      customer_id: customerId,
      financial_status: o.financialStatus,
      counted: o.counted ? 1 : 0,
      currency: o.currency,
      total_cents: o.totalCents,
      discount_cents: o.discountCents,
      tax_cents: o.taxCents,
      item_count: o.items.reduce((n, i) => n + i.quantity, 0),
      billing_region: o.billing?.region ?? null,
      billing_country: o.billing?.country ?? null,
      shipping_region: o.shipping?.region ?? null,
      shipping_country: o.shipping?.country ?? null,
      referral: o.referral,
      tender: o.tender,
      clerk: o.clerk,
      occurred_at: o.occurredAt,
      time_source: o.timeSource,
      received_at: o.receivedAt,
    }).lastInsertRowid,
  );
  for (const [i, item] of o.items.entries()) st.insertItem.run(id, i + 1, item.productId, item.title, item.quantity, item.priceCents, item.eventId);
  if (o.billing) st.insertAddress.run({ ...o.billing, partner_order_id: id, kind: 'billing' });
  if (o.shipping) st.insertAddress.run({ ...o.shipping, partner_order_id: id, kind: 'shipping' });
  st.insertRaw.run(id, o.sha256, o.raw);
  return { status: 'created', id };
}

export function countPartnerOrders(db: SQLite.Database): number {
  return db.prepare('SELECT count(*) FROM partner_orders').pluck().get() as number;
}

export function findPartnerOrderByEventId(db: SQLite.Database, eventId: string) {
  const order = db.prepare('SELECT * FROM partner_orders WHERE event_id = ?').get(eventId) as Record<string, unknown> | undefined;
  if (!order) return undefined;
  const id = order.id as number;
  return {
    order,
    items: db.prepare('SELECT * FROM partner_order_items WHERE partner_order_id = ? ORDER BY line_no').all(id) as Record<string, unknown>[],
    addresses: db.prepare('SELECT * FROM partner_order_addresses WHERE partner_order_id = ? ORDER BY kind').all(id) as Record<string, unknown>[],
    raw: db.prepare('SELECT raw_json FROM partner_order_events WHERE partner_order_id = ?').pluck().get(id) as string,
  };
}
