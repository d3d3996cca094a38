import { AppError, notFound } from '../../../../shared/errors.js';
import { nowIso } from '../../../../shared/time.js';
import { completeAuditRow, type AuditTemplate } from '../contract/audit-row.js';
import { newOrderCode } from '../contract/order-code.js';
import { idempotencyKeyReused, notEnoughLeft, notEnoughOfListing, saleCustomer, salePayment, saleResult, unavailableError } from '../contract/sale-rules.js';
import type { SeatChange } from '../contract/shapes.js';
import type { SaleInput, SaleResult, TaskArgs } from '../contract/tasks.js';
import { upsertCustomerSql } from '../common/customers-sql.js';
import { PgRunner, type Queryable } from './pg-runner.js';

/** What a sale needs to know about the database it runs on (resolved once when the store opens). */
export interface SellContext {
  /** The orders.id identity sequence (pg_get_serial_sequence). */
  ordersSequence: string;
}

/**
 * Thrown inside the sale's transaction when a concurrent twin with the same Idempotency-Key committed
 * first: the caller rolls back and answers the twin's stored response.
 */
export class IdempotentTwin extends Error {
  constructor(readonly key: string) {
    super('idempotent twin');
  }
}

interface Flipped {
  id: number;
  event_id: number;
  price_cents: number;
  currency: string;
  order_id: number;
}

// The guarded flip: only tickets still available, or held by this sale's holder, or whose hold has
// lapsed, become sold (the seat_holds trigger then ends those holds). Each row is locked as it is
// updated; a row another terminal is selling waits for that COMMIT and is judged again on the new
// version, so it is not flipped twice. The order id is drawn in the same statement.
const FLIP = `UPDATE tickets t SET status = 'sold', updated_at = $2
  WHERE t.id = ANY($1::bigint[])
    AND (t.status = 'available'
      OR (t.status = 'held' AND EXISTS (SELECT 1 FROM seat_holds h WHERE h.ticket_id = t.id
            AND (h.holder = $3 OR (h.expires_at IS NOT NULL AND h.expires_at <= $4)))))
  RETURNING t.id, t.event_id, t.price_cents, t.currency, (SELECT nextval($5::regclass)) AS order_id`;

// "Any N of this event": the cheapest available tickets no other terminal is selling right now
// (SKIP LOCKED), locked and flipped in one statement.
const FLIP_ANY = `UPDATE tickets t SET status = 'sold', updated_at = $3
  WHERE t.id IN (SELECT id FROM tickets WHERE event_id = $1 AND status = 'available'
                  ORDER BY price_cents, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    AND t.status = 'available'
  RETURNING t.id, t.event_id, t.price_cents, t.currency, (SELECT nextval($4::regclass)) AS order_id`;

// "N of this listing": the same, within one listing, in seat order. Rows another terminal is selling
// right now are skipped, never waited for; the outer guard flips only rows still available, and the
// caller checks that it flipped all N (else it throws and the transaction rolls back).
const FLIP_LISTING = `UPDATE tickets t SET status = 'sold', updated_at = $3
  WHERE t.id IN (SELECT id FROM tickets WHERE listing_id = $1 AND status = 'available'
                  ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
    AND t.status = 'available'
  RETURNING t.id, t.event_id, t.price_cents, t.currency, (SELECT nextval($4::regclass)) AS order_id`;

// Stands for the order id in the JSON written before the id is drawn (inside the statement); a ticket or
// order id is never negative, so the text appears nowhere else in a sale's result.
const ID_SENTINEL = -7654321012345;
const REFUSED = 'marquee_sale_not_taken';

// The whole walk-in sale as one statement (atomic in autocommit): the guarded flip, a guard that the
// flip took every ticket at the prices the payment was computed from and that the commit will be
// durable, else an error that undoes the statement; the order id is drawn only then, under the lock on
// orders the statement holds from its start (see beginSale in pg-store.ts); then order, line, payment
// and audit entry. The guard's ELSE depends on the flip's rows, so it is never folded at plan time.
function oneStatementText(audit: boolean): string {
  const parts = [
    `f AS (UPDATE tickets t SET status = 'sold', updated_at = $2
           WHERE t.id = ANY($1::bigint[]) AND t.status = 'available'
           RETURNING t.id, t.price_cents, t.currency)`,
    `g AS (SELECT count(*) AS n FROM f JOIN unnest($1::bigint[], $3::bigint[]) AS x(t, p) ON x.t = f.id AND x.p = f.price_cents AND f.currency = $4)`,
    `ok AS (SELECT CASE WHEN g.n = cardinality($1::bigint[]) AND current_setting('synchronous_commit') IN ('on', 'remote_write', 'remote_apply')
                        THEN nextval($5::regclass)
                        ELSE ('${REFUSED}: ' || g.n || ' of ' || cardinality($1::bigint[]) || ', synchronous_commit ' || current_setting('synchronous_commit'))::bigint END AS id
            FROM g)`,
    `o AS (INSERT INTO orders (id, code, customer_id, channel, referral, total_cents, currency, created_at)
           SELECT ok.id, $6, NULL, $7, NULL, $8, $4, $2 FROM ok RETURNING id)`,
    `i AS (INSERT INTO order_items (order_id, ticket_id, price_cents) SELECT o.id, x.t, x.p FROM o, unnest($9::bigint[], $10::bigint[]) AS x(t, p))`,
    `p AS (INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) SELECT o.id, $11, $8, $12::bigint, $13::bigint, $2 FROM o)`,
  ];
  if (audit) {
    parts.push(`a AS (INSERT INTO audit_log (at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json)
           SELECT $14, $15::bigint, $16, $17, $18, $19::bigint, $20, $21, $22, $23, replace($24, '"id":${ID_SENTINEL}', '"id":' || o.id) FROM o)`);
  }
  return `WITH ${parts.join(',\n')} SELECT o.id FROM o`;
}
const ONE_STATEMENT = { audit: oneStatementText(true), plain: oneStatementText(false) };

