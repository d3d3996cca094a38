import { AppError } from '../../../../shared/errors.js';
import { nowIso } from '../../../../shared/time.js';
import { completeAuditRow, type AuditInsert } from '../contract/audit-row.js';
import { newOrderCode } from '../contract/order-code.js';
import { saleCustomer, salePayment, saleResult, type Payment } from '../contract/sale-rules.js';
import type { SeatChange } from '../contract/shapes.js';
import type { SaleResult, TaskArgs, TaskEnvelope } from '../contract/tasks.js';
import type { Queryable } from './pg-runner.js';
import { peekTickets, type Peeked, type SellContext } from './pg-sell.js';

/**
 * Group commit for walk-in sales on PostgreSQL: the sales that arrive while another batch is being
 * written (pg-sell-lane.ts) are written together, whatever their number, in a fixed handful of
 * statements, so a rush pays one WAL flush and a few round trips per batch instead of per sale.
 *
 * Usually (sellBatchInOneStatement) in two round trips and no transaction: the tickets' prices read,
 * then ONE autocommit statement that flips them all, checks that it took every one at the price read
 * (else it undoes itself: nothing written) and writes every order, line, payment and audit entry.
 * Sales whose tickets the read found taken, or wanted by an earlier sale of the batch, are left out
 * and answered on their own afterwards. If the guard refused, the batch runs as a transaction
 * (sellBatchPg), which decides sale by sale under the row locks.
 *
 * The transaction (beginSellBatch in pg-store.ts opens it: ROW EXCLUSIVE on orders, a savepoint,
 * synchronous_commit read):
 *   1. one guarded UPDATE flips every ticket of every sale that is still available, and draws an
 *      order id per sale (the sequence, under the lock on orders, as the per-sale path does);
 *   2. here, in arrival order, a sale wins if every one of its tickets flipped and no earlier sale
 *      of the batch took one of them; its payment is computed from the prices the flip returned
 *      (read under the row lock, so they cannot change before COMMIT);
 *   3. if any flipped ticket belongs to no winner (a sale that got only part of its tickets, or one
 *      whose ticket an earlier sale of the batch took), ROLLBACK TO SAVEPOINT puts every ticket back
 *      and the winners' tickets alone are flipped again (and judged again: the locks were let go);
 *   4. one statement writes every winner's order, lines, payment and audit entry (ON CONFLICT on the
 *      order code: a sale whose random code clashed draws another and is written again);
 *   5. COMMIT, after the durability check (pg-store.ts transact).
 *
 * A sale that did not win is not refused here: after COMMIT it runs on its own, on the per-sale
 * path, which gives exactly the answer it gives today (409 for a ticket sold, 404 for one that does
 * not exist, a sale of tickets held by its own holder goes through). It waits for the batch's COMMIT
 * first, so a 409 is never given for a sale that might still be rolled back. A winner whose payment
 * is refused (cash tendered below the total, mixed currencies) gets that error, as on its own.
 *
 * Nothing in a batch depends on another sale's outcome except which of two sales of one ticket gets
 * it: one sale's refusal never fails or retries the others. If a statement of the batch fails for
 * any other reason, the caller rolls it back and runs every sale on its own (each gets its own
 * answer); a deadlock or serialization failure first runs the batch again, as any transaction.
 */

export type SellArgs = TaskArgs<'sell'> & TaskEnvelope;

/** A sale the batch lane takes: a walk-in (no customer, referral or Idempotency-Key), the HTTP sell's case. */
export function batchable(a: SellArgs): boolean {
  const i = a.input;
  return !i.idempotencyKey && !i.referral && !saleCustomer(i);
}

export type BatchOutcome =
  /** Committed with the batch. */
  | { kind: 'sold'; result: SaleResult; sold: SeatChange[] }
  /** Refused on its own merits (its payment), nothing of it written. */
  | { kind: 'refused'; error: unknown }
  /** Not taken by the batch: answered by the per-sale path after COMMIT. */
  | { kind: 'alone' };

