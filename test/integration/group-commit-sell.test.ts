import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { SqliteStore } from '../../electron/core/store/sqlite/database.js';
import { value } from '../support/db.js';
import { kioskCtx, memoryStore, startServer, type TestServer } from '../helpers.js';

let store: Store;
const ctx = () => kioskCtx(store);
let eventId: number;
let sellerId: number;

async function listing(quantity: number, priceCents: number, onEvent = eventId) {
  const r = await invoke(ctx(), FULL_ACCESS, 'postListing', { eventId: onEvent, sellerId, section: 'S', row: '1', quantity, priceCents });
  return r.tickets.map((t) => t.id);
}

async function newEvent(name: string) {
  const venues = await invoke(ctx(), FULL_ACCESS, 'listVenues', {});
  const e = await invoke(ctx(), FULL_ACCESS, 'createEvent', { name, venueId: venues.items[0]!.id, startsAt: '2027-03-01T20:00:00-06:00' });
  return e.id;
}

const count = (q: string, ...args: unknown[]) => value<number | string>(store, q, args);
// Group commit is SQLite's (many sales, one transaction); PostgreSQL runs one transaction per sale.
const groups = () => (store instanceof SqliteStore ? store.group.stats.groups : null);
const errorCode = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : r.status);

beforeAll(async () => {
  store = await memoryStore();
  const v = await invoke(ctx(), FULL_ACCESS, 'createVenue', { name: 'Group Hall', city: 'Chicago', country: 'US', timezone: 'America/Chicago' });
  const e = await invoke(ctx(), FULL_ACCESS, 'createEvent', { name: 'Group Night', venueId: v.id, startsAt: '2027-03-01T20:00:00-06:00' });
  eventId = e.id;
  const l = await invoke(ctx(), FULL_ACCESS, 'postListing', { eventId, seller: { name: 'Group Seller' }, section: 'S', row: '1', quantity: 1, priceCents: 100 });
  sellerId = l.listing.sellerId;
});
afterAll(async () => {
  await store.close();
});