export interface Peeked {
  id: number;
  event_id: number;
  status: string;
  price_cents: number;
  currency: string;
}

/** The tickets' status and prices, read without a lock: what a one-statement sale (or batch) guards against. */
export async function peekTickets(q: Queryable, ids: readonly number[]): Promise<Peeked[]> {
  return (await q.query<Peeked>({ name: 'sale_peek', text: 'SELECT id, event_id, status, price_cents, currency FROM tickets WHERE id = ANY($1::bigint[])', values: [ids] })).rows;
}

/**
 * A walk-in sale (no customer, referral or Idempotency-Key) in two round trips instead of a
 * transaction's four: the tickets' prices read without a lock, then the one statement above. Null
 * when that is not the sale's case (a ticket missing, held or not available, or changed between the
 * read and the statement): the caller then runs the sale as a transaction, which gives the answer.
 */
export async function sellInOneStatement(
  q: Queryable,
  ctx: SellContext,
  a: TaskArgs<'sell'> & { audit?: AuditTemplate },
  sold: SeatChange[],
): Promise<SaleResult | null> {
  const input = a.input;
  if (input.idempotencyKey || input.referral || saleCustomer(input)) return null;
  const ids = [...a.ids];
  const peeked = await peekTickets(q, ids);
  if (peeked.length !== ids.length || peeked.some((t) => t.status !== 'available')) return null;
  const prices = new Map(peeked.map((t) => [Number(t.id), { price_cents: Number(t.price_cents), currency: t.currency }]));
  const payment = salePayment(input, ids, prices);
  const now = nowIso();
  for (let attempt = 0; ; attempt++) {
    const code = newOrderCode();
    const result = saleResult({ id: ID_SENTINEL, code, ids, payment, now });
    const auditRow = a.audit ? completeAuditRow(a.audit, result) : null;
    const values: unknown[] = [
      ids,
      now,
      ids.map((id) => prices.get(id)!.price_cents),
      payment.currency,
      ctx.ordersSequence,
      code,
      input.channel ?? a.channel,
      payment.totalCents,
      payment.items.map((i) => i.ticketId),
      payment.items.map((i) => i.priceCents),
      payment.tender,
      payment.tenderedCents,
      payment.changeCents,
    ];
    if (auditRow) {
      values.push(
        auditRow.at,
        auditRow.user_id ?? null,
        auditRow.username ?? null,
        auditRow.role ?? null,
        auditRow.terminal ?? null,
        auditRow.token_id ?? null,
        auditRow.operation,
        auditRow.subject ?? null,
        auditRow.input_json,
        auditRow.before_json ?? null,
        auditRow.after_json ?? null,
      );
    }
    try {
      const r = await q.query<{ id: number }>({ name: auditRow ? 'sale_one_a' : 'sale_one', text: auditRow ? ONE_STATEMENT.audit : ONE_STATEMENT.plain, values });
      const orderId = Number(r.rows[0]!.id);
      result.order.id = orderId;
      sold.push(...soldChanges(peeked));
      return result;
    } catch (err) {
      const e = err as { code?: string; constraint?: string; message?: string };
      // The guard refused: nothing was written; the transaction says why (or sells at the new price).
      if (e.code === '22P02' && e.message?.includes(REFUSED)) return null;
      // Order codes end in 25 random bits (order-code.ts); a clash with an existing code draws another.
      if (e.code === '23505' && e.constraint === 'orders_code_key' && attempt < 3) continue;
      throw err;
    }
  }
}

