import type { CustomerFields } from '../contract/shapes.js';
import type { SqlRunner } from '../contract/sql.js';
import { upsertCustomerSql } from './customers-sql.js';

// Plain SQL both engines share: ingestion runs thousands of events per write transaction.

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

const ORDER_COLUMNS = [
  'event_id', 'channel', 'customer_id', 'financial_status', 'counted', 'currency', 'total_cents', 'discount_cents', 'tax_cents',
  'item_count', 'billing_region', 'billing_country', 'shipping_region', 'shipping_country', 'referral', 'tender', 'clerk', 'occurred_at', 'time_source', 'received_at',
];
const INSERT_ORDER = `INSERT INTO partner_orders (${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (event_id) DO NOTHING RETURNING id`;
const ADDRESS_COLUMNS = ['first_name', 'last_name', 'company', 'address1', 'address2', 'city', 'region', 'region_code', 'postal_code', 'country', 'country_code', 'phone'] as const;

const existing = (db: SqlRunner, eventId: string) =>
  db.get<{ id: number; sha256: string }>(`SELECT p.id, e.sha256 FROM partner_orders p JOIN partner_order_events e ON e.partner_order_id = p.id WHERE p.event_id = ?`, [eventId]);

/**
 * Stores one normalised partner order with its customer, addresses, lines and raw event, unless its
 * event_id is already stored (then nothing changes). Call inside a write transaction; an unknown
 * marquee_event_id is reported before anything of this order is written.
 */
export async function insertPartnerOrder(db: SqlRunner, o: NewPartnerOrder): Promise<InsertOutcome> {
  const prior = await existing(db, o.eventId);
  if (prior) return { status: 'duplicate', id: Number(prior.id), sameAsStored: prior.sha256 === o.sha256 };
  for (const [i, item] of o.items.entries()) {
    if (item.eventId !== null && !(await db.get('SELECT 1 AS one FROM events WHERE id = ?', [item.eventId]))) {
      return { status: 'rejected', path: `line_items.${i}.marquee_event_id`, message: `event ${item.eventId} does not exist in Marquee` };
    }
  }
  const customerId = o.customer ? await upsertCustomerSql(db, o.customer, o.receivedAt) : null;
  const inserted = await db.get<{ id: number }>(INSERT_ORDER, [
    o.eventId,
    o.channel,
    customerId,
    o.financialStatus,
    o.counted ? 1 : 0,
    o.currency,
    o.totalCents,
    o.discountCents,
    o.taxCents,
    o.items.reduce((n, i) => n + i.quantity, 0),
    o.billing?.region ?? null,
    o.billing?.country ?? null,
    o.shipping?.region ?? null,
    o.shipping?.country ?? null,
    o.referral,
    o.tender,
    o.clerk,
    o.occurredAt,
    o.timeSource,
    o.receivedAt,
  ]);
  if (!inserted) {
    // Another terminal stored the same event_id a moment ago (a shared store): it is a duplicate after all.
    const now = (await existing(db, o.eventId))!;
    return { status: 'duplicate', id: Number(now.id), sameAsStored: now.sha256 === o.sha256 };
  }
  const id = Number(inserted.id);
  await db.insertMany(
    'partner_order_items',
    ['partner_order_id', 'line_no', 'product_id', 'title', 'quantity', 'price_cents', 'event_id'],
    o.items.map((item, i) => [id, i + 1, item.productId, item.title, item.quantity, item.priceCents, item.eventId]),
  );
  const addresses = (['billing', 'shipping'] as const).flatMap((kind) => {
    const a = o[kind];
    return a ? [[id, kind, ...ADDRESS_COLUMNS.map((c) => a[c])]] : [];
  });
  await db.insertMany('partner_order_addresses', ['partner_order_id', 'kind', ...ADDRESS_COLUMNS], addresses);
  await db.run(`INSERT INTO partner_order_events (partner_order_id, sha256, raw_json) VALUES (?, ?, ?)`, [id, o.sha256, o.raw]);
  return { status: 'created', id };
}

export async function countPartnerOrders(db: SqlRunner): Promise<number> {
  return Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM partner_orders'))!.n);
}

export async function findPartnerOrderByEventId(db: SqlRunner, eventId: string) {
  const order = await db.get<Record<string, unknown>>('SELECT * FROM partner_orders WHERE event_id = ?', [eventId]);
  if (!order) return undefined;
  const id = Number(order.id);
  return {
    order,
    items: await db.all<Record<string, unknown>>('SELECT * FROM partner_order_items WHERE partner_order_id = ? ORDER BY line_no', [id]),
    addresses: await db.all<Record<string, unknown>>('SELECT * FROM partner_order_addresses WHERE partner_order_id = ? ORDER BY kind', [id]),
    raw: (await db.get<{ raw_json: string }>('SELECT raw_json FROM partner_order_events WHERE partner_order_id = ?', [id]))!.raw_json,
  };
}
