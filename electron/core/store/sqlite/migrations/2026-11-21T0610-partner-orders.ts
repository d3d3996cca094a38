// Frozen once shipped: partner order events (issue 7) and the indexes the sales reports run on.
import { sql, type Kysely } from 'kysely';

const statements = [
  // The normalised order of one partner `order.created` event; event_id makes ingestion idempotent.
  `CREATE TABLE partner_orders (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 200),
    channel TEXT NOT NULL CHECK (channel = lower(channel) AND length(channel) BETWEEN 1 AND 64),
    customer_id INTEGER REFERENCES customers(id),
    financial_status TEXT NOT NULL CHECK (financial_status IN ('paid','partially_paid','partially_refunded','authorized','pending','refunded','voided')),
    counted INTEGER NOT NULL CHECK (counted IN (0,1)),
    currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    discount_cents INTEGER NOT NULL CHECK (discount_cents >= 0),
    tax_cents INTEGER NOT NULL CHECK (tax_cents >= 0),
    item_count INTEGER NOT NULL CHECK (item_count >= 0),
    billing_region TEXT,
    billing_country TEXT,
    shipping_region TEXT,
    shipping_country TEXT,
    referral TEXT,
    tender TEXT,
    clerk TEXT,
    occurred_at TEXT NOT NULL,
    time_source TEXT NOT NULL CHECK (time_source IN ('event','received')),
    received_at TEXT NOT NULL
  ) STRICT`,
  // Reports filter on the instant and read these columns only, so the index covers them (no table visits).
  `CREATE INDEX partner_orders_report ON partner_orders (occurred_at, counted, currency, channel, total_cents, item_count, customer_id)`,
  `CREATE TABLE partner_order_items (
    id INTEGER PRIMARY KEY,
    partner_order_id INTEGER NOT NULL REFERENCES partner_orders(id),
    line_no INTEGER NOT NULL CHECK (line_no >= 1),
    product_id TEXT NOT NULL,
    title TEXT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    price_cents INTEGER CHECK (price_cents IS NULL OR price_cents >= 0),
    event_id INTEGER REFERENCES events(id),
    CHECK (event_id IS NULL OR price_cents IS NOT NULL),
    UNIQUE (partner_order_id, line_no)
  ) STRICT`,
  `CREATE INDEX partner_order_items_by_event ON partner_order_items (event_id, partner_order_id) WHERE event_id IS NOT NULL`,
  `CREATE TABLE partner_order_addresses (
    partner_order_id INTEGER NOT NULL REFERENCES partner_orders(id),
    kind TEXT NOT NULL CHECK (kind IN ('billing','shipping')),
    first_name TEXT,
    last_name TEXT,
    company TEXT,
    address1 TEXT,
    address2 TEXT,
    city TEXT,
    region TEXT,
    region_code TEXT,
    postal_code TEXT,
    country TEXT,
    country_code TEXT,
    phone TEXT,
    PRIMARY KEY (partner_order_id, kind)
  ) STRICT`,
  // The event exactly as received, beside (not inside) the hot order rows.
  `CREATE TABLE partner_order_events (
    partner_order_id INTEGER PRIMARY KEY REFERENCES partner_orders(id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    raw_json TEXT NOT NULL CHECK (json_valid(raw_json))
  ) STRICT`,
  // Top customers cannot be rolled up (about one row per order); this index lets GROUP BY customer stream.
  `CREATE INDEX orders_by_customer_report ON orders (customer_id, created_at, status, currency, channel, total_cents) WHERE customer_id IS NOT NULL`,
  `CREATE INDEX partner_orders_by_customer_report ON partner_orders (customer_id, occurred_at, counted, currency, channel, total_cents) WHERE customer_id IS NOT NULL`,
  // Rollups for the reports (see electron/core/analytics/INGESTION.md, "Reports and speed"). They are a
  // cache: folded in from orders/partner_orders by id above a watermark when a report runs, so the sale
  // path pays nothing; an UPDATE or DELETE of an already-folded row marks its UTC day dirty (triggers
  // below) and that day is rebuilt from the raw rows.
  `CREATE TABLE report_hourly (
    hour TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('box','partner')),
    channel TEXT NOT NULL,
    currency TEXT NOT NULL,
    orders INTEGER NOT NULL,
    cents INTEGER NOT NULL,
    PRIMARY KEY (hour, source, channel, currency)
  ) WITHOUT ROWID, STRICT`,
  `CREATE TABLE report_daily (
    dim TEXT NOT NULL CHECK (dim IN ('referral','region','region:billing','region:shipping','event','seller','tender')),
    day TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('box','partner')),
    channel TEXT NOT NULL,
    currency TEXT NOT NULL,
    key TEXT NOT NULL,
    key2 TEXT NOT NULL,
    orders INTEGER NOT NULL,
    items INTEGER NOT NULL,
    cents INTEGER NOT NULL,
    tendered INTEGER NOT NULL,
    change INTEGER NOT NULL,
    PRIMARY KEY (dim, day, source, channel, currency, key, key2)
  ) WITHOUT ROWID, STRICT`,
  // Per-event totals over all time (sell-through) read only the rows of the events asked for.
  `CREATE INDEX report_daily_by_key ON report_daily (dim, key, source, currency, items)`,
  // All-time spend per customer: an upper bound of any range's spend, so top customers over a long
  // range can stop early (see reports-repo topCustomers).
  `CREATE TABLE report_customer_totals (
    customer_id INTEGER NOT NULL,
    currency TEXT NOT NULL,
    cents INTEGER NOT NULL,
    PRIMARY KEY (customer_id, currency)
  ) WITHOUT ROWID, STRICT`,
  `CREATE INDEX report_customer_totals_by_cents ON report_customer_totals (currency, cents)`,
  `CREATE TABLE report_watermarks (
    source TEXT PRIMARY KEY CHECK (source IN ('box','partner')),
    last_id INTEGER NOT NULL
  ) STRICT`,
  `INSERT INTO report_watermarks (source, last_id) VALUES ('box', 0), ('partner', 0)`,
  `CREATE TABLE report_dirty_days (day TEXT PRIMARY KEY) WITHOUT ROWID, STRICT`,
  ...dirtyTriggers(),
];