/** The sale on PostgreSQL, inside the caller's transaction on client `q`; what it sold is added to `sold` (announced after COMMIT). */
export async function sellPg(
  q: Queryable,
  ctx: SellContext,
  a: TaskArgs<'sell'> & { audit?: AuditTemplate },
  sold: SeatChange[],
): Promise<SaleResult> {
  const now = nowIso();
  const input = a.input;
  if (input.idempotencyKey) {
    const prior = await priorResponse(q, input.idempotencyKey, a.requestHash);
    if (prior) return prior;
  }
  const ids = [...a.ids];
  const rows = (await q.query<Flipped>({ name: 'sale_flip', text: FLIP, values: [ids, now, input.holder ?? '', new Date(a.holdNowMs).toISOString(), ctx.ordersSequence] })).rows;
  if (rows.length !== ids.length) await refuseUnavailable(q, ids, new Set(rows.map((r) => Number(r.id))));
  return finishSale(q, ctx, a.channel, input, ids, rows, a.requestHash, now, a.audit, sold);
}

export async function sellAnyPg(q: Queryable, ctx: SellContext, a: TaskArgs<'sellAny'> & { audit?: AuditTemplate }, sold: SeatChange[]): Promise<SaleResult> {
  const now = nowIso();
  const rows = (await q.query<Flipped>({ name: 'sale_flip_any', text: FLIP_ANY, values: [a.eventId, a.quantity, now, ctx.ordersSequence] })).rows;
  if (rows.length < a.quantity) {
    const exists = await q.query('SELECT 1 FROM events WHERE id = $1', [a.eventId]);
    if (exists.rowCount === 0) throw notFound('event', a.eventId);
    // Counted outside the locks: tickets other terminals are selling right now are not left either.
    throw notEnoughLeft(a.eventId, rows.length);
  }
  const byPrice = [...rows].sort((x, y) => x.price_cents - y.price_cents || x.id - y.id);
  const ids = byPrice.map((r) => Number(r.id));
  return finishSale(q, ctx, a.channel, { ...a.sale, ticketIds: ids }, ids, rows, '', now, a.audit, sold);
}

export async function sellListingPg(
  q: Queryable,
  ctx: SellContext,
  a: TaskArgs<'sellListing'> & { audit?: AuditTemplate },
  sold: SeatChange[],
): Promise<SaleResult> {
  const now = nowIso();
  const key = a.sale.idempotencyKey;
  if (key) {
    // Twins of one request must wait for each other: SKIP LOCKED lets a twin pass the first one's
    // locked rows, find too few left and answer 409 for a sale that is about to commit. Taking the
    // key's lock first makes it wait for that COMMIT, then answer with the first one's order.
    await q.query({ name: 'sale_key_lock', text: "SELECT pg_advisory_xact_lock(hashtext('marquee.idempotency:' || $1))", values: [key] });
    const prior = await priorResponse(q, key, a.requestHash);
    if (prior) return prior;
  }
  const rows = (await q.query<Flipped>({ name: 'sale_flip_listing', text: FLIP_LISTING, values: [a.listingId, a.quantity, now, ctx.ordersSequence] })).rows;
  if (rows.length < a.quantity) {
    const exists = await q.query('SELECT 1 FROM listings WHERE id = $1', [a.listingId]);
    if (exists.rowCount === 0) throw notFound('listing', a.listingId);
    // Thrown inside the transaction: the rows that did flip roll back with it.
    throw notEnoughOfListing(a.listingId, rows.length);
  }
  const ids = rows.map((r) => Number(r.id)).sort((x, y) => x - y);
  return finishSale(q, ctx, a.channel, { ...a.sale, ticketIds: ids }, ids, rows, a.requestHash, now, a.audit, sold);
}

async function priorResponse(q: Queryable, key: string, requestHash: string): Promise<SaleResult | null> {
  const prior = (
    await q.query<{ request_hash: string; response_json: string }>({ name: 'sale_prior', text: 'SELECT request_hash, response_json FROM idempotency_keys WHERE key = $1', values: [key] })
  ).rows[0];
  if (!prior) return null;
  if (prior.request_hash !== requestHash) throw idempotencyKeyReused(key);
  return JSON.parse(prior.response_json) as SaleResult;
}

/** After a rollback for an idempotent twin: its committed answer. */
export async function twinResponse(q: Queryable, key: string, requestHash: string): Promise<SaleResult> {
  const r = await priorResponse(q, key, requestHash);
  if (!r) throw new AppError('CONFLICT', 'A sale with this Idempotency-Key was being made at another terminal; try again', { retryable: true });
  return r;
}

/** NOT_FOUND for ids that do not exist, else TICKET_UNAVAILABLE for the ones that did not flip. */
async function refuseUnavailable(q: Queryable, ids: number[], flipped: Set<number>): Promise<never> {
  const known = new Set((await q.query<{ id: number }>('SELECT id FROM tickets WHERE id = ANY($1::bigint[])', [ids])).rows.map((r) => Number(r.id)));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new AppError('NOT_FOUND', `ticket ${missing.join(', ')} does not exist`, { ticketIds: missing });
  throw unavailableError(ids.filter((id) => !flipped.has(id)));
}

