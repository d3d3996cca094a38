import type SQLite from 'better-sqlite3';
import { AppError } from '../../../../shared/errors.js';
import { nowIso } from '../../../../shared/time.js';
import { newOrderCode } from '../contract/order-code.js';
import { idempotencyKeyReused, saleCustomer, salePayment, saleResult, unavailableError } from '../contract/sale-rules.js';
import type { SaleInput, SaleResult } from '../contract/tasks.js';
import { sellHeldTickets } from './seating-writes.js';
import { sellStatements, type SellStatements } from './sell-fast-path.js';

/**
 * The sale on SQLite, synchronous, inside the caller's transaction (a group item): any throw undoes
 * everything this sale wrote and nothing else. `holdNowMs` judges hold expiry (the hold clock's
 * reading, in ms: formatted only when a hold is looked at, which a plain sale of a free ticket never does).
 */
export function sellInTransaction(
  db: SQLite.Database,
  channel: 'kiosk' | 'api',
  input: SaleInput,
  ids: number[],
  requestHash: string,
  holdNowMs: number,
): SaleResult {
  const st = sellStatements(db);
  const now = nowIso();
  if (input.idempotencyKey) {
    const prior = st.findIdempotencyKey(input.idempotencyKey);
    if (prior) {
      if (prior.request_hash !== requestHash) throw idempotencyKeyReused(input.idempotencyKey);
      return JSON.parse(prior.response_json) as SaleResult;
    }
  }
  // Seats held by this sale's holder, or whose hold lapsed, sell from their hold (seating-writes.ts);
  // anyone else's live hold stays refused by the guard. The guard that matters: only rows still
  // 'available' (or held by this holder) flip; any shortfall throws and the item's rollback undoes
  // the tickets that did flip.
  let flipped: Map<number, { price_cents: number; currency: string }>;
  if (ids.length === 1) {
    // The common sale, one ticket: the guarded UPDATE is the look; a hold is tried only if it did not flip.
    flipped = st.markSoldIfAvailable(ids, now);
    if (flipped.size === 0) flipped = sellHeldTickets(db, ids, input.holder ?? null, now, new Date(holdNowMs).toISOString());
  } else {
    const fromHolds = sellHeldTickets(db, ids, input.holder ?? null, now, new Date(holdNowMs).toISOString());
    const rest = fromHolds.size === 0 ? ids : ids.filter((id) => !fromHolds.has(id));
    // Several tickets: look before flipping, so a lost race fails before anything is written (and the
    // group needs no savepoint replay).
    if (rest.length > 1) refuseUnavailable(st, rest);
    flipped = st.markSoldIfAvailable(rest, now);
    for (const [id, t] of fromHolds) flipped.set(id, t);
  }
  if (flipped.size !== ids.length) {
    refuseUnavailable(st, ids.filter((id) => !flipped.has(id)));
    throw unavailableError(ids.filter((id) => !flipped.has(id)));
  }
  const payment = salePayment(input, ids, flipped);
  const customer = saleCustomer(input);
  const customerId = customer ? st.upsertCustomer(customer, now) : null;
  if (input.referral) st.ensureReferralSource(input.referral, now);
  const { id, code } = insertWithFreshCode(st, {
    customerId,
    channel: input.channel ?? channel,
    referral: input.referral ?? null,
    totalCents: payment.totalCents,
    currency: payment.currency,
    now,
    items: payment.items,
    payment: { tender: payment.tender, amountCents: payment.totalCents, tenderedCents: payment.tenderedCents, changeCents: payment.changeCents },
  });
  const result = saleResult({ id, code, ids, payment, now });
  if (input.idempotencyKey) st.saveIdempotencyKey(input.idempotencyKey, 'createOrder', requestHash, result, now);
  return result;
}

/** NOT_FOUND for ids that do not exist, else TICKET_UNAVAILABLE for those not available; returns if all are available. */
function refuseUnavailable(st: SellStatements, ids: number[]): void {
  const status = ids.map((id) => st.ticketStatus(id));
  const missing = ids.filter((_, i) => status[i] === undefined);
  if (missing.length > 0) throw new AppError('NOT_FOUND', `ticket ${missing.join(', ')} does not exist`, { ticketIds: missing });
  const unavailable = ids.filter((_, i) => status[i] !== 'available');
  if (unavailable.length > 0) throw unavailableError(unavailable);
}

/** Order codes end in 25 random bits (order-code.ts); a clash with an existing code is retried with a new one. */
export function insertWithFreshCode(st: SellStatements, o: Omit<Parameters<SellStatements['insertOrder']>[0], 'code'>) {
  for (let attempt = 0; ; attempt++) {
    const code = newOrderCode();
    try {
      return { id: st.insertOrder({ ...o, code }), code };
    } catch (err) {
      const clash = (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && String(err).includes('orders.code');
      if (!clash || attempt >= 3) throw err;
    }
  }
}
