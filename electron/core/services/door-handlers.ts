import { AppError, notFound } from '../../../shared/errors.js';
import type { OpOutput } from '../../../shared/operations/index.js';
import type { Refusal } from '../../../shared/schemas/door.js';
import { nowIso } from '../../../shared/time.js';
import * as repo from '../store/common/door-repo.js';
import * as eventsRepo from '../store/common/events-repo.js';
import type { Handler } from './handlers.js';
import { existingTicketCodeSecret, ticketCodeSecret } from './ticket-code-secret.js';
import { formatTicketCode, signTicketCode, verifyTicketCode } from './ticket-codes.js';

type DoorOp = 'checkIn' | 'undoCheckIn' | 'listCheckIns' | 'checkInCounts' | 'listDoorEvents' | 'getTicketCodes' | 'recordTicketPrint' | 'saveTicketsPdf';
type CheckInResult = OpOutput<'checkIn'>;
type DoorTicket = NonNullable<Extract<CheckInResult, { result: 'refused' }>['ticket']>;
type Previous = Extract<CheckInResult, { result: 'refused' }>['previous'];

/** undone_by of a check-in closed because its seat was refunded or voided, sold again and scanned on the new sale. */
export const RESOLD = 'system: seat resold';

const refuse = (reason: Refusal, message: string, ticket: DoorTicket | null = null, previous: Previous = null): CheckInResult => ({
  result: 'refused',
  reason,
  message,
  ticket,
  previous,
});

function toDoorTicket(s: NonNullable<Awaited<ReturnType<typeof repo.saleForCheckIn>>>): DoorTicket {
  return { ticketId: s.ticket_id, eventId: s.event_id, eventName: s.event_name, startsAt: s.starts_at, section: s.section, row: s.row, seat: s.seat };
}

function toCheckIn(r: NonNullable<Awaited<ReturnType<typeof repo.findCheckIn>>>): OpOutput<'undoCheckIn'> {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    eventId: r.event_id,
    section: r.section,
    row: r.row,
    seat: r.seat,
    at: r.at,
    username: r.username,
    door: r.door,
    undoneAt: r.undone_at,
    undoneBy: r.undone_by,
  };
}

/** Live check-ins per bucket from the first arrival's to the last's; buckets widen past MAX_BUCKETS. */
const MAX_BUCKETS = 288;
export function arrivalBuckets(times: readonly string[], bucketMinutes: number): { bucketMinutes: number; buckets: { start: string; count: number }[] } {
  if (times.length === 0) return { bucketMinutes, buckets: [] };
  const ms = times.map((t) => Date.parse(t));
  const first = Math.min(...ms);
  const last = Math.max(...ms);
  let width = bucketMinutes * 60_000;
  while (Math.floor(last / width) - Math.floor(first / width) + 1 > MAX_BUCKETS) width *= 2;
  const base = Math.floor(first / width);
  const counts = new Array<number>(Math.floor(last / width) - base + 1).fill(0);
  for (const t of ms) counts[Math.floor(t / width) - base]! += 1;
  return {
    bucketMinutes: width / 60_000,
    buckets: counts.map((count, i) => ({ start: new Date((base + i) * width).toISOString(), count })),
  };
}

async function requireEvent(ctx: Parameters<Handler<'listCheckIns'>>[0], id: number) {
  if (!(await eventsRepo.eventExists(ctx.store.reader, id))) throw notFound('event', id);
}