interface FlipRow {
  id: number | null;
  event_id: number | null;
  price_cents: number | null;
  currency: string | null;
  order_id: number | null;
}

// Locks and flips in one statement; the order ids are drawn in the same round trip. `= ANY` on the
// primary key visits the (sorted) ids in order, the order every other path locks tickets in.
const FLIP = `WITH f AS (UPDATE tickets t SET status = 'sold', updated_at = $2
    WHERE t.id = ANY($1::bigint[]) AND t.status = 'available'
    RETURNING t.id, t.event_id, t.price_cents, t.currency)
  SELECT f.id, f.event_id, f.price_cents, f.currency, NULL::bigint AS order_id FROM f
  UNION ALL SELECT NULL, NULL, NULL, NULL, nextval($3::regclass) FROM generate_series(1, $4::int)`;

// Every winner's order, lines, payment and audit entry: one statement, the same columns and values as
// the per-sale path (pg-sell.ts finishSale) writes. Only orders whose code did not clash get the rest.
const WRITE = `WITH x AS (
    SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
      AS x(id, code, channel, total, currency, tender, tendered, change)),
  o AS (INSERT INTO orders (id, code, customer_id, channel, referral, total_cents, currency, created_at)
    SELECT x.id, x.code, NULL, x.channel, NULL, x.total, x.currency, $1 FROM x ORDER BY x.id
    ON CONFLICT (code) DO NOTHING RETURNING id),
  i AS (INSERT INTO order_items (order_id, ticket_id, price_cents)
    SELECT l.o, l.t, l.p FROM unnest($10::bigint[], $11::bigint[], $12::bigint[]) WITH ORDINALITY AS l(o, t, p, n)
    WHERE l.o IN (SELECT id FROM o) ORDER BY l.n),
  p AS (INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at)
    SELECT x.id, x.tender, x.total, x.tendered, x.change, $1 FROM x WHERE x.id IN (SELECT id FROM o) ORDER BY x.id),
  a AS (INSERT INTO audit_log (at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json)
    SELECT a.at, a.user_id, a.username, a.role, a.terminal, a.token_id, a.operation, a.subject, a.input_json, a.before_json, a.after_json
    FROM unnest($13::bigint[], $14::text[], $15::bigint[], $16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[])
      WITH ORDINALITY AS a(o, at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json, n)
    WHERE a.o IN (SELECT id FROM o) ORDER BY a.n)
  SELECT id FROM o`;

interface Winner {
  index: number;
  ids: number[];
  payment: Payment & { currency: string };
}

interface Flipped {
  tickets: Map<number, { event_id: number; price_cents: number; currency: string }>;
  orderIds: number[];
}

interface BuiltSale {
  w: Winner;
  a: SellArgs;
  result: SaleResult;
  audit: AuditInsert | null;
}

/**
 * The arrays both write statements unnest, in their parameter order: each order (keyed by `key`, an
 * order id or the sale's slot in the batch), then every line, then every audit entry.
 */
function saleColumns<B extends BuiltSale>(built: readonly B[], key: (b: B) => number): unknown[] {
  const withAudit = built.filter((b) => b.audit !== null);
  const col = <T>(pick: (b: B) => T) => built.map(pick);
  const acol = <T>(pick: (r: AuditInsert) => T) => withAudit.map((b) => pick(b.audit!));
  const lines = built.flatMap((b) => b.w.payment.items.map((i) => [key(b), i.ticketId, i.priceCents] as const));
  return [
    col(key),
    col((b) => b.result.order.code),
    col((b) => b.a.input.channel ?? b.a.channel),
    col((b) => b.w.payment.totalCents),
    col((b) => b.w.payment.currency),
    col((b) => b.w.payment.tender),
    col((b) => b.w.payment.tenderedCents),
    col((b) => b.w.payment.changeCents),
    lines.map((l) => l[0]),
    lines.map((l) => l[1]),
    lines.map((l) => l[2]),
    withAudit.map(key),
    acol((r) => r.at),
    acol((r) => r.user_id ?? null),
    acol((r) => r.username ?? null),
    acol((r) => r.role ?? null),
    acol((r) => r.terminal ?? null),
    acol((r) => r.token_id ?? null),
    acol((r) => r.operation),
    acol((r) => r.subject ?? null),
    acol((r) => r.input_json),
    acol((r) => r.before_json ?? null),
    acol((r) => r.after_json ?? null),
  ];
}

