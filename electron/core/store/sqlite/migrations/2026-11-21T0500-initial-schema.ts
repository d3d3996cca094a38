// Frozen: never edit a migration that has shipped; add a new one instead.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE venues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    address_line1 TEXT,
    address_line2 TEXT,
    address_line3 TEXT,
    city TEXT NOT NULL CHECK (length(trim(city)) > 0),
    region TEXT,
    postal_code TEXT,
    country TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    venue_id INTEGER NOT NULL REFERENCES venues(id),
    starts_at TEXT NOT NULL,
    starts_at_utc TEXT NOT NULL,
    local_date TEXT NOT NULL CHECK (local_date = substr(starts_at, 1, 10)),
    category TEXT NOT NULL DEFAULT 'other',
    status TEXT NOT NULL CHECK (status IN ('scheduled','on_sale','sold_out','postponed','cancelled','completed')),
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX events_by_start ON events (starts_at_utc)`,
  `CREATE INDEX events_by_local_date ON events (local_date)`,
  `CREATE INDEX events_by_venue ON events (venue_id)`,
  `CREATE TABLE sellers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    email TEXT UNIQUE,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    seller_id INTEGER NOT NULL REFERENCES sellers(id),
    file_name TEXT,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    status TEXT NOT NULL CHECK (status IN ('running','completed','failed','rolled_back')),
    rows_read INTEGER NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_imported INTEGER NOT NULL DEFAULT 0 CHECK (rows_imported >= 0),
    rows_rejected INTEGER NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    tickets_created INTEGER NOT NULL DEFAULT 0 CHECK (tickets_created >= 0),
    errors_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors_json)),
    created_at TEXT NOT NULL,
    completed_at TEXT
  ) STRICT`,
  `CREATE INDEX import_batches_by_hash ON import_batches (seller_id, sha256)`,
  `CREATE TABLE listings (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    seller_id INTEGER NOT NULL REFERENCES sellers(id),
    section TEXT NOT NULL CHECK (length(section) > 0),
    row TEXT NOT NULL CHECK (length(row) > 0),
    seats_json TEXT CHECK (seats_json IS NULL OR json_array_length(seats_json) = quantity),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    source TEXT NOT NULL CHECK (source IN ('ui','api','import','seed')),
    import_batch_id INTEGER REFERENCES import_batches(id),
    source_line INTEGER,
    created_at TEXT NOT NULL,
    CHECK (source NOT IN ('import','seed') OR import_batch_id IS NOT NULL)
  ) STRICT`,
  `CREATE INDEX listings_by_event ON listings (event_id)`,
  `CREATE INDEX listings_by_batch ON listings (import_batch_id)`,
  // One row per seat or unit, so part of a listing can be sold and each ticket has its own status.
  // event/seller/section/row/price are copied from the listing so the hot read paths need no join.
  `CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES listings(id),
    event_id INTEGER NOT NULL REFERENCES events(id),
    seller_id INTEGER NOT NULL REFERENCES sellers(id),
    section TEXT NOT NULL,
    row TEXT NOT NULL,
    seat TEXT,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available','held','sold','void')),
    updated_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX tickets_available_by_event_price ON tickets (event_id, status, price_cents, id)`,
  `CREATE INDEX tickets_by_listing ON tickets (listing_id, status)`,
  `CREATE UNIQUE INDEX tickets_unique_seat_per_listing ON tickets (listing_id, seat) WHERE seat IS NOT NULL`,
  `CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT,
    email TEXT,
    phone TEXT,
    address_line1 TEXT,
    address_line2 TEXT,
    city TEXT,
    region TEXT,
    postal_code TEXT,
    country TEXT,
    created_at TEXT NOT NULL,
    CHECK (name IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL)
  ) STRICT`,
  `CREATE UNIQUE INDEX customers_by_email ON customers (lower(email)) WHERE email IS NOT NULL`,
  `CREATE TABLE referral_sources (
    slug TEXT PRIMARY KEY CHECK (slug = lower(slug) AND length(slug) BETWEEN 1 AND 64),
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE TABLE referral_visits (
    id INTEGER PRIMARY KEY,
    referral TEXT NOT NULL REFERENCES referral_sources(slug),
    event_id INTEGER NOT NULL REFERENCES events(id),
    visited_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX referral_visits_by_event ON referral_visits (event_id, referral)`,
  `CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers(id),
    channel TEXT NOT NULL CHECK (channel IN ('kiosk','api','import','partner')),
    status TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed','cancelled','refunded')),
    referral TEXT REFERENCES referral_sources(slug),
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    currency TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX orders_by_created ON orders (created_at)`,
  `CREATE INDEX orders_by_customer ON orders (customer_id)`,
  `CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    voided_at TEXT
  ) STRICT`,
  // A ticket can be in at most one live order; a refunded item is voided and frees the ticket.
  `CREATE UNIQUE INDEX order_items_one_live_order_per_ticket ON order_items (ticket_id) WHERE voided_at IS NULL`,
  `CREATE INDEX order_items_by_order ON order_items (order_id)`,
  `CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    tender TEXT NOT NULL CHECK (tender IN ('cash','card','comp')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    tendered_cents INTEGER CHECK (tendered_cents IS NULL OR tendered_cents >= amount_cents),
    change_cents INTEGER CHECK (change_cents IS NULL OR change_cents = tendered_cents - amount_cents),
    created_at TEXT NOT NULL,
    CHECK (tender <> 'comp' OR amount_cents = 0),
    CHECK ((tender = 'cash') = (tendered_cents IS NOT NULL))
  ) STRICT`,
  `CREATE INDEX payments_by_order ON payments (order_id)`,
  `CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_json TEXT NOT NULL CHECK (json_valid(response_json)),
    created_at TEXT NOT NULL
  ) STRICT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'idempotency_keys', 'payments', 'order_items', 'orders', 'referral_visits', 'referral_sources',
    'customers', 'tickets', 'listings', 'import_batches', 'sellers', 'events', 'venues',
  ]) {
    await sql.raw(`DROP TABLE ${t}`).execute(db);
  }
}
