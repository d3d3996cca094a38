import { AppError, notFound } from '../../../shared/errors.js';
import { formatCents } from '../../../shared/money.js';
import { seatsToColumns } from '../../../shared/seat-columns.js';
import { nowIso } from '../../../shared/time.js';
import { holdClock } from '../store/contract/hold-clock.js';
import * as repo from '../store/common/seating-repo.js';
import type { ChartRow, HoldRow, ReservationRow } from '../store/contract/shapes.js';
import { bestTogether } from './best-seats.js';
import { layoutChart } from './chart-layout.js';
import type { OpContext } from './context.js';
import type { Handler } from './handlers.js';

type SeatingOp =
  | 'createSeatingChart'
  | 'listSeatingCharts'
  | 'listSeatedEvents'
  | 'assignSeatingChart'
  | 'getSeatMap'
  | 'bestSeats'
  | 'holdSeats'
  | 'releaseSeats'
  | 'listHolds'
  | 'reserveTickets'
  | 'listReservations'
  | 'cancelReservation'
  | 'cancelOrder'
  | 'eventInventory';

/** How long a click holds a seat unless the request says (ttlSeconds): MARQUEE_HOLD_SECONDS (5–3600), else 5 minutes. */
export function defaultHoldSeconds(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.MARQUEE_HOLD_SECONDS);
  return Number.isInteger(n) && n >= 5 && n <= 3600 ? n : 300;
}
const DEFAULT_HOLD_SECONDS = defaultHoldSeconds();

/**
 * Who holds: the holder the client names (the renderer sends its terminal id, kept per window),
 * otherwise the transport: every IPC caller without one is "kiosk", every HTTP caller "api".
 */
const holderOf = (ctx: OpContext, holder: string | undefined) => holder ?? ctx.channel;
const isoAt = (ms: number) => new Date(ms).toISOString();

const toHold = (h: HoldRow) => ({
  ticketId: h.ticket_id,
  eventId: h.event_id,
  holder: h.holder,
  section: h.section,
  row: h.row,
  seat: h.seat,
  priceCents: h.price_cents,
  expiresAt: h.expires_at,
  reservationId: h.reservation_id,
});

const toReservation = (r: ReservationRow, ticketIds: number[]) => ({
  id: r.id,
  eventId: r.event_id,
  holder: r.holder,
  quantity: r.quantity,
  status: r.status,
  customerName: r.customer_name,
  ticketIds,
  createdAt: r.created_at,
});

function chartSummary(c: ChartRow, seats: { section: string; zone: string }[]) {
  return {
    id: c.id,
    name: c.name,
    venueId: c.venue_id,
    seatCount: c.seat_count,
    width: c.width,
    height: c.height,
    sections: [...new Set(seats.map((s) => s.section))],
    zones: [...new Set(seats.map((s) => s.zone))],
  };
}

async function chartedEvent(ctx: OpContext, id: number) {
  const event = await repo.findEvent(ctx.store.sql(), id);
  if (!event) throw notFound('event', id);
  if (event.seating_chart_id === null) throw new AppError('NOT_FOUND', `event ${id} has no seating chart (general admission)`, { id });
  return { ...event, seating_chart_id: event.seating_chart_id };
}

