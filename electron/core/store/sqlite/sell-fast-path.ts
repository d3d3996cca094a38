import type { NewOrder } from '../common/orders-repo.js';
import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { CustomersTable } from '../contract/schema.js';

/**
 * Prepared statements for the sell path. Kysely builds and compiles every query and wraps the
 * synchronous driver in promises; on a path that runs tens of thousands of times a second that
 * overhead is most of the cost (see bench/RESULTS.md), so the hot path binds prepared statements
 * once per connection. The SQL is plain and portable; only the binding is SQLite-specific and it
 * stays in the store layer. Every function here runs inside a writer transaction (writeGrouped).
 */
/** A customer's fields as stored (customers table), without its id and creation time. */
export type CustomerFields = Omit<Selectable<CustomersTable>, 'id' | 'created_at'>;

export type { NewOrder } from '../common/orders-repo.js';

function prepare(db: SQLite.Database) {
  return {
    ticketStatus: db.prepare<[number]>('SELECT status FROM tickets WHERE id = ?').pluck(),
    markSold: db.prepare<[string, number], { price_cents: number; currency: string }>(
      "UPDATE tickets SET status = 'sold', updated_at = ? WHERE id = ? AND status = 'available' RETURNING price_cents, currency",
    ),
    cheapest: db
      .prepare<[number, number]>(
        "SELECT id FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY price_cents, id LIMIT ?",
      )
      .pluck(),
    ofListing: db
      .prepare<[number, number]>("SELECT id FROM tickets WHERE listing_id = ? AND status = 'available' ORDER BY id LIMIT ?")
      .pluck(),
    listingExists: db.prepare<[number]>('SELECT 1 FROM listings WHERE id = ?').pluck(),
    eventExists: db.prepare<[number]>('SELECT 1 FROM events WHERE id = ?').pluck(),
    idemFind: db.prepare<[string], { request_hash: string; response_json: string }>(
      'SELECT request_hash, response_json FROM idempotency_keys WHERE key = ?',
    ),
    idemSave: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO idempotency_keys (key, operation, request_hash, response_json, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    customerByEmail: db
      .prepare<[string]>('SELECT id FROM customers WHERE lower(email) = ? AND email IS NOT NULL')
      .pluck(),
    // Given fields overwrite, missing ones keep what is on file; the email is the key and stays.
    customerPatch: db.prepare(
      `UPDATE customers SET name = coalesce(@name, name), phone = coalesce(@phone, phone),
        address_line1 = coalesce(@address_line1, address_line1), address_line2 = coalesce(@address_line2, address_line2),
        city = coalesce(@city, city), region = coalesce(@region, region), postal_code = coalesce(@postal_code, postal_code),
        country = coalesce(@country, country)
       WHERE id = @id`,
    ),
    customerInsert: db.prepare(
      `INSERT INTO customers (name, email, phone, address_line1, address_line2, city, region, postal_code, country, created_at)
       VALUES (@name, @email, @phone, @address_line1, @address_line2, @city, @region, @postal_code, @country, @created_at)`,
    ),
    referral: db.prepare<[string, string]>('INSERT INTO referral_sources (slug, created_at) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING'),
    order: db.prepare<[string, number | null, string, string | null, number, string, string]>(
      'INSERT INTO orders (code, customer_id, channel, referral, total_cents, currency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    item: db.prepare<[number, number, number]>('INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (?, ?, ?)'),
    payment: db.prepare<[number, string, number, number | null, number | null, string]>(
      'INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };
}

type Prepared = ReturnType<typeof prepare>;
const cache = new WeakMap<SQLite.Database, SellStatements>();

/** The sell path's statements for this connection, prepared on first use. */
export function sellStatements(db: SQLite.Database): SellStatements {
  let s = cache.get(db);
  if (!s) {
    s = new SellStatements(prepare(db));
    cache.set(db, s);
  }
  return s;
}

export class SellStatements {
  constructor(private readonly p: Prepared) {}

  /**
   * The guarded sell: flips only tickets that are still available, one guarded UPDATE per ticket,
   * and returns the price of each ticket it flipped. Tickets missing from the answer were not
   * available (or do not exist): the caller throws, and its savepoint undoes the ones that flipped.
   */
  markSoldIfAvailable(ids: readonly number[], now: string): Map<number, { price_cents: number; currency: string }> {
    const flipped = new Map<number, { price_cents: number; currency: string }>();
    for (const id of ids) {
      const row = this.p.markSold.get(now, id);
      if (row) flipped.set(id, row);
    }
    return flipped;
  }

  /** 'available', 'held', 'sold', 'void', or undefined when there is no such ticket. */
  ticketStatus(id: number): string | undefined {
    return this.p.ticketStatus.get(id) as string | undefined;
  }

  /** Up to `limit` available tickets of the event, cheapest first (index tickets_available_by_event_price). */
  cheapestAvailable(eventId: number, limit: number): number[] {
    return this.p.cheapest.all(eventId, limit) as number[];
  }

  /** Up to `limit` available tickets of one listing, in seat order (index tickets_by_listing). */
  availableOfListing(listingId: number, limit: number): number[] {
    return this.p.ofListing.all(listingId, limit) as number[];
  }

  listingExists(listingId: number): boolean {
    return this.p.listingExists.get(listingId) !== undefined;
  }

  eventExists(eventId: number): boolean {
    return this.p.eventExists.get(eventId) !== undefined;
  }

  findIdempotencyKey(key: string) {
    return this.p.idemFind.get(key);
  }

  saveIdempotencyKey(key: string, operation: string, hash: string, response: unknown, now: string): void {
    this.p.idemSave.run(key, operation, hash, JSON.stringify(response), now);
  }

  /** Same rule as orders-repo upsertCustomer: an email already on file updates that customer. */
  upsertCustomer(c: CustomerFields, now: string): number {
    if (c.email) {
      const existing = this.p.customerByEmail.get(c.email.toLowerCase()) as number | undefined;
      if (existing !== undefined) {
        this.p.customerPatch.run({ ...c, id: existing });
        return existing;
      }
    }
    return Number(this.p.customerInsert.run({ ...c, created_at: now }).lastInsertRowid);
  }

  ensureReferralSource(slug: string, now: string): void {
    this.p.referral.run(slug, now);
  }

  /** Inserts the order, its lines and its payment; returns the order id. */
  insertOrder(o: NewOrder): number {
    const orderId = Number(
      this.p.order.run(o.code, o.customerId, o.channel, o.referral, o.totalCents, o.currency, o.now).lastInsertRowid,
    );
    for (const i of o.items) this.p.item.run(orderId, i.ticketId, i.priceCents);
    const pay = o.payment;
    this.p.payment.run(orderId, pay.tender, pay.amountCents, pay.tenderedCents, pay.changeCents, o.now);
    return orderId;
  }
}
