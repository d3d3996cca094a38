import { AppError, notFound } from '../../../../shared/errors.js';
import { nowIso } from '../../../../shared/time.js';
import { completeAuditRow, type AuditTemplate } from '../contract/audit-row.js';
import { newOrderCode } from '../contract/order-code.js';
import { idempotencyKeyReused, notEnoughLeft, saleCustomer, salePayment, saleResult, unavailableError } from '../contract/sale-rules.js';
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
