import { AppError, notFound } from '../../../shared/errors.js';
import { formatCents } from '../../../shared/money.js';
import type { OperationName, OpOutput, OpParsedInput } from '../../../shared/operations/index.js';
import { normaliseOffsetDateTime, nowIso, toUtcIso } from '../../../shared/time.js';
import * as eventsRepo from '../store/common/events-repo.js';
import * as listingsRepo from '../store/common/listings-repo.js';
import * as ordersRepo from '../store/common/orders-repo.js';
import { recordVisit } from '../store/common/referrals-repo.js';
import * as sellersRepo from '../store/common/sellers-repo.js';
import * as ticketsRepo from '../store/common/tickets-repo.js';
import * as venuesRepo from '../store/common/venues-repo.js';
import type { DB } from '../store/contract/store.js';
import { compare, explain, pickTogether, score } from './best-ticket.js';
import type { OpContext } from './context.js';
import { desktopHandlers } from './desktop-handlers.js';
import { fastSellHandlers } from './fast-sell-handlers.js';
import { importHandlers } from './import-handlers.js';
import { analyticsHandlers } from './analytics-handlers.js';
import { authHandlers } from './auth-handlers.js';
import { seatingHandlers } from './seating-handlers.js';
import { doorHandlers } from './door-handlers.js';
import { storeHandlers, storeHealth } from './store-handlers.js';
import { toEvent, toTicket, toVenue } from './mappers.js';
import { sell } from './sell.js';

export type Handler<K extends OperationName> = (ctx: OpContext, input: OpParsedInput<K>) => Promise<OpOutput<K>>;
/** Every operation in the table must have exactly one handler: the compiler checks it. */
export type Handlers = { [K in OperationName]: Handler<K> };

function dateRange(from?: string, to?: string) {
  const isDate = (s?: string) => s !== undefined && s.length === 10;
  return {
    fromDate: isDate(from) ? from : undefined,
    toDate: isDate(to) ? to : undefined,
    fromUtc: from && !isDate(from) ? toUtcIso(from) : undefined,
    toUtc: to && !isDate(to) ? toUtcIso(to) : undefined,
  };
}

async function loadEvent(db: DB, id: number) {
  const row = await eventsRepo.findEvent(db, id);
  if (!row) throw notFound('event', id);
  return toEvent(row);
}

const encodeCursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
function decodeCursor(cursor: string | undefined): unknown[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v;
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not one this server issued', { field: 'cursor' });
}


/** What an event's ticket list and listing list both refuse first: an unknown event, a price range upside down. */
/** The event's ticket and listing lists share their filters and their first refusals (unknown event, price range upside down). */
async function ticketFilters(
  db: Parameters<typeof eventsRepo.eventExists>[0],
  q: { id: number; section?: string; minPrice?: number; maxPrice?: number; minQuantity?: number },
): Promise<{ eventId: number; section?: string; minPrice?: number; maxPrice?: number; minQuantity?: number }> {
  if (!(await eventsRepo.eventExists(db, q.id))) throw notFound('event', q.id);
  if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) {
    throw new AppError('VALIDATION_FAILED', 'minPrice is above maxPrice', { minPrice: q.minPrice, maxPrice: q.maxPrice });
  }
  return { eventId: q.id, section: q.section, minPrice: q.minPrice, maxPrice: q.maxPrice, minQuantity: q.minQuantity };
}