describe('selling through group commit (IPC path: invoke → handlers → sell)', () => {
  it('200 concurrent sells of 10 tickets: exactly 10 sold, 190 TICKET_UNAVAILABLE, sharing few transactions', async () => {
    const ids = await listing(10, 2500);
    const groupsBefore = groups();
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: ids[i % 10]! })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((r) => errorCode(r) === 'TICKET_UNAVAILABLE')).toHaveLength(190);
    const placeholders = ids.map(() => '?').join(',');
    expect((await count(`SELECT count(*) FROM tickets WHERE status = 'sold' AND id IN (${placeholders})`, ...ids))).toBe(10);
    expect((await count(`SELECT count(*) FROM order_items WHERE ticket_id IN (${placeholders})`, ...ids))).toBe(10);
    // 200 requests issued together are written in a handful of transactions, not 200
    if (groupsBefore !== null) expect(groups()! - groupsBefore).toBeLessThan(5);
  });

  it('in one group, an order that cannot complete rolls back alone while its neighbours commit', async () => {
    const [a, b, c, d] = await listing(4, 1000);
    await invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: c! });
    const ordersBefore = Number(await count('SELECT count(*) FROM orders'));
    const groupsBefore = groups();
    const [first, failing, cashShort, last] = await Promise.allSettled([
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!] }),
      // b is free, c is sold: nothing of this order may stick, b included
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [b!, c!] }),
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [d!], payment: { tender: 'cash', tenderedCents: 500 } }),
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [b!] }),
    ]);
    if (groupsBefore !== null) expect(groups()! - groupsBefore).toBe(1);
    expect(first!.status).toBe('fulfilled');
    expect(errorCode(failing!)).toBe('TICKET_UNAVAILABLE');
    expect(errorCode(cashShort!)).toBe('VALIDATION_FAILED');
    expect(last!.status).toBe('fulfilled');
    expect((await count('SELECT count(*) FROM orders'))).toBe(ordersBefore + 2);
    expect((await count("SELECT status FROM tickets WHERE id = ?", d))).toBe('available');
  });

  it('keeps the sale rules: NOT_FOUND, duplicate ids, cash change, comp, customer and referral', async () => {
    const [a, b, c] = await listing(3, 1999);
    await expect(invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!, 987654321] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!, a!] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!], payment: { tender: 'card', tenderedCents: 5000 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const cash = await invoke(ctx(), FULL_ACCESS, 'createOrder', {
      ticketIds: [a!, b!],
      payment: { tender: 'cash', tenderedCents: 5000 },
      customer: { name: 'Ada Lovelace', email: 'Ada@Example.org' },
      referral: 'espn',
    });
    expect(cash.order).toMatchObject({ totalCents: 3998, changeDueCents: 1002, tender: 'cash', ticketIds: [a, b] });
    const comp = await invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [c!], payment: { tender: 'comp' }, customer: { email: 'ada@example.org', phone: '555-0100' } });
    expect(comp.order).toMatchObject({ totalCents: 0, changeDueCents: null, tender: 'comp' });
    const detail = await invoke(ctx(), FULL_ACCESS, 'getOrder', { code: cash.order.code });
    expect(detail).toMatchObject({ channel: 'kiosk', referral: 'espn', customer: { name: 'Ada Lovelace', email: 'Ada@Example.org' } });
    expect(detail.payments).toEqual([{ tender: 'cash', amountCents: 3998, tenderedCents: 5000, changeDueCents: 1002 }]);
    // the same email is the same customer, and a later sale fills in what was missing
    expect((await count("SELECT count(*) FROM customers WHERE lower(email) = 'ada@example.org'"))).toBe(1);
    expect((await count("SELECT phone FROM customers WHERE lower(email) = 'ada@example.org'"))).toBe('555-0100');
    expect((await count("SELECT count(*) FROM referral_sources WHERE slug = 'espn'"))).toBe(1);
  });

  it('idempotency keys hold inside one group: the repeat gets the first answer, a different request is refused', async () => {
    const [a, b] = await listing(2, 700);
    const ordersBefore = Number(await count('SELECT count(*) FROM orders'));
    const [one, two, other] = await Promise.allSettled([
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!], idempotencyKey: 'till-3-sale-81' }),
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!], idempotencyKey: 'till-3-sale-81' }),
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [b!], idempotencyKey: 'till-3-sale-81' }),
    ]);
    expect((await count('SELECT count(*) FROM orders'))).toBe(ordersBefore + 1);
    // SQLite's group runs the sales in arrival order. PostgreSQL runs one transaction each, so
    // under load the third request may commit first: then the key is its, and both others are refused.
    const firstWins = one!.status === 'fulfilled';
    if (store instanceof SqliteStore) expect(firstWins).toBe(true);
    if (firstWins) {
      expect(two).toEqual(one);
      expect(errorCode(other!)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await count("SELECT status FROM tickets WHERE id = ?", b))).toBe('available');
    } else {
      expect(other!.status).toBe('fulfilled');
      expect([errorCode(one!), errorCode(two!)]).toEqual(['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_REUSED']);
      expect((await count("SELECT status FROM tickets WHERE id = ?", a))).toBe('available');
    }
  });

  it('sellAny sells the cheapest available tickets; concurrent buyers never get the same seat; sold out is 409', async () => {
    const ev = await newEvent('Rush Night');
    const cheap = await listing(30, 1500, ev);
    const dear = await listing(30, 9000, ev);
    const sorted = (ids: readonly (number | undefined)[]) => [...ids].sort((x, y) => x! - y!);
    // First wave, fewer buyers than tickets: a dear ticket goes only once every cheap one is sold or
    // being sold (and those commit), so the cheap listing is sold out and exactly 10 dear ones went.
    const wave = await Promise.allSettled(Array.from({ length: 40 }, () => invoke(ctx(), FULL_ACCESS, 'sellAny', { id: ev })));
    expect(wave.map((r) => r.status)).toEqual(Array(40).fill('fulfilled'));
    const first = wave.flatMap((r) => (r.status === 'fulfilled' ? r.value.order.ticketIds : []));
    expect(first).toHaveLength(40);
    expect(new Set(first).size).toBe(40);
    expect(cheap.every((id) => first.includes(id))).toBe(true);
    expect(first.filter((id) => dear.includes(id))).toHaveLength(10);
    if (store instanceof SqliteStore) {
      // SQLite's group runs its items in arrival order: the first 30 answers took the cheap listing.
      // (PostgreSQL runs them as parallel transactions with SKIP LOCKED: no such order between answers.)
      const firstThirty = wave.slice(0, 30).map((r) => (r.status === 'fulfilled' ? r.value.order.ticketIds[0] : 0));
      expect(sorted(firstThirty)).toEqual(cheap);
    }
    // Second wave: 30 buyers for the 20 left; the rest are told it is sold out.
    const rest = await Promise.allSettled(Array.from({ length: 30 }, () => invoke(ctx(), FULL_ACCESS, 'sellAny', { id: ev })));
    const second = rest.flatMap((r) => (r.status === 'fulfilled' ? r.value.order.ticketIds : []));
    expect(second).toHaveLength(20);
    expect(rest.filter((r) => errorCode(r) === 'TICKET_UNAVAILABLE')).toHaveLength(10);
    const sold = [...first, ...second];
    expect(new Set(sold).size).toBe(60);
    expect(sorted(sold)).toEqual(sorted([...cheap, ...dear]));
    expect((await count("SELECT count(*) FROM tickets WHERE event_id = ? AND status = 'sold'", ev))).toBe(60);
    await expect(invoke(ctx(), FULL_ACCESS, 'sellAny', { id: 99_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const ev2 = await newEvent('Pair Night');
    await listing(3, 2000, ev2);
    const pair = await invoke(ctx(), FULL_ACCESS, 'sellAny', { id: ev2, quantity: 2, payment: { tender: 'cash', tenderedCents: 5000 } });
    expect(pair.order).toMatchObject({ totalCents: 4000, changeDueCents: 1000 });
    await expect(invoke(ctx(), FULL_ACCESS, 'sellAny', { id: ev2, quantity: 2 })).rejects.toMatchObject({ code: 'TICKET_UNAVAILABLE', details: { available: 1 } });
  });
});

describe('selling through group commit over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(await memoryStore());
  });
  afterAll(async () => {
    await s.close();
  });

  it('200 concurrent PUT /tickets/:id/sold for 10 tickets: 10 × 200 and 190 × 409; POST /events/:id/sales works', async () => {
    const post = async (path: string, json: unknown) => (await (await s.api(path, { method: 'POST', json })).json()) as { id: number; tickets: { id: number }[] };
    const venue = await post('/api/v1/venues', { name: 'Wire Hall', city: 'Austin', country: 'US', timezone: 'America/Chicago' });
    const event = await post('/api/v1/events', { name: 'Wire Night', venueId: venue.id, startsAt: '2027-04-01T20:00:00-05:00' });
    const l = await post('/api/v1/tickets', { eventId: event.id, seller: { name: 'Wire Seller' }, section: 'A', row: '1', quantity: 12, priceCents: 3000 });
    const ids = l.tickets.map((t) => t.id).slice(0, 10);
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => (await s.api(`/api/v1/tickets/${ids[i % 10]}/sold`, { method: 'PUT', json: {} })).status),
    );
    expect(statuses.filter((x) => x === 200)).toHaveLength(10);
    expect(statuses.filter((x) => x === 409)).toHaveLength(190);
    const sale = await s.api(`/api/v1/events/${event.id}/sales`, { method: 'POST', json: { quantity: 2 } });
    expect(sale.status).toBe(201);
    expect(((await sale.json()) as { order: { ticketIds: number[] } }).order.ticketIds).toEqual(l.tickets.slice(10).map((t) => t.id));
    const none = await s.api(`/api/v1/events/${event.id}/sales`, { method: 'POST', json: {} });
    expect(none.status).toBe(409);
  });
});
