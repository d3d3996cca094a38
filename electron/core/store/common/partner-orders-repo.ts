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
const ADDRESS_COLUMNS = ['first_name', 'last_name', 'company', 'address1', 'address2', 'city', 'region', 'region_code', 'postal_code', 'country', 'country_code', 'phone'] as const;
// Rows per multi-row statement: 20 columns each stays far below both engines' parameter limits.
const ROWS_PER_STATEMENT = 400;

const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');

async function storedByEventId(db: SqlRunner, eventIds: readonly string[]): Promise<Map<string, { id: number; sha256: string }>> {
  const out = new Map<string, { id: number; sha256: string }>();
  for (let at = 0; at < eventIds.length; at += ROWS_PER_STATEMENT) {
    const part = eventIds.slice(at, at + ROWS_PER_STATEMENT);
    const rows = await db.all<{ event_id: string; id: number; sha256: string }>(
      `SELECT p.event_id, p.id, e.sha256 FROM partner_orders p JOIN partner_order_events e ON e.partner_order_id = p.id WHERE p.event_id IN (${list(part.length)})`,
      part,
    );
    for (const r of rows) out.set(r.event_id, { id: Number(r.id), sha256: r.sha256 });
  }
  return out;
}

const orderValues = (o: NewPartnerOrder, customerId: number | null) => [
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
];

/**
 * Stores normalised partner orders with their customers, addresses, lines and raw events, unless an
 * order's event_id is already stored (then nothing of it changes; a repeat within the batch is a
 * duplicate of the first). Call inside a write transaction. An unknown marquee_event_id is reported
 * before anything of that order is written. Set-based (a statement per table per few hundred
 * orders): on a database server every statement is a round trip.
 */
export async function insertPartnerOrders(db: SqlRunner, orders: readonly NewPartnerOrder[]): Promise<InsertOutcome[]> {
  const out: (InsertOutcome | null)[] = orders.map(() => null);
  const stored = await storedByEventId(db, [...new Set(orders.map((o) => o.eventId))]);
  const eventIds = [...new Set(orders.flatMap((o) => o.items.map((i) => i.eventId).filter((e): e is number => e !== null)))];
  const known = new Set<number>();
  for (let at = 0; at < eventIds.length; at += ROWS_PER_STATEMENT) {
    const part = eventIds.slice(at, at + ROWS_PER_STATEMENT);
    for (const r of await db.all<{ id: number }>(`SELECT id FROM events WHERE id IN (${list(part.length)})`, part)) known.add(Number(r.id));
  }
  const fresh: { k: number; o: NewPartnerOrder; customerId: number | null }[] = [];
  const firstInBatch = new Map<string, number>();
  for (const [k, o] of orders.entries()) {
    const prior = stored.get(o.eventId);
    if (prior) {
      out[k] = { status: 'duplicate', id: prior.id, sameAsStored: prior.sha256 === o.sha256 };
      continue;
    }
    const bad = o.items.findIndex((item) => item.eventId !== null && !known.has(item.eventId));
    if (bad >= 0) {
      out[k] = { status: 'rejected', path: `line_items.${bad}.marquee_event_id`, message: `event ${o.items[bad]!.eventId} does not exist in Marquee` };
      continue;
    }
    if (firstInBatch.has(o.eventId)) continue; // settled below, once the first has its id
    firstInBatch.set(o.eventId, k);
    fresh.push({ k, o, customerId: o.customer ? await upsertCustomerSql(db, o.customer, o.receivedAt) : null });
  }
  const ids = new Map<string, number>();
  for (let at = 0; at < fresh.length; at += ROWS_PER_STATEMENT) {
    const part = fresh.slice(at, at + ROWS_PER_STATEMENT);
    const rows = await db.all<{ id: number; event_id: string }>(
      `INSERT INTO partner_orders (${ORDER_COLUMNS.join(', ')}) VALUES ${part.map(() => `(${list(ORDER_COLUMNS.length)})`).join(', ')}
        ON CONFLICT (event_id) DO NOTHING RETURNING id, event_id`,
      part.flatMap((f) => orderValues(f.o, f.customerId)),
    );
    for (const r of rows) ids.set(r.event_id, Number(r.id));
  }
  const created = fresh.filter((f) => ids.has(f.o.eventId));
  // Another terminal stored the same event_id a moment ago (a shared store): a duplicate after all.
  const late = await storedByEventId(db, fresh.filter((f) => !ids.has(f.o.eventId)).map((f) => f.o.eventId));
  for (const f of fresh) {
    const id = ids.get(f.o.eventId);
    if (id !== undefined) out[f.k] = { status: 'created', id };
    else {
      const now = late.get(f.o.eventId)!;
      out[f.k] = { status: 'duplicate', id: now.id, sameAsStored: now.sha256 === f.o.sha256 };
    }
  }
  await db.insertMany(
    'partner_order_items',
    ['partner_order_id', 'line_no', 'product_id', 'title', 'quantity', 'price_cents', 'event_id'],
    created.flatMap(({ o }) => o.items.map((item, i) => [ids.get(o.eventId)!, i + 1, item.productId, item.title, item.quantity, item.priceCents, item.eventId])),
  );
  await db.insertMany(
    'partner_order_addresses',
    ['partner_order_id', 'kind', ...ADDRESS_COLUMNS],
    created.flatMap(({ o }) =>
      (['billing', 'shipping'] as const).flatMap((kind) => {
        const a = o[kind];
        return a ? [[ids.get(o.eventId)!, kind, ...ADDRESS_COLUMNS.map((c) => a[c])]] : [];
      }),
    ),
  );
  await db.insertMany('partner_order_events', ['partner_order_id', 'sha256', 'raw_json'], created.map(({ o }) => [ids.get(o.eventId)!, o.sha256, o.raw]));
  // Repeats within the batch: duplicates of the order their first occurrence settled.
  for (const [k, o] of orders.entries()) {
    if (out[k] !== null) continue;
    const first = out[firstInBatch.get(o.eventId)!]!;
    const storedSha = first.status === 'created' ? orders[firstInBatch.get(o.eventId)!]!.sha256 : late.get(o.eventId)?.sha256;
    out[k] = first.status === 'rejected' ? first : { status: 'duplicate', id: first.id, sameAsStored: storedSha === o.sha256 };
  }
  return out as InsertOutcome[];
}

/** One order (insertPartnerOrders of one). */
export async function insertPartnerOrder(db: SqlRunner, o: NewPartnerOrder): Promise<InsertOutcome> {
  return (await insertPartnerOrders(db, [o]))[0]!;
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