export const doorHandlers: { [K in DoorOp]: Handler<K> } = {
  checkIn: async (ctx, { code, door, eventId }) => {
    // No key yet means no code was ever issued: nothing to look up.
    const secret = await existingTicketCodeSecret(ctx.store);
    const check = secret ? verifyTicketCode(secret, code) : ({ ok: false, reason: 'forged' } as const);
    if (!check.ok) {
      return refuse('unknown-code', check.reason === 'malformed' ? 'Not a ticket code' : 'Unknown ticket code: not issued by this box office, or altered');
    }
    const actor = ctx.actor;
    return ctx.store.write(async (trx): Promise<CheckInResult> => {
      // The lock first: a refund racing this scan either waits for it or has already put the ticket back.
      const locked = await repo.lockSoldTicket(trx, check.ticketId);
      const sale = await repo.saleForCheckIn(trx, check.saleId);
      if (!sale || sale.ticket_id !== check.ticketId || sale.event_id !== check.eventId) {
        return refuse('unknown-code', 'Unknown ticket: this sale is not in this box office');
      }
      const ticket = toDoorTicket(sale);
      if (eventId !== undefined && sale.event_id !== eventId) return refuse('wrong-event', `Not valid for this event: the ticket is for ${sale.event_name}`, ticket);
      if (sale.order_status === 'refunded') return refuse('refunded', 'Refunded: this ticket was refunded', ticket);
      if (sale.order_status === 'cancelled' || sale.voided_at !== null) return refuse('voided', 'Voided: this sale was cancelled', ticket);
      if (!locked || sale.ticket_status !== 'sold') return refuse('not-sold', 'Not sold: this ticket is not sold on this code', ticket);
      const at = nowIso();
      const checkIn = { ticketId: check.ticketId, eventId: sale.event_id, saleId: check.saleId, at, userId: actor?.userId ?? null, username: actor?.username ?? null, door };
      const id = await repo.insertCheckIn(trx, checkIn);
      if (id !== null) return { result: 'admitted', checkInId: id, at, ticket };
      let prev = await repo.liveCheckIn(trx, check.ticketId);
      if (prev && prev.order_item_id !== check.saleId) {
        // The seat was admitted on an earlier sale that has since been refunded or voided (this sale is
        // the seat's live one: checked above, under the ticket's lock), then sold again. That admission
        // belongs to a ticket that no longer exists: it is closed, and the new holder gets in.
        await repo.undoCheckIn(trx, prev.id, RESOLD, at);
        const again = await repo.insertCheckIn(trx, checkIn);
        if (again !== null) return { result: 'admitted', checkInId: again, at, ticket };
        prev = await repo.liveCheckIn(trx, check.ticketId);
      }
      if (!prev) throw new AppError('CONFLICT', 'The check-in could not be recorded; scan again', { retryable: true });
      const previous = { at: prev.at, username: prev.username, door: prev.door };
      return refuse('already-checked-in', `Already checked in at ${prev.at} at ${prev.door}${prev.username ? ` by ${prev.username}` : ''}`, ticket, previous);
    });
  },

  undoCheckIn: async (ctx, { id }) => {
    const by = ctx.actor?.username ?? 'system';
    const row = await ctx.store.write(async (trx) => {
      const before = await repo.findCheckIn(trx, id);
      if (!before) throw notFound('check-in', id);
      if (!(await repo.undoCheckIn(trx, id, by, nowIso()))) throw new AppError('CONFLICT', `check-in ${id} was already undone`, { id, undoneAt: before.undone_at });
      if (ctx.audit) {
        ctx.audit.subject = `check-in:${id}`;
        ctx.audit.before = toCheckIn(before);
      }
      return repo.findCheckIn(trx, id);
    });
    return toCheckIn(row!);
  },

  listCheckIns: async (ctx, { id, before, limit }) => {
    await requireEvent(ctx, id);
    const rows = await repo.pageCheckIns(ctx.store.reader, id, before, limit);
    const items = rows.slice(0, limit).map(toCheckIn);
    return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
  },

  checkInCounts: async (ctx, { id, bucketMinutes }) => {
    await requireEvent(ctx, id);
    const [sold, times] = await Promise.all([repo.soldCount(ctx.store.reader, id), repo.liveCheckInTimes(ctx.store.reader, id)]);
    return { eventId: id, sold, checkedIn: times.length, ...arrivalBuckets(times, bucketMinutes) };
  },

  listDoorEvents: async (ctx) => {
    const from = new Date((ctx.clock ?? Date.now)() - 24 * 3600_000).toISOString();
    const rows = await repo.doorEvents(ctx.store.reader, from, 200);
    return { items: rows.map((r) => ({ id: r.id, name: r.name, startsAt: r.starts_at, venueName: r.venue_name, status: r.status })) };
  },

  getTicketCodes: async (ctx, { code }) => {
    const sales = await repo.liveSalesOfOrder(ctx.store.reader, code);
    if (!sales) throw notFound('order', code);
    const secret = sales.lines.length > 0 ? await ticketCodeSecret(ctx.store) : '';
    return {
      orderCode: sales.order.code,
      currency: sales.order.currency,
      printed: await repo.ticketPrintCount(ctx.store.reader, sales.order.code),
      items: sales.lines.map((l) => {
        const signed = signTicketCode(secret, { ticketId: l.ticket_id, eventId: l.event_id, saleId: l.sale_id });
        return {
          ticketId: l.ticket_id,
          eventId: l.event_id,
          saleId: l.sale_id,
          eventName: l.event_name,
          startsAt: l.starts_at,
          venueName: l.venue_name,
          city: l.city,
          timezone: l.timezone,
          section: l.section,
          row: l.row,
          seat: l.seat,
          priceCents: l.price_cents,
          code: signed,
          display: formatTicketCode(signed),
        };
      }),
    };
  },

  recordTicketPrint: async (ctx, { code }) => {
    // The count and this print's entry (written by invoke in the same transaction) commit together.
    // Two terminals printing one order at the very same moment may both be told the same count; both prints are logged.
    return ctx.store.write(async (trx) => {
      const sales = await repo.liveSalesOfOrder(trx, code);
      if (!sales) throw notFound('order', code);
      if (sales.lines.length === 0) throw new AppError('CONFLICT', `Order ${sales.order.code} has no live tickets to print`, { code: sales.order.code, status: sales.order.status });
      if (ctx.audit) ctx.audit.subject = repo.ticketPrintSubject(sales.order.code);
      return { orderCode: sales.order.code, printedBefore: await repo.ticketPrintCount(trx, sales.order.code), tickets: sales.lines.length };
    });
  },

  saveTicketsPdf: async (ctx, { code }) => {
    if (!ctx.ticketPdf || ctx.window === undefined) {
      throw new AppError('CONFLICT', 'Saving a PDF is done by the desktop app; in a browser, print and choose “Save as PDF” as the printer', { available: false });
    }
    const sales = await repo.liveSalesOfOrder(ctx.store.reader, code);
    if (!sales) throw notFound('order', code);
    return ctx.ticketPdf.save({ window: ctx.window, orderCode: sales.order.code, fileName: ticketPdfFileName(sales.order.code) });
  },
};

/** The name the save dialog suggests for an order's tickets. */
export const ticketPdfFileName = (orderCode: string) => `${orderCode}-tickets.pdf`;
