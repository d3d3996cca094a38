import SQLite from 'better-sqlite3';
import { AppError } from '../shared/errors.js';
import { nowIso } from '../shared/time.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import * as ordersRepo from '../electron/core/store/common/orders-repo.js';
import type { NewOrder } from '../electron/core/store/common/orders-repo.js';
import * as ticketsRepo from '../electron/core/store/common/tickets-repo.js';
import { newOrderCode } from '../electron/core/store/contract/order-code.js';

export interface LoopResult {
  label: string;
  sales: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * The raw baseline: a bare better-sqlite3 loop, one guarded sell transaction per sale (price lookup,
 * UPDATE … WHERE status='available' with a changed-row check, order + line + payment), prepared
 * statements, nothing else: no validation, no dispatch, no promises.
 */
export function bareSellLoop(file: string, synchronous: 'NORMAL' | 'FULL', range: { from: number; to: number }, seconds: number): LoopResult {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${synchronous}`);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const price = db.prepare('SELECT price_cents, currency FROM tickets WHERE id = ?');
  const mark = db.prepare("UPDATE tickets SET status = 'sold', updated_at = ? WHERE id = ? AND status = 'available'");
  const order = db.prepare("INSERT INTO orders (code, channel, total_cents, currency, created_at) VALUES (?, 'kiosk', ?, ?, ?)");
  const item = db.prepare('INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (?, ?, ?)');
  const payment = db.prepare("INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES (?, 'card', ?, ?)");
  const lat: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let id = range.from;
  for (; id <= range.to && performance.now() < deadline; id++) {
    const t0 = performance.now();
    const now = nowIso();
    begin.run();
    try {
      const t = price.get(id) as { price_cents: number; currency: string };
      if (mark.run(now, id).changes !== 1) throw new Error(`ticket ${id} not available`);
      // the product's order code (services/order-code.ts): its unique index is part of the cost of a sale
      const orderId = order.run(newOrderCode(), t.price_cents, t.currency, now).lastInsertRowid;
      item.run(orderId, id, t.price_cents);
      payment.run(orderId, t.price_cents, now);
      commit.run();
    } catch (err) {
      rollback.run();
      throw err;
    }
    lat.push(performance.now() - t0);
  }
  const secs = (performance.now() - started) / 1000;
  db.close();
  lat.sort((a, b) => a - b);
  const sales = id - range.from;
  return { label: `bare better-sqlite3 loop, synchronous=${synchronous}`, sales, seconds: secs, perSecond: sales / secs, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99) };
}

/** The order of the bench's sales: one ticket, a walk-in, paid by card at the ticket's price (the code is added by the caller). */
export function walkInCardSale(ticketId: number, t: { price_cents: number; currency: string }, now: string, channel: 'kiosk' | 'api'): Omit<NewOrder, 'code'> {
  return {
    customerId: null,
    channel,
    referral: null,
    totalCents: t.price_cents,
    currency: t.currency,
    now,
    items: [{ ticketId, priceCents: t.price_cents }],
    payment: { tender: 'card', amountCents: t.price_cents, tenderedCents: null, changeCents: null },
  };
}

/**
 * The sell path as it was before group commit: one store.write (BEGIN IMMEDIATE … COMMIT with
 * synchronous=FULL) per sale, every statement built by Kysely, `concurrency` callers in flight.
 */
export async function kyselyPerSaleLoop(file: string, range: { from: number; to: number }, seconds: number, concurrency: number): Promise<LoopResult> {
  const store = await openStore({ file });
  const run = await closedLoop(range, seconds, concurrency, (id) =>
    store.write(async (trx) => {
      const now = nowIso();
      const [t] = await ticketsRepo.findTicketsByIds(trx, [id]);
      if (!t || t.status !== 'available') throw new AppError('TICKET_UNAVAILABLE', 'gone');
      if ((await ticketsRepo.markSoldIfAvailable(trx, [id], now)) !== 1) throw new AppError('TICKET_UNAVAILABLE', 'gone');
      await ordersRepo.insertOrder(trx, { code: newOrderCode(), ...walkInCardSale(id, t, now, 'kiosk') });
    }),
  );
  await store.close();
  return {
    label: `Kysely, one BEGIN IMMEDIATE…COMMIT per sale (pre-group-commit path), synchronous=FULL, ${concurrency} in flight`,
    ...loopFigures(run),
  };
}

/** A closed loop's figures as the results report them (LoopResult without its label). */
export function loopFigures(run: ClosedLoopRun): Omit<LoopResult, 'label'> & { errors: number } {
  return {
    sales: run.sales,
    errors: run.errors,
    seconds: run.seconds,
    perSecond: run.sales / run.seconds,
    p50Ms: percentile(run.latencies, 50),
    p99Ms: percentile(run.latencies, 99),
  };
}

export interface ClosedLoopRun {
  sales: number;
  errors: number;
  seconds: number;
  /** Milliseconds per call, sorted. */
  latencies: number[];
}

/**
 * `concurrency` callers, each selling the next ticket id of `range` as soon as its last call
 * returned, until the range or the time runs out: the closed loop of clerks (or of autocannon).
 */
export async function closedLoop(range: { from: number; to: number }, seconds: number, concurrency: number, sell: (id: number) => Promise<unknown>): Promise<ClosedLoopRun> {
  let next = range.from;
  let sales = 0;
  let errors = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const caller = async () => {
    while (performance.now() < deadline) {
      const id = next++;
      if (id > range.to) return;
      const t0 = performance.now();
      try {
        await sell(id);
        sales++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  latencies.sort((a, b) => a - b);
  return { sales, errors, seconds: (performance.now() - started) / 1000, latencies };
}