export const seatingHandlers: { [K in SeatingOp]: Handler<K> } = {
  createSeatingChart: async (ctx, input) => {
    const layout = layoutChart(input);
    const id = await ctx.store.write(async (trx) => {
      if (input.venueId !== undefined && !(await trx.selectFrom('venues').select('id').where('id', '=', input.venueId).executeTakeFirst())) throw notFound('venue', input.venueId);
      return repo.insertChart(ctx.store.sql(trx), input.name, input.venueId ?? null, input, layout, nowIso());
    });
    return chartSummary((await repo.findChart(ctx.store.sql(), id))!, layout.seats);
  },

  listSeatingCharts: async (ctx, { venueId }) => {
    const sql = ctx.store.sql();
    const items = [];
    for (const c of await repo.listCharts(sql)) {
      if (venueId === undefined || c.venue_id === venueId) items.push(chartSummary(c, await repo.chartSeats(sql, c.id)));
    }
    return { items };
  },

  listSeatedEvents: async (ctx) => ({
    items: (await repo.seatedEvents(ctx.store.sql())).map((e) => ({
      eventId: e.event_id,
      name: e.name,
      startsAt: e.starts_at,
      venueName: e.venue_name,
      timezone: e.timezone,
      chartId: e.chart_id,
      chartName: e.chart_name,
      seatCount: e.seat_count,
    })),
  }),

  assignSeatingChart: async (ctx, a) => {
    const ticketsCreated = await ctx.store.write((trx) =>
      repo.assignChart(ctx.store.sql(trx), { eventId: a.id, chartId: a.chartId, sellerId: a.sellerId ?? 1, prices: a.prices, currency: a.currency, now: nowIso() }),
    );
    return { eventId: a.id, chartId: a.chartId, ticketsCreated };
  },

  getSeatMap: async (ctx, { id, holder }) => {
    const me = holderOf(ctx, holder);
    const event = await chartedEvent(ctx, id);
    const sql = ctx.store.sql();
    const chart = (await repo.findChart(sql, event.seating_chart_id))!;
    const now = isoAt(holdClock.now());
    const rows = await repo.seatMapRows(sql, id, chart.id);
    const zonePrice = new Map<string, number | null>();
    let currency: string | null = null;
    const seats = rows.map((r) => {
      currency ??= r.currency;
      const live = r.holder !== null && (r.expires_at === null || r.expires_at > now);
      const status = r.ticket_id === null || r.status === 'void' ? 'unavailable' : r.status === 'sold' ? 'sold' : r.status === 'held' && live ? 'held' : 'available';
      if (r.price_cents !== null && !zonePrice.has(r.zone)) zonePrice.set(r.zone, r.price_cents);
      return {
        ticketId: r.ticket_id,
        seatId: r.seat_id,
        section: r.section,
        row: r.row,
        seat: r.seat,
        x: r.x,
        y: r.y,
        zone: r.zone,
        priceCents: r.price_cents,
        accessible: r.accessible === 1,
        obstructed: r.obstructed === 1,
        aisle: r.aisle === 1,
        status: status as 'available' | 'held' | 'sold' | 'unavailable',
        heldByMe: status === 'held' && r.holder === me,
        holdExpiresAt: status === 'held' ? r.expires_at : null,
      };
    });
    const summary = chartSummary(chart, rows);
    return {
      eventId: id,
      eventName: event.name,
      holder: me,
      chart: summary,
      zones: summary.zones.map((zone) => ({ zone, priceCents: zonePrice.get(zone) ?? null })),
      currency: currency ?? 'USD',
      seats: seatsToColumns(seats),
    };
  },

  bestSeats: async (ctx, q) => {
    const me = holderOf(ctx, q.holder);
    const event = await chartedEvent(ctx, q.id);
    const sql = ctx.store.sql();
    const now = isoAt(holdClock.now());
    const order = new Map((await repo.chartSeats(sql, event.seating_chart_id)).map((s) => [s.id, s]));
    const slots = (await repo.seatMapRows(sql, q.id, event.seating_chart_id)).flatMap((r) => {
      if (r.ticket_id === null || r.price_cents === null) return [];
      const lapsed = r.expires_at !== null && r.expires_at <= now;
      const free = r.status === 'available' || (r.status === 'held' && (lapsed || (r.holder === me && r.expires_at !== null)));
      const cs = order.get(r.seat_id)!;
      return [{ ticketId: r.ticket_id, section: r.section, row: r.row, seat: r.seat, rowOrder: cs.row_order, seatOrder: cs.seat_order, x: r.x, y: r.y, zone: r.zone, priceCents: r.price_cents, free }];
    });
    const best = bestTogether(slots, q.quantity, q.zone);
    if (!best) throw new AppError('NOT_FOUND', `No ${q.quantity} seats together are available for event ${q.id}`, { id: q.id, quantity: q.quantity });
    return {
      section: best.seats[0]!.section,
      row: best.seats[0]!.row,
      seats: best.seats.map((s) => s.seat),
      ticketIds: best.seats.map((s) => s.ticketId),
      totalCents: best.seats.reduce((n, s) => n + s.priceCents, 0),
      leavesSingleGap: best.leavesSingleGap,
    };
  },

  holdSeats: async (ctx, h) => {
    const holder = holderOf(ctx, h.holder);
    const ids = [...new Set(h.ticketIds)];
    const nowMs = holdClock.now();
    const expiresAt = isoAt(nowMs + (h.ttlSeconds ?? DEFAULT_HOLD_SECONDS) * 1000);
    const rows = await ctx.store.task('holdSeats', { eventId: h.id, ticketIds: ids, holder, expiresAt, now: isoAt(nowMs) });
    ctx.store.feed.publish({ eventId: h.id, ticketIds: ids, status: 'held', holder, expiresAt });
    return { holder, holds: rows.map(toHold) };
  },

  releaseSeats: async (ctx, r) => {
    const holder = holderOf(ctx, r.holder);
    const ids = [...new Set(r.ticketIds)];
    const released = await ctx.store.task('releaseSeats', { eventId: r.id, ticketIds: ids, holder, now: isoAt(holdClock.now()) });
    ctx.store.feed.publish({ eventId: r.id, ticketIds: released, status: 'available', holder: null, expiresAt: null });
    return { holder, released };
  },

  listHolds: async (ctx, q) => {
    const sql = ctx.store.sql();
    if (!(await repo.findEvent(sql, q.id))) throw notFound('event', q.id);
    const rows = await repo.liveHolds(sql, q.id, isoAt(holdClock.now()));
    return { items: rows.filter((h) => q.holder === undefined || h.holder === q.holder).map(toHold) };
  },

  reserveTickets: async (ctx, r) => {
    const holder = holderOf(ctx, r.holder);
    const { reservation, ticketIds } = await ctx.store.task('reserveTickets', {
      eventId: r.id,
      quantity: r.quantity,
      holder,
      customerName: r.customerName ?? null,
      now: isoAt(holdClock.now()),
    });
    ctx.store.feed.publish({ eventId: r.id, ticketIds, status: 'held', holder, expiresAt: null });
    return toReservation(reservation, ticketIds);
  },

  listReservations: async (ctx, q) => {
    const sql = ctx.store.sql();
    if (!(await repo.findEvent(sql, q.id))) throw notFound('event', q.id);
    const items = [];
    for (const r of await repo.reservationsOfEvent(sql, q.id)) {
      if (q.status === undefined || r.status === q.status) items.push(toReservation(r, await repo.reservationTickets(sql, r.id)));
    }
    return { items };
  },

  cancelReservation: async (ctx, c) => {
    const { reservation, released } = await ctx.store.task('cancelReservation', { id: c.id, reason: c.reason ?? null, now: nowIso() });
    ctx.store.feed.publish({ eventId: reservation.event_id, ticketIds: released, status: 'available', holder: null, expiresAt: null });
    return toReservation(reservation, released);
  },

  cancelOrder: async (ctx, c) => {
    const now = nowIso();
    const { released } = await ctx.store.write((trx) => repo.cancelOrder(ctx.store.sql(trx), c.code, c.reason, now));
    const feed = ctx.store.feed;
    for (const eventId of new Set(released.map((t) => t.eventId))) {
      feed.publish({ eventId, ticketIds: released.filter((t) => t.eventId === eventId).map((t) => t.id), status: 'available', holder: null, expiresAt: null });
    }
    return { code: c.code, status: 'cancelled' as const, reason: c.reason, releasedTicketIds: released.map((t) => t.id), cancelledAt: now };
  },

  eventInventory: async (ctx, { id }) => {
    const inv = await repo.inventory(ctx.store.sql(), id, isoAt(holdClock.now()));
    return { eventId: id, ...inv, revenue: formatCents(inv.revenueCents) };
  },
};
