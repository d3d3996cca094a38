import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../shared/operations/index.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { OpContext } from '../../electron/core/services/context.js';
import { kioskCtx, memoryStore, startServer, testEngine, type TestServer } from '../helpers.js';
import { value } from '../support/db.js';

/**
 * Issue 13: an event's tickets as one row per listing (listEventListings, grouped in SQL on both
 * engines) and "take N of this listing" (sellFromListing: picked and sold under the engine's locks).
 */
let server: TestServer;
let ctx: OpContext;
let venueId: number;

beforeAll(async () => {
  const store = await memoryStore();
  ctx = kioskCtx(store);
  venueId = (await invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Grouping Hall', city: 'Chicago', country: 'US', timezone: 'America/Chicago' })).id;
  server = await startServer(store);
});
afterAll(async () => server.close());

const call = <K extends Parameters<typeof invoke>[2]>(name: K, input: unknown) => invoke(ctx, FULL_ACCESS, name, input);

async function newEvent(name: string) {
  return (await call('createEvent', { name, venueId, startsAt: '2027-06-01T20:00:00-05:00', status: 'on_sale' })).id;
}

async function listing(eventId: number, l: { section: string; row: string; priceCents: number; quantity?: number; seats?: string[]; seller?: string }) {
  const seller = l.seller ?? 'Box Office';
  const r = await call('postListing', {
    eventId,
    seller: { name: seller, email: `${seller.toLowerCase().replace(/\W+/g, '.')}@example.org` },
    section: l.section,
    row: l.row,
    priceCents: l.priceCents,
    ...(l.seats ? { seats: l.seats } : { quantity: l.quantity }),
  });
  return { listingId: r.listing.id, ticketIds: r.tickets.map((t) => t.id) };
}

describe(`listEventListings (${testEngine()})`, () => {
  it('six identical seats are one row with 6 available; after selling 2 of it, 4; the output is the contract', async () => {
    const ev = await newEvent('Six Seats');
    const { listingId } = await listing(ev, { section: 'A', row: '08', priceCents: 4500, quantity: 6 });
    const page = await call('listEventListings', { id: ev });
    expect(operations.listEventListings.output.safeParse(page).success).toBe(true);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ listingId, section: 'A', row: '08', priceCents: 4500, price: '45.00', sellerName: 'Box Office', available: 6, total: 6, numbered: false, seats: null });
    expect(page).toMatchObject({ total: 1, ticketsAvailable: 6, nextCursor: null });

    const sale = await call('sellFromListing', { id: listingId, quantity: 2, payment: { tender: 'cash', tenderedCents: 10_000 } });
    expect(operations.sellFromListing.output.safeParse(sale).success).toBe(true);
    expect(sale.order.ticketIds).toHaveLength(2);
    expect(sale.order).toMatchObject({ totalCents: 9000, changeDueCents: 1000, tender: 'cash' });
    const after = await call('listEventListings', { id: ev });
    expect(after.items[0]).toMatchObject({ listingId, available: 4, total: 6 });
    expect(after.ticketsAvailable).toBe(4);
    const order = await call('getOrder', { code: sale.order.code });
    expect(order.lines).toHaveLength(2);
    expect(order.lines.every((l) => l.section === 'A' && l.row === '08')).toBe(true);
  });

  it('a different price or seller is its own group; row "08" stays text; sorted by price, then section and row', async () => {
    const ev = await newEvent('Split Groups');
    await listing(ev, { section: 'B', row: '08', priceCents: 3000, quantity: 2 });
    await listing(ev, { section: 'A', row: '10', priceCents: 3000, quantity: 3 });
    await listing(ev, { section: 'A', row: '08', priceCents: 3000, quantity: 2, seller: 'Resale Co' });
    await listing(ev, { section: 'A', row: '08', priceCents: 3500, quantity: 2 });
    await listing(ev, { section: 'A', row: '08', priceCents: 3000, quantity: 1 });
    const page = await call('listEventListings', { id: ev });
    expect(page.items.map((g) => [g.priceCents, g.section, g.row, g.sellerName, g.available])).toEqual([
      [3000, 'A', '08', 'Resale Co', 2],
      [3000, 'A', '08', 'Box Office', 1],
      [3000, 'A', '10', 'Box Office', 3],
      [3000, 'B', '08', 'Box Office', 2],
      [3500, 'A', '08', 'Box Office', 2],
    ]);
    expect(page.total).toBe(5);
    expect(page.ticketsAvailable).toBe(10);
    expect(typeof page.items[0]!.row).toBe('string');
    // Over HTTP too: the route the table derives, row still "08".
    const res = await server.api(`/api/v1/events/${ev}/listings?section=A&minQuantity=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { row: string; available: number }[]; total: number };
    expect(body.total).toBe(3);
    expect(body.items.map((g) => g.row)).toEqual(['08', '10', '08']);
    // Filters: price window, highest first.
    const dear = await call('listEventListings', { id: ev, minPrice: 3100, sort: '-price' });
    expect(dear.items.map((g) => g.priceCents)).toEqual([3500]);
  });

  it('numbered seats: the available ones, in order; a seat sold by hand leaves the list; a sold-out listing leaves the page', async () => {
    const ev = await newEvent('Numbered');
    const numbered = await listing(ev, { section: 'C', row: '01', priceCents: 2000, seats: ['7', '8', '9'] });
    const gone = await listing(ev, { section: 'D', row: '2', priceCents: 1000, quantity: 1 });
    await call('createOrder', { ticketIds: [numbered.ticketIds[1]] });
    await call('sellFromListing', { id: gone.listingId });
    const page = await call('listEventListings', { id: ev });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      listingId: numbered.listingId,
      available: 2,
      total: 3,
      numbered: true,
      seats: [
        { ticketId: numbered.ticketIds[0], seat: '7' },
        { ticketId: numbered.ticketIds[2], seat: '9' },
      ],
    });
  });

  it('pages by cursor: every listing once, in order, with the total on each page', async () => {
    const ev = await newEvent('Paging');
    for (let i = 0; i < 23; i++) await listing(ev, { section: `S${String(i % 4)}`, row: String(i % 3).padStart(2, '0'), priceCents: 1000 + (i % 5) * 100, quantity: 1 + (i % 3) });
    for (const sort of ['price', '-price', 'section', 'row'] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await call('listEventListings', { id: ev, sort, limit: 5, ...(cursor ? { cursor } : {}) });
        expect(p.total).toBe(23);
        seen.push(...p.items.map((g) => g.listingId));
        cursor = p.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(23);
      const all = await call('listEventListings', { id: ev, sort, limit: 500 });
      expect(seen).toEqual(all.items.map((g) => g.listingId));
    }
    const all = await call('listEventListings', { id: ev, limit: 500 });
    const keys = all.items.map((g) => [g.priceCents, g.section, g.row] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    expect(keys).toEqual(sorted);
    await expect(call('listEventListings', { id: ev, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(call('listEventListings', { id: 987_654 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe(`sellFromListing (${testEngine()})`, () => {
  it('20 concurrent "take 2" of a listing of 10 over HTTP: exactly 5 sell, no ticket twice, the rest 409', async () => {
    const ev = await newEvent('Race');
    const { listingId, ticketIds } = await listing(ev, { section: 'R', row: '1', priceCents: 2500, quantity: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const r = await server.api(`/api/v1/listings/${listingId}/sales`, { method: 'POST', json: { quantity: 2, payment: { tender: 'card' } } });
        return { status: r.status, body: (await r.json()) as { order?: { ticketIds: number[] }; error?: { code: string } } };
      }),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error?.code === 'TICKET_UNAVAILABLE')).toBe(true);
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    const sold = won.flatMap((r) => r.body.order!.ticketIds);
    expect(sold).toHaveLength(10);
    expect(new Set(sold).size).toBe(10);
    expect([...sold].sort((a, b) => a - b)).toEqual([...ticketIds].sort((a, b) => a - b));
    // The database agrees: every ticket in exactly one order line, all sold, nothing left.
    expect(Number(await value(ctx.store, `SELECT count(*) FROM order_items WHERE ticket_id IN (${ticketIds.join(',')})`))).toBe(10);
    expect(Number(await value(ctx.store, `SELECT count(DISTINCT ticket_id) FROM order_items WHERE ticket_id IN (${ticketIds.join(',')})`))).toBe(10);
    expect(Number(await value(ctx.store, `SELECT count(*) FROM tickets WHERE listing_id = ${listingId} AND status = 'sold'`))).toBe(10);
    expect((await call('listEventListings', { id: ev })).items).toEqual([]);
  });

  it('an Idempotency-Key repeat answers the first sale, also when the twins race; the same key for another request is 409', async () => {
    const ev = await newEvent('Idempotent');
    const { listingId } = await listing(ev, { section: 'K', row: '1', priceCents: 1200, quantity: 6 });
    const send = (key: string, quantity: number) =>
      server.api(`/api/v1/listings/${listingId}/sales`, { method: 'POST', headers: { 'idempotency-key': key }, json: { quantity, payment: { tender: 'card' } } });
    const first = await send('till-1-0001', 2);
    expect(first.status).toBe(201);
    const order = ((await first.json()) as { order: { code: string; ticketIds: number[] } }).order;
    const again = await send('till-1-0001', 2);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { order: { code: string } }).order.code).toBe(order.code);
    const reused = await send('till-1-0001', 3);
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Twenty copies of one request at once (a retry storm): one sale.
    const twins = await Promise.all(Array.from({ length: 20 }, () => send('till-1-0002', 2)));
    const codes = await Promise.all(twins.map(async (r) => ({ status: r.status, code: ((await r.json()) as { order?: { code: string } }).order?.code })));
    expect(codes.every((c) => c.status === 201)).toBe(true);
    expect(new Set(codes.map((c) => c.code)).size).toBe(1);
    expect((await call('listEventListings', { id: ev })).items[0]).toMatchObject({ listingId, available: 2 });
  });

  it('asking for more than are left is 409 with how many are left, and sells nothing; an unknown listing is 404', async () => {
    const ev = await newEvent('Short');
    const { listingId } = await listing(ev, { section: 'Q', row: '1', priceCents: 1500, quantity: 3 });
    await expect(call('sellFromListing', { id: listingId, quantity: 4 })).rejects.toMatchObject({ code: 'TICKET_UNAVAILABLE', details: { listingId, available: 3 } });
    expect((await call('listEventListings', { id: ev })).items[0]).toMatchObject({ available: 3 });
    await expect(call('sellFromListing', { id: 987_654, quantity: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const r = await server.api(`/api/v1/listings/${listingId}/sales`, { method: 'POST', json: { quantity: 0 } });
    expect(r.status).toBe(400);
  });
});