/** UPDATE/DELETE triggers only: inserts (every sale) never fire them. */
function dirtyTriggers(): string[] {
  const out: string[] = [];
  const add = (table: string, source: string, idCol: string, dayOf: (row: 'OLD' | 'NEW') => string) => {
    for (const ev of ['UPDATE', 'DELETE'] as const) {
      const rows: ('OLD' | 'NEW')[] = ev === 'UPDATE' ? ['OLD', 'NEW'] : ['OLD'];
      const body = rows
        .map(
          (r) =>
            `INSERT OR IGNORE INTO report_dirty_days (day) SELECT substr(${dayOf(r)}, 1, 10)
             WHERE ${r}.${idCol} <= (SELECT last_id FROM report_watermarks WHERE source = '${source}');`,
        )
        .join('\n');
      out.push(`CREATE TRIGGER ${table}_report_dirty_${ev.toLowerCase()} AFTER ${ev} ON ${table} BEGIN ${body} END`);
    }
  };
  add('orders', 'box', 'id', (r) => `${r}.created_at`);
  add('order_items', 'box', 'order_id', (r) => `(SELECT created_at FROM orders WHERE id = ${r}.order_id)`);
  add('payments', 'box', 'order_id', (r) => `(SELECT created_at FROM orders WHERE id = ${r}.order_id)`);
  add('partner_orders', 'partner', 'id', (r) => `${r}.occurred_at`);
  add('partner_order_items', 'partner', 'partner_order_id', (r) => `(SELECT occurred_at FROM partner_orders WHERE id = ${r}.partner_order_id)`);
  return out;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    ...['orders', 'order_items', 'payments', 'partner_orders', 'partner_order_items'].flatMap((t) => [
      `DROP TRIGGER ${t}_report_dirty_update`,
      `DROP TRIGGER ${t}_report_dirty_delete`,
    ]),
    'DROP TABLE report_dirty_days',
    'DROP TABLE report_customer_totals',
    'DROP TABLE report_watermarks',
    'DROP TABLE report_daily',
    'DROP TABLE report_hourly',
    'DROP INDEX partner_orders_by_customer_report',
    'DROP INDEX orders_by_customer_report',
    'DROP TABLE partner_order_events',
    'DROP TABLE partner_order_addresses',
    'DROP TABLE partner_order_items',
    'DROP TABLE partner_orders',
  ]) {
    await sql.raw(s).execute(db);
  }
}