export const handlers: Handlers = {
  health: async (ctx) => ({ ok: true, version: ctx.version, store: await storeHealth(ctx) }),

  createVenue: async (ctx, v) => {
    const row = await ctx.store.write((trx) =>
      venuesRepo.insertVenue(trx, {
        name: v.name,
        address_line1: v.addressLine1 ?? null,
        address_line2: v.addressLine2 ?? null,
        address_line3: v.addressLine3 ?? null,
        city: v.city,
        region: v.region ?? null,
        postal_code: v.postalCode ?? null,
        country: v.country,
        timezone: v.timezone,
        created_at: nowIso(),
      }),
    );
    return toVenue(row);
  },

  listVenues: async (ctx) => ({ items: (await venuesRepo.listVenues(ctx.store.reader)).map(toVenue) }),

  createEvent: async (ctx, e) => {
    const id = await ctx.store.write(async (trx) => {
      if (!(await venuesRepo.findVenue(trx, e.venueId))) throw notFound('venue', e.venueId);
      if (e.id !== undefined && (await eventsRepo.eventExists(trx, e.id))) {
        throw new AppError('CONFLICT', `event ${e.id} already exists`, { id: e.id });
      }
      const startsAt = normaliseOffsetDateTime(e.startsAt);
      const now = nowIso();
      const row = await eventsRepo.insertEvent(trx, {
        ...(e.id === undefined ? {} : { id: e.id }),
        name: e.name,
        venue_id: e.venueId,
        starts_at: startsAt,
        starts_at_utc: toUtcIso(startsAt),
        local_date: startsAt.slice(0, 10),
        category: e.category,
        status: e.status,
        capacity: e.capacity ?? null,
        created_at: now,
        updated_at: now,
        // An organizer's events are theirs to change (auth/ownership.ts); others' are house events.
        owner_user_id: ctx.actor?.role === 'organizer' ? ctx.actor.userId : null,
      });
      return row.id;
    });
    return loadEvent(ctx.store.reader, id);
  },

  searchEvents: async (ctx, s) => {
    const rows = await eventsRepo.searchEvents(ctx.store.reader, { q: s.q, city: s.city, status: s.status, limit: s.limit, ...dateRange(s.from, s.to) });
    return { items: rows.map(toEvent) };
  },

  getEvent: async (ctx, { id }) => loadEvent(ctx.store.reader, id),

  updateEvent: async (ctx, { id, ...p }) => {
    await ctx.store.write(async (trx) => {
      if (!(await eventsRepo.eventExists(trx, id))) throw notFound('event', id);
      if (p.venueId !== undefined && !(await venuesRepo.findVenue(trx, p.venueId))) throw notFound('venue', p.venueId);
      const startsAt = p.startsAt === undefined ? undefined : normaliseOffsetDateTime(p.startsAt);
      await eventsRepo.updateEvent(trx, id, {
        ...(p.name === undefined ? {} : { name: p.name }),
        ...(p.venueId === undefined ? {} : { venue_id: p.venueId }),
        ...(startsAt === undefined ? {} : { starts_at: startsAt, starts_at_utc: toUtcIso(startsAt), local_date: startsAt.slice(0, 10) }),
        ...(p.category === undefined ? {} : { category: p.category }),
        ...(p.status === undefined ? {} : { status: p.status }),
        ...(p.capacity === undefined ? {} : { capacity: p.capacity }),
        updated_at: nowIso(),
      });
    });
    return loadEvent(ctx.store.reader, id);
  },

  listEventTickets: async (ctx, q) => {
    const db = ctx.store.reader;
    const filters = await ticketFilters(db, q);
    // The cursor is checked before the visit is counted: a refused call records nothing.
    const cursor = decodeCursor(q.cursor);
    if (q.ref) {
      const ref = q.ref;
      await ctx.store.write((trx) => recordVisit(trx, ref, q.id, nowIso()));
    }
    const page = await ticketsRepo.pageEventTickets(db, filters, q.sort, q.limit, cursor);
    return { items: page.items.map(toTicket), total: page.total, nextCursor: page.next ? encodeCursor(page.next) : null };
  },

  listEventListings: async (ctx, q) => {
    const db = ctx.store.reader;
    const filters = await ticketFilters(db, q);
    const cursor = decodeCursor(q.cursor);
    if (cursor && !listingsRepo.validListingCursor(q.sort, cursor)) {
      throw new AppError('VALIDATION_FAILED', 'cursor is not one this server issued', { field: 'cursor' });
    }
    const page = await listingsRepo.pageEventListings(db, filters, q.sort, q.limit, cursor);
    return {
      items: page.items.map((g) => ({
        listingId: g.listing_id,
        eventId: g.event_id,
        sellerId: g.seller_id,
        sellerName: g.seller_name,
        section: g.section,
        row: g.row,
        priceCents: g.price_cents,
        price: formatCents(g.price_cents),
        currency: g.currency,
        available: g.available,
        total: g.total,
        numbered: g.numbered,
        seats: g.seats,
      })),
      total: page.total,
      ticketsAvailable: page.ticketsAvailable,
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  },

  bestTicket: async (ctx, q) => {
    const db = ctx.store.reader;
    if (!(await eventsRepo.eventExists(db, q.id))) throw notFound('event', q.id);
    const groups = await ticketsRepo.availableListingGroups(db, q.id, q.quantity);
    const ranked = groups
      .map((g) => score({ listingId: g.listing_id, section: g.section, row: g.row, priceCents: g.price_cents }, q.strategy))
      .sort(compare(q.strategy));
    for (const best of ranked) {
      const picked = pickTogether(await ticketsRepo.availableTicketsOfListing(db, best.listingId), q.quantity);
      if (!picked) continue;
      const tickets = picked.map(toTicket);
      return {
        ticket: tickets[0]!,
        tickets,
        section: best.section,
        row: best.row,
        price: formatCents(best.priceCents),
        priceCents: best.priceCents,
        score: best.score,
        reason: explain(best, q.strategy, q.quantity),
      };
    }
    throw new AppError('NOT_FOUND', `No ${q.quantity} ticket(s) available together for event ${q.id}`, { id: q.id, quantity: q.quantity });
  },

  searchTickets: async (ctx, s) => {
    const cursor = decodeCursor(s.cursor);
    if (cursor && !(cursor.length === 3 && typeof cursor[0] === 'string' && typeof cursor[1] === 'number' && typeof cursor[2] === 'number')) {
      throw new AppError('VALIDATION_FAILED', 'cursor is not one this server issued', { field: 'cursor' });
    }
    const page = await ticketsRepo.searchTicketsAcrossEvents(ctx.store.reader, {
      city: s.city,
      limit: s.limit,
      cursor: cursor as ticketsRepo.CityCursor | null,
      ...dateRange(s.from, s.to),
    });
    return {
      items: page.items.map((r) => ({
        ...toTicket(r),
        event: { id: r.event_id, name: r.e_name, startsAt: r.e_starts_at, venueName: r.v_name, city: r.v_city },
      })),
      total: page.total,
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  },

  postListing: async (ctx, l) => {
    const created = await ctx.store.write(async (trx) => {
      if (!(await eventsRepo.eventExists(trx, l.eventId))) throw notFound('event', l.eventId);
      const now = nowIso();
      let sellerId = l.sellerId;
      if (sellerId !== undefined) {
        if (!(await sellersRepo.sellerExists(trx, sellerId))) throw notFound('seller', sellerId);
      } else {
        const email = l.seller!.email ?? null;
        const existing = email ? await sellersRepo.findSellerByEmail(trx, email) : undefined;
        sellerId = existing?.id ?? (await sellersRepo.insertSeller(trx, l.seller!.name, email, now));
      }
      return ticketsRepo.insertListingWithTickets(trx, {
        event_id: l.eventId,
        seller_id: sellerId,
        section: l.section,
        row: l.row,
        seats: l.seats ?? null,
        quantity: l.seats?.length ?? l.quantity!,
        price_cents: l.priceCents,
        currency: l.currency,
        source: ctx.channel === 'api' ? 'api' : 'ui',
        import_batch_id: null,
        source_line: null,
        created_at: now,
      });
    });
    const { listing } = created;
    return {
      listing: {
        id: listing.id,
        eventId: listing.event_id,
        sellerId: listing.seller_id,
        section: listing.section,
        row: listing.row,
        seats: listing.seats_json ? (JSON.parse(listing.seats_json) as string[]) : null,
        quantity: listing.quantity,
        priceCents: listing.price_cents,
        price: formatCents(listing.price_cents),
        currency: listing.currency,
        source: listing.source,
        importBatchId: listing.import_batch_id,
      },
      tickets: created.tickets.map(toTicket),
    };
  },

  sellTicket: async (ctx, { id, ...sale }) => sell(ctx, { ticketIds: [id], ...sale }),

  createOrder: async (ctx, input) => sell(ctx, input),

  listOrders: async (ctx, q) => {
    const rows = await ordersRepo.listOrders(ctx.store.reader, q.q, q.limit);
    return {
      items: rows.map((r) => ({
        id: r.id,
        code: r.code,
        channel: r.channel,
        totalCents: r.total_cents,
        total: formatCents(r.total_cents),
        ticketCount: Number(r.ticket_count ?? 0),
        customerName: r.customer_name,
        customerEmail: r.customer_email,
        createdAt: r.created_at,
      })),
    };
  },

  getOrder: async (ctx, { code }) => {
    const db = ctx.store.reader;
    const o = await ordersRepo.findOrderByCode(db, code);
    if (!o) throw notFound('order', code);
    const [lines, payments] = await Promise.all([ordersRepo.orderLines(db, o.id), ordersRepo.orderPayments(db, o.id)]);
    return {
      id: o.id,
      code: o.code,
      channel: o.channel,
      status: o.status,
      referral: o.referral,
      totalCents: o.total_cents,
      total: formatCents(o.total_cents),
      currency: o.currency,
      createdAt: o.created_at,
      customer: o.customer_id === null ? null : { id: o.customer_id, name: o.customer_name, email: o.customer_email },
      payments: payments.map((p) => ({
        tender: p.tender,
        amountCents: p.amount_cents,
        tenderedCents: p.tendered_cents,
        changeDueCents: p.change_cents,
      })),
      lines: lines.map((l) => ({
        ticketId: l.ticket_id,
        eventId: l.event_id,
        eventName: l.event_name,
        startsAt: l.starts_at,
        venueName: l.venue_name,
        city: l.city,
        section: l.section,
        row: l.row,
        seat: l.seat,
        priceCents: l.price_cents,
        price: formatCents(l.price_cents),
      })),
    };
  },

  listSellers: async (ctx) => ({ items: await sellersRepo.listSellers(ctx.store.reader) }),

  ...desktopHandlers,
  ...analyticsHandlers,
  ...fastSellHandlers,
  ...importHandlers,
  ...authHandlers,
  ...seatingHandlers,
  ...doorHandlers,
  ...storeHandlers,
};

