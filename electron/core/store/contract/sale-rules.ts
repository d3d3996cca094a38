import { createHash } from 'node:crypto';
import { AppError } from '../../../../shared/errors.js';
import { formatCents } from '../../../../shared/money.js';
import type { CustomerFields } from './shapes.js';
import type { SaleInput, SaleResult } from './tasks.js';

/** The rules of a sale that both engines apply inside their sell transaction. */

export const unavailableError = (ticketIds: number[]) =>
  new AppError('TICKET_UNAVAILABLE', 'That ticket was just sold or held elsewhere and is no longer available', { ticketIds });

/** Hash of what was asked, so a reused Idempotency-Key with a different request is refused. */
export function saleRequestHash(input: SaleInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...input, idempotencyKey: undefined }))
    .digest('hex');
}

/** The same for "N of this listing": a repeat with the same key must ask for the same listing and quantity. */
export function listingSaleRequestHash(listingId: number, quantity: number, sale: Omit<SaleInput, 'ticketIds'>): string {
  return createHash('sha256')
    .update(JSON.stringify({ sellFromListing: listingId, quantity, ...sale, idempotencyKey: undefined }))
    .digest('hex');
}

export const idempotencyKeyReused = (key: string) =>
  new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request', { idempotencyKey: key });

export interface Payment {
  tender: 'cash' | 'card' | 'comp';
  items: { ticketId: number; priceCents: number }[];
  totalCents: number;
  tenderedCents: number | null;
  changeCents: number | null;
}

/**
 * What the sale charges, from the prices of the tickets it flipped: one currency per order, comp at
 * zero, cash with its change (never less than the total), tenderedCents for cash only.
 */
export function salePayment(input: SaleInput, ids: readonly number[], flipped: ReadonlyMap<number, { price_cents: number; currency: string }>): Payment & { currency: string } {
  const currency = flipped.get(ids[0]!)!.currency;
  for (const t of flipped.values()) {
    if (t.currency !== currency) throw new AppError('VALIDATION_FAILED', 'tickets in one order must share a currency');
  }
  const tender = input.payment?.tender ?? 'card';
  const comp = tender === 'comp';
  const items = ids.map((id) => ({ ticketId: id, priceCents: comp ? 0 : Number(flipped.get(id)!.price_cents) }));
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
  return { tender, items, totalCents, tenderedCents, changeCents, currency };
}

/** The customer fields of a sale, or null for a walk-in (no field given). */
export function saleCustomer(input: SaleInput): CustomerFields | null {
  const c = input.customer;
  if (!c || !Object.values(c).some((v) => v !== undefined)) return null;
  return {
    name: c.name ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    address_line1: c.addressLine1 ?? null,
    address_line2: c.addressLine2 ?? null,
    city: c.city ?? null,
    region: c.region ?? null,
    postal_code: c.postalCode ?? null,
    country: c.country ?? null,
  };
}

export function saleResult(o: { id: number; code: string; ids: number[]; payment: Payment; now: string }): SaleResult {
  const p = o.payment;
  return {
    order: { id: o.id, code: o.code, ticketIds: o.ids, totalCents: p.totalCents, total: formatCents(p.totalCents), createdAt: o.now, changeDueCents: p.changeCents, tender: p.tender },
  };
}

export const notEnoughOfListing = (listingId: number, available: number) =>
  new AppError('TICKET_UNAVAILABLE', `Only ${available} ticket(s) of listing ${listingId} are left`, { listingId, available });

export const notEnoughLeft = (eventId: number, available: number) =>
  new AppError('TICKET_UNAVAILABLE', `Only ${available} ticket(s) of event ${eventId} are left`, { eventId, available });