/** What a sale changed, per event, for the seat feed. */
function soldChanges(rows: readonly { id: number; event_id: number }[]): SeatChange[] {
  const byEvent = new Map<number, number[]>();
  for (const r of rows) {
    const list = byEvent.get(Number(r.event_id));
    if (list) list.push(Number(r.id));
    else byEvent.set(Number(r.event_id), [Number(r.id)]);
  }
  return [...byEvent].map(([eventId, ticketIds]) => ({ eventId, ticketIds, status: 'sold', holder: null, expiresAt: null }));
}

async function finishSale(
  q: Queryable,
  ctx: SellContext,
  channel: 'kiosk' | 'api',
  input: SaleInput,
  ids: number[],
  rows: Flipped[],
  requestHash: string,
  now: string,
  audit: AuditTemplate | undefined,
  sold: SeatChange[],
): Promise<SaleResult> {
  const flipped = new Map(rows.map((r) => [Number(r.id), { price_cents: Number(r.price_cents), currency: r.currency }]));
  const payment = salePayment(input, ids, flipped);
  const customer = saleCustomer(input);
  const runner = new PgRunner(q);
  const customerId = customer ? await upsertCustomerSql(runner, customer, now) : null;
  if (input.referral) await q.query('INSERT INTO referral_sources (slug, created_at) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING', [input.referral, now]);
  const orderId = Number(rows[0]!.order_id);
  for (let attempt = 0; ; attempt++) {
    const code = newOrderCode();
    const result = saleResult({ id: orderId, code, ids, payment, now });
    const auditRow = audit ? completeAuditRow(audit, result) : null;
    const args: unknown[] = [
      orderId,
      code,
      customerId,
      input.channel ?? channel,
      input.referral ?? null,
      payment.totalCents,
      payment.currency,
      now,
      payment.items.map((i) => i.ticketId),
      payment.items.map((i) => i.priceCents),
      payment.tender,
      payment.tenderedCents,
      payment.changeCents,
    ];
    const parts = [
      `o AS (INSERT INTO orders (id, code, customer_id, channel, referral, total_cents, currency, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING RETURNING id)`,
      `i AS (INSERT INTO order_items (order_id, ticket_id, price_cents)
             SELECT o.id, x.t, x.p FROM o, unnest($9::bigint[], $10::bigint[]) AS x(t, p))`,
      `p AS (INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at)
             SELECT o.id, $11, $6, $12::bigint, $13::bigint, $8 FROM o)`,
    ];
    let keys = '1';
    if (auditRow) {
      const at = args.length;
      args.push(
        auditRow.at,
        auditRow.user_id ?? null,
        auditRow.username ?? null,
        auditRow.role ?? null,
        auditRow.terminal ?? null,
        auditRow.token_id ?? null,
        auditRow.operation,
        auditRow.subject ?? null,
        auditRow.input_json,
        auditRow.before_json ?? null,
        auditRow.after_json ?? null,
      );
      const p = (k: number) => `$${at + k}`;
      parts.push(`a AS (INSERT INTO audit_log (at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json)
             SELECT ${p(1)}, ${p(2)}::bigint, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::bigint, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)} FROM o)`);
    }
    if (input.idempotencyKey) {
      const at = args.length;
      args.push(input.idempotencyKey, requestHash, JSON.stringify(result));
      parts.push(`k AS (INSERT INTO idempotency_keys (key, operation, request_hash, response_json, created_at)
             SELECT $${at + 1}, 'createOrder', $${at + 2}, $${at + 3}, $8 FROM o ON CONFLICT (key) DO NOTHING RETURNING key)`);
      keys = '(SELECT count(*) FROM k)';
    }
    // Four shapes (with or without audit entry, idempotency key), each a named statement: parsed once per connection.
    const r = (
      await q.query<{ orders: number; keys: number }>({
        name: `sale_write_${auditRow ? 'a' : ''}${input.idempotencyKey ? 'k' : ''}`,
        text: `WITH ${parts.join(',\n')} SELECT (SELECT count(*) FROM o) AS orders, ${keys} AS keys`,
        values: args,
      })
    ).rows[0]!;
    if (Number(r.orders) === 1) {
      if (Number(r.keys) !== 1) throw new IdempotentTwin(input.idempotencyKey!);
      sold.push(...soldChanges(rows));
      return result;
    }
    // Order codes end in 25 random bits (order-code.ts); a clash with an existing code draws another.
    if (attempt >= 3) throw new AppError('INTERNAL', 'could not draw an unused order code');
  }
}
