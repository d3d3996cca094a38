import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { formatCents } from '../../../shared/money.js';
import type { OpOutput, OpParsedInput } from '../../../shared/operations/index.js';
import { nowIso } from '../../../shared/time.js';
import { sellStatements, type SellStatements } from '../store/sqlite/sell-fast-path.js';
import { publishSold } from '../live/change-feed.js';
import { holdClock } from '../live/hold-clock.js';
import { sellHeldTickets } from '../store/sqlite/seating-repo.js';
import type { OpContext } from './context.js';
import { groupWrite } from '../store/sqlite/tasks.js';
import { newOrderCode } from '../store/contract/order-code.js';

export type SaleInput = OpParsedInput<'createOrder'>;
export type SaleResult = OpOutput<'createOrder'>;

export const unavailableError = (ticketIds: number[]) =>
  new AppError('TICKET_UNAVAILABLE', 'That ticket was just sold or held elsewhere and is no longer available', { ticketIds });

/** Hash of what was asked, so a reused Idempotency-Key with a different request is refused. */
export function saleRequestHash(input: SaleInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...input, idempotencyKey: undefined }))
    .digest('hex');
}

function checkDistinct(ticketIds: number[]): number[] {
  if (ticketIds.length < 2) return ticketIds;
  const ids = [...new Set(ticketIds)];
  if (ids.length !== ticketIds.length) {
    throw new AppError('VALIDATION_FAILED', 'a ticket id appears twice in the order', { ticketIds });
  }
  return ids;
}

/**
 * Sells the tickets of one order: all or nothing. Runs through the group-commit path, so many
 * concurrent sales share one durable COMMIT; the answer comes only after that COMMIT.
 */
export async function sell(ctx: OpContext, input: SaleInput): Promise<SaleResult> {
  const ids = checkDistinct(input.ticketIds);
  const requestHash = input.idempotencyKey ? saleRequestHash(input) : '';
  const result = await groupWrite(ctx.store, 'sell', { channel: ctx.channel, input, ids, requestHash, holdNowMs: holdClock.now() });
  publishSold(ctx.store, result.order.ticketIds);
  return result;
}

/**
 * The sale itself, synchronous, inside the caller's transaction (a group item's SAVEPOINT): any
 * throw undoes everything this sale wrote and nothing else. `holdNowMs` judges hold expiry (the hold
 * clock's reading, in ms: formatted only when a hold is looked at, which a plain sale of a free ticket never does).
 */
export function sellInTransaction(
  db: SQLite.Database,
  channel: OpContext['channel'],
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
      if (prior.request_hash !== requestHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', {
          idempotencyKey: input.idempotencyKey,
        });
      }
      return JSON.parse(prior.response_json) as SaleResult;
    }
  }
  // Seats held by this sale's holder, or whose hold lapsed, sell from their hold (issue 4, seating-repo.ts);
  // anyone else's live hold stays refused by the guard. The guard that matters: only rows still
  // 'available' (or held by this holder) flip; any shortfall throws and the sale's savepoint undoes
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
  const currency = flipped.get(ids[0]!)!.currency;
  for (const t of flipped.values()) {
    if (t.currency !== currency) throw new AppError('VALIDATION_FAILED', 'tickets in one order must share a currency');
  }
  const tender = input.payment?.tender ?? 'card';
  const comp = tender === 'comp';
  const items = ids.map((id) => ({ ticketId: id, priceCents: comp ? 0 : flipped.get(id)!.price_cents }));
  const totalCents = items.reduce((n, i) => n + i.priceCents, 0);
  let tenderedCents: number | null = null;
  let changeCents: number | null = null;
  if (tender === 'cash') {
    tenderedCents = input.payment?.tenderedCents ?? totalCents;
    if (tenderedCents < totalCents) {
      throw new AppError('VALIDATION_FAILED', `Cash tendered ${formatCents(tenderedCents)} is less than the total ${formatCents(totalCents)}`, {
        field: 'payment.tenderedCents',
        totalCents,
      });
    }
    changeCents = tenderedCents - totalCents;
  } else if (input.payment?.tenderedCents !== undefined) {
    throw new AppError('VALIDATION_FAILED', 'tenderedCents applies to cash only', { field: 'payment.tenderedCents' });
  }
  const c = input.customer;
  const customerId =
    c && Object.values(c).some((v) => v !== undefined)
      ? st.upsertCustomer(
          {
            name: c.name ?? null,
            email: c.email ?? null,
            phone: c.phone ?? null,
            address_line1: c.addressLine1 ?? null,
            address_line2: c.addressLine2 ?? null,
            city: c.city ?? null,
            region: c.region ?? null,
            postal_code: c.postalCode ?? null,
            country: c.country ?? null,
          },
          now,
        )
      : null;
  if (input.referral) st.ensureReferralSource(input.referral, now);
  const { id, code } = insertWithFreshCode(st, {
    customerId,
    channel: input.channel ?? channel,
    referral: input.referral ?? null,
    totalCents,
    currency,
    now,
    items,
    payment: { tender, amountCents: totalCents, tenderedCents, changeCents },
  });
  const result: SaleResult = {
    order: { id, code, ticketIds: ids, totalCents, total: formatCents(totalCents), createdAt: now, changeDueCents: changeCents, tender },
  };
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