async function flip(q: Queryable, ctx: SellContext, ids: number[], now: string, orderIds: number): Promise<Flipped> {
  const rows = (await q.query<FlipRow>({ name: 'sale_batch_flip', text: FLIP, values: [ids, now, ctx.ordersSequence, orderIds] })).rows;
  const tickets = new Map<number, { event_id: number; price_cents: number; currency: string }>();
  const drawn: number[] = [];
  for (const r of rows) {
    if (r.id === null) drawn.push(Number(r.order_id));
    else tickets.set(Number(r.id), { event_id: Number(r.event_id), price_cents: Number(r.price_cents), currency: r.currency! });
  }
  drawn.sort((a, b) => a - b);
  return { tickets, orderIds: drawn };
}

/** In arrival order: who gets all of its tickets; payments from the prices the flip locked. */
function decide(items: readonly SellArgs[], candidates: readonly number[], flipped: Flipped['tickets'], outcomes: BatchOutcome[]): Winner[] {
  const taken = new Set<number>();
  const winners: Winner[] = [];
  for (const k of candidates) {
    const a = items[k]!;
    const ids = a.ids;
    if (!ids.every((id) => flipped.has(id) && !taken.has(id))) {
      outcomes[k] = { kind: 'alone' };
      continue;
    }
    const prices = new Map(ids.map((id) => [id, flipped.get(id)!]));
    try {
      const payment = salePayment(a.input, ids, prices);
      for (const id of ids) taken.add(id);
      winners.push({ index: k, ids: [...ids], payment });
    } catch (err) {
      outcomes[k] = { kind: 'refused', error: err };
    }
  }
  return winners;
}

const distinctSorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

// Stand for the batch's order ids in the audit JSON written before the ids are drawn (inside the
// statement): ID_BASE - k for the k-th sale, all of one width, never an id (ids are positive).
const ID_BASE = -7654321000000;
const REFUSED = 'marquee_batch_not_taken';

// The whole batch as one statement (atomic in autocommit): the guarded flip of every ticket; a guard
// that it took each one at the price and currency the payments were computed from, under a durable
// synchronous_commit, else an error that undoes the statement; only then the order ids (under the
// lock on orders the statement holds from its start, as beginSale takes it) and every order, line,
// payment and audit entry. The guard's ELSE depends on the flip's rows, so it is never folded at plan time.
const ONE_STATEMENT = `WITH f AS (UPDATE tickets t SET status = 'sold', updated_at = $1
      WHERE t.id = ANY($2::bigint[]) AND t.status = 'available'
      RETURNING t.id, t.price_cents, t.currency),
  g AS (SELECT count(*) AS n FROM f JOIN unnest($2::bigint[], $3::bigint[], $4::text[]) AS w(t, p, c) ON w.t = f.id AND w.p = f.price_cents AND w.c = f.currency),
  ok AS (SELECT CASE WHEN g.n = cardinality($2::bigint[]) AND current_setting('synchronous_commit') IN ('on', 'remote_write', 'remote_apply') THEN 0
                     ELSE ('${REFUSED}: ' || g.n || ' of ' || cardinality($2::bigint[]) || ', synchronous_commit ' || current_setting('synchronous_commit'))::bigint END AS z
         FROM g),
  x AS (SELECT nextval($5::regclass) + ok.z AS id, s.*
        FROM ok, unnest($6::int[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::bigint[], $13::bigint[])
          WITH ORDINALITY AS s(k, code, channel, total, currency, tender, tendered, change, n)),
  o AS (INSERT INTO orders (id, code, customer_id, channel, referral, total_cents, currency, created_at)
        SELECT x.id, x.code, NULL, x.channel, NULL, x.total, x.currency, $1 FROM x ORDER BY x.n),
  i AS (INSERT INTO order_items (order_id, ticket_id, price_cents)
        SELECT x.id, l.t, l.p FROM unnest($14::int[], $15::bigint[], $16::bigint[]) WITH ORDINALITY AS l(k, t, p, n) JOIN x ON x.k = l.k ORDER BY l.n),
  p AS (INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at)
        SELECT x.id, x.tender, x.total, x.tendered, x.change, $1 FROM x ORDER BY x.n),
  a AS (INSERT INTO audit_log (at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json)
        SELECT a.at, a.user_id, a.username, a.role, a.terminal, a.token_id, a.operation, a.subject, a.input_json, a.before_json,
               replace(a.after_json, '"id":' || (${ID_BASE} - a.k) || ',', '"id":' || x.id || ',')
        FROM unnest($17::int[], $18::text[], $19::bigint[], $20::text[], $21::text[], $22::text[], $23::bigint[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[])
          WITH ORDINALITY AS a(k, at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json, n)
        JOIN x ON x.k = a.k ORDER BY a.n)
  SELECT x.k, x.id FROM x`;


