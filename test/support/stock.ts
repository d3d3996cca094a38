import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { kioskCtx } from '../helpers.js';

/**
 * An event with one unseated listing of `quantity` tickets at 25.00 (unless said), made in process
 * through the operations, as an organizer would: for suites that drive a store directly. Gives the
 * first 100 ticket ids.
 */
export async function eventWithTickets(
  store: Store,
  quantity: number,
  o: { name?: string; priceCents?: number } = {},
): Promise<{ eventId: number; ticketIds: number[] }> {
  const ctx = kioskCtx(store);
  const v = await invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Shared Hall', city: 'Lyon', country: 'FR', timezone: 'Europe/Paris' });
  const e = await invoke(ctx, FULL_ACCESS, 'createEvent', { name: o.name ?? 'Two Doors', venueId: v.id, startsAt: '2027-03-01T20:00:00+01:00' });
  await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: e.id, seller: { name: 'Box' }, section: 'A', row: '08', quantity, priceCents: o.priceCents ?? 2500 });
  const page = await invoke(ctx, FULL_ACCESS, 'listEventTickets', { id: e.id, limit: 100 });
  return { eventId: e.id, ticketIds: page.items.map((t) => t.id) };
}
