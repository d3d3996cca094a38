import type { Terminal } from './terminals.js';

/**
 * Stock for the multi-terminal proofs, put in through one terminal's HTTP API (the same operations a
 * venue's organizer uses), so the other terminals see it only through the shared database.
 */
async function created<T>(t: Terminal, path: string, json: unknown): Promise<T> {
  const a = await t.post(path, json);
  if (a.status !== 201) throw new Error(`POST ${path} at ${t.name} answered ${a.status}: ${JSON.stringify(a.body)}`);
  return a.body as T;
}

/** The venue and the seller (the box office) of a database, made once through its first terminal. */
const basicsOf = new Map<string, Promise<{ venueId: number; sellerId: number }>>();

function basics(t: Terminal): Promise<{ venueId: number; sellerId: number }> {
  let b = basicsOf.get(t.base);
  if (!b) {
    b = (async () => {
      const venueId = (await created<{ id: number }>(t, '/venues', { name: 'Shared Hall', city: 'Lyon', country: 'FR', timezone: 'Europe/Paris' })).id;
      // Sellers come into being with a listing: one ticket of a set-up event.
      const e = await created<{ id: number }>(t, '/events', { name: 'Set-up', venueId, startsAt: '2027-02-01T20:00:00+01:00' });
      const l = await created<{ listing: { sellerId: number } }>(t, '/tickets', { eventId: e.id, seller: { name: 'Box office' }, section: 'X', row: '1', quantity: 1, priceCents: 100 });
      return { venueId, sellerId: l.listing.sellerId };
    })();
    basicsOf.set(t.base, b);
  }
  return b;
}

/** A general-admission event: capacity = quantity, one unseated listing of that many tickets at 25.00. */
export async function eventWithTickets(t: Terminal, quantity: number, name = 'Rush night'): Promise<{ eventId: number; ticketIds: number[] }> {
  const { venueId, sellerId } = await basics(t);
  const e = await created<{ id: number }>(t, '/events', { name, venueId, startsAt: '2027-03-01T20:00:00+01:00', capacity: quantity });
  const l = await created<{ tickets: { id: number }[] }>(t, '/tickets', { eventId: e.id, sellerId, section: 'GA', row: 'GA', quantity, priceCents: 2500 });
  return { eventId: e.id, ticketIds: l.tickets.map((x) => x.id) };
}

/** A seated event on a chart of one section (rows × seats), every seat one ticket. */
export async function seatedEvent(t: Terminal, o: { rows: string; seats: number; name?: string }): Promise<{ eventId: number; ticketIds: number[] }> {
  const { venueId, sellerId } = await basics(t);
  const name = o.name ?? 'Seated night';
  const e = await created<{ id: number }>(t, '/events', { name, venueId, startsAt: '2027-03-02T20:00:00+01:00' });
  const chart = await created<{ id: number }>(t, '/seating-charts', { name: `${name} hall`, venueId, sections: [{ name: 'Main', rows: o.rows, seats: o.seats }] });
  await created(t, `/events/${e.id}/seating-chart`, { chartId: chart.id, prices: { standard: 3000 }, sellerId });
  const res = await t.api(`/events/${e.id}/tickets?limit=5000`);
  if (!res.ok) throw new Error(`GET tickets of event ${e.id} answered ${res.status}: ${await res.text()}`);
  const page = (await res.json()) as { items: { id: number }[] };
  return { eventId: e.id, ticketIds: page.items.map((x) => x.id).sort((a, b) => a - b) };
}