/**
 * The batch in two round trips, no transaction: the tickets' prices read without a lock, then the
 * statement above. Sales whose tickets the read did not find all available, or that want a ticket an
 * earlier sale of the batch wants, are left out ('alone': answered on the per-sale path after the
 * batch). Null when the guard refused (a ticket changed between the read and the statement): nothing
 * was written, and the caller runs the batch as a transaction (sellBatchPg), which decides sale by sale.
 */
export async function sellBatchInOneStatement(q: Queryable, ctx: SellContext, items: readonly SellArgs[]): Promise<BatchOutcome[] | null> {
  const outcomes: BatchOutcome[] = items.map(() => ({ kind: 'alone' }));
  const all = distinctSorted(items.flatMap((a) => a.ids));
  const peeked = new Map<number, Peeked>();
  for (const r of await peekTickets(q, all)) peeked.set(Number(r.id), r);
  const taken = new Set<number>();
  const chosen: Winner[] = [];
  items.forEach((a, k) => {
    const ids = a.ids;
    if (!ids.every((id) => peeked.get(id)?.status === 'available' && !taken.has(id))) return;
    let payment: Winner['payment'];
    try {
      payment = salePayment(a.input, ids, new Map(ids.map((id) => [id, peeked.get(id)!])));
    } catch {
      return; // refused at these prices: the per-sale path gives the answer at the prices it locks
    }
    for (const id of ids) taken.add(id);
    chosen.push({ index: k, ids: [...ids], payment });
  });
  if (chosen.length === 0) return outcomes;
  const now = nowIso();
  const tickets = distinctSorted(taken);
  for (let attempt = 0; ; attempt++) {
    const codes = new Set<string>();
    const built = chosen.map((w, j) => {
      const a = items[w.index]!;
      let code = newOrderCode();
      while (codes.has(code)) code = newOrderCode();
      codes.add(code);
      const result = saleResult({ id: ID_BASE - j, code, ids: w.ids, payment: w.payment, now });
      return { w, j, a, result, audit: a.audit ? completeAuditRow(a.audit, result) : null };
    });
    const values: unknown[] = [
      now,
      tickets,
      tickets.map((id) => peeked.get(id)!.price_cents),
      tickets.map((id) => peeked.get(id)!.currency),
      ctx.ordersSequence,
      ...saleColumns(built, (b) => b.j),
    ];
    let rows: { k: number; id: number }[];
    try {
      rows = (await q.query<{ k: number; id: number }>({ name: 'sale_batch_one', text: ONE_STATEMENT, values })).rows;
    } catch (err) {
      const e = err as { code?: string; constraint?: string; message?: string };
      // The guard refused: nothing was written; the transaction decides sale by sale.
      if (e.code === '22P02' && e.message?.includes(REFUSED)) return null;
      // Order codes end in 25 random bits (order-code.ts); a clash with an existing code draws others.
      if (e.code === '23505' && e.constraint === 'orders_code_key' && attempt < 3) continue;
      throw err;
    }
    const idOf = new Map(rows.map((r) => [Number(r.k), Number(r.id)]));
    for (const b of built) {
      b.result.order.id = idOf.get(b.j)!;
      const sold = soldChanges(b.w.ids.map((id) => ({ id, event_id: Number(peeked.get(id)!.event_id) })));
      outcomes[b.w.index] = { kind: 'sold', result: b.result, sold };
    }
    return outcomes;
  }
}

