import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { OpContext } from '../../electron/core/services/context.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { seatsFromColumns } from '../../shared/seat-columns.js';
import { kioskCtx } from '../helpers.js';

/** A venue, a seller and one event on a small chart ("Main": rows, seats per row), priced by zone. */
export async function chartedEvent(store: Store, o: { rows?: string; seats?: number; aisleAfter?: number[] } = {}) {
  const ctx = kioskCtx(store);
  const { venueId, sellerId } = await basics(ctx);
  const event = await invoke(ctx, FULL_ACCESS, 'createEvent', { name: 'Charted show', venueId, startsAt: '2026-12-05T19:30:00-06:00' });
  const chart = await invoke(ctx, FULL_ACCESS, 'createSeatingChart', {
    name: 'Test hall',
    venueId,
    sections: [{ name: 'Main', rows: o.rows ?? 'A-C', seats: o.seats ?? 6, rowZones: { A: 'front' }, aisleAfter: o.aisleAfter ?? [] }],
  });
  await invoke(ctx, FULL_ACCESS, 'assignSeatingChart', { id: event.id, chartId: chart.id, prices: { front: 5000, standard: 3000 }, sellerId });
  const map = await invoke(ctx, FULL_ACCESS, 'getSeatMap', { id: event.id });
  const seats = seatsFromColumns(map.seats);
  return { ctx, eventId: event.id, chart, ticketIds: seats.map((s) => s.ticketId!), map, seats };
}

/** A general-admission event: capacity = quota, one unseated listing of that many tickets. */
export async function gaEvent(store: Store, quota: number) {
  const ctx = kioskCtx(store);
  const { venueId, sellerId } = await basics(ctx);
  const event = await invoke(ctx, FULL_ACCESS, 'createEvent', { name: 'GA night', venueId, startsAt: '2026-12-06T20:00:00-06:00', capacity: quota });
  await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: event.id, sellerId, section: 'GA', row: 'GA', quantity: quota, priceCents: 2500 });
  return { ctx, eventId: event.id };
}

async function basics(ctx: OpContext) {
  const venues = await invoke(ctx, FULL_ACCESS, 'listVenues', {});
  const venueId =
    venues.items[0]?.id ?? (await invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Hall', city: 'Chicago', country: 'US', timezone: 'America/Chicago' })).id;
  const sellers = await invoke(ctx, FULL_ACCESS, 'listSellers', {});
  let sellerId = sellers.items[0]?.id;
  if (sellerId === undefined) {
    const row = await ctx.store.write((trx) => trx.insertInto('sellers').values({ name: 'Box office', email: null, created_at: 'x' }).returning('id').executeTakeFirstOrThrow());
    sellerId = row.id;
  }
  return { venueId, sellerId };
}