/**
 * The batch, inside the caller's transaction on client `q` (opened with a savepoint named `flip`).
 * Returns one outcome per sale, in order; throws only when a statement failed (the caller then rolls
 * back and runs every sale on its own).
 */
export async function sellBatchPg(q: Queryable, ctx: SellContext, items: readonly SellArgs[]): Promise<BatchOutcome[]> {
  const now = nowIso();
  const outcomes: BatchOutcome[] = items.map(() => ({ kind: 'alone' }));
  let candidates = items.map((_, k) => k);
  let f = await flip(q, ctx, distinctSorted(items.flatMap((a) => a.ids)), now, items.length);
  const orderIds = f.orderIds;
  let winners: Winner[] = [];
  for (let round = 0; ; round++) {
    winners = decide(items, candidates, f.tickets, outcomes);
    const wanted = new Set(winners.flatMap((w) => w.ids));
    // Every flipped ticket is a winner's, and every winner's ticket flipped: nothing to put back.
    if (wanted.size === f.tickets.size && [...wanted].every((id) => f.tickets.has(id))) break;
    // Put back what no winner takes (a sale with only part of its tickets, a ticket two sales wanted),
    // then flip the winners' tickets again: the locks went with the savepoint, so they are judged again.
    await q.query('ROLLBACK TO SAVEPOINT flip');
    if (winners.length === 0 || round >= 3) {
      for (const w of winners) outcomes[w.index] = { kind: 'alone' };
      return outcomes;
    }
    candidates = winners.map((w) => w.index);
    f = await flip(q, ctx, distinctSorted(wanted), now, 0);
  }
  if (winners.length === 0) return outcomes;

  // Order codes: distinct within the batch; a clash with an existing order draws another (ON CONFLICT).
  const codes = new Set<string>();
  const drawCode = () => {
    let c = newOrderCode();
    while (codes.has(c)) c = newOrderCode();
    codes.add(c);
    return c;
  };
  let pending = winners.map((w, j) => ({ w, orderId: orderIds[j]! }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 3) throw new AppError('INTERNAL', 'could not draw an unused order code');
    const built = pending.map((p) => {
      const a = items[p.w.index]!;
      const result = saleResult({ id: p.orderId, code: drawCode(), ids: p.w.ids, payment: p.w.payment, now });
      const audit: AuditInsert | null = a.audit ? completeAuditRow(a.audit, result) : null;
      return { ...p, a, result, audit };
    });
    const values: unknown[] = [now, ...saleColumns(built, (b) => b.orderId)];
    const written = new Set((await q.query<{ id: number }>({ name: 'sale_batch_write', text: WRITE, values })).rows.map((r) => Number(r.id)));
    for (const b of built) {
      if (!written.has(b.orderId)) continue;
      const sold = soldChanges(b.w.ids.map((id) => ({ id, event_id: f.tickets.get(id)!.event_id })));
      outcomes[b.w.index] = { kind: 'sold', result: b.result, sold };
    }
    pending = pending.filter((p) => !written.has(p.orderId));
  }
  return outcomes;
}

/** What a sale changed, per event, for the seat feed. */
function soldChanges(rows: readonly { id: number; event_id: number }[]): SeatChange[] {
  const byEvent = new Map<number, number[]>();
  for (const r of rows) {
    const list = byEvent.get(r.event_id);
    if (list) list.push(r.id);
    else byEvent.set(r.event_id, [r.id]);
  }
  return [...byEvent].map(([eventId, ticketIds]) => ({ eventId, ticketIds, status: 'sold', holder: null, expiresAt: null }));
}
