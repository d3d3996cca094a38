import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, memoryStore, startServer, type TestServer } from '../helpers.js';
import { column, rows, value } from '../support/db.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer(await memoryStore({ seed: true }));
});
afterAll(async () => s.close());

// Response bodies are checked field by field below; a loose type keeps those checks readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response) => (await r.json()) as Record<string, any>;
const expectError = async (r: Response, status: number, code: string) => {
  expect(r.status).toBe(status);
  const body = await json(r);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error;
};
const count = (sql: string, ...args: unknown[]) => value(s.store, sql, args);

describe('health, openapi, docs', () => {
  it('health needs no token', async () => {
    const r = await s.api('/api/v1/health', { noAuth: true });
    expect(r.status).toBe(200);
    const body = await json(r);
    // The fields it always had, and the store's: what the renderer's "unavailable" banner follows.
    expect(body).toMatchObject({ ok: true, version: 'test', store: { engine: process.env.MARQUEE_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite', status: 'up', problem: null } });
    expect(body.store.schemaVersion).toMatch(/^2026-/);
  });
  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const doc = await json(await s.api('/api/v1/openapi.json', { noAuth: true }));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/events/{id}/tickets/best', '/api/v1/tickets/{id}/sold', '/api/v1/imports']));
    expect(doc.paths['/api/v1/orders'].post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(doc.paths['/api/v1/imports'].post.requestBody.content['text/csv']).toBeDefined();
  });
  it('serves a readable docs page', async () => {
    const r = await s.api('/api/v1/docs', { noAuth: true });
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(await r.text()).toContain('/api/v1/events/{id}/tickets/best');
  });
});

describe('security of the local server', () => {
  it('refuses a missing or wrong token with 401', async () => {
    await expectError(await s.api('/api/v1/venues', { noAuth: true }), 401, 'UNAUTHORIZED');
    await expectError(await s.api('/api/v1/venues', { headers: { authorization: 'Bearer nope' } }), 401, 'UNAUTHORIZED');
  });
  it('refuses a foreign Host (DNS rebinding) with 403', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: s.port, path: '/api/v1/health', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
  it('sends no CORS headers', async () => {
    const r = await s.api('/api/v1/venues', { headers: { origin: 'http://evil.example' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
  it('answers 415 for a body that is not JSON, 400 for broken JSON, 413 for a huge body', async () => {
    await expectError(await s.api('/api/v1/venues', { method: 'POST', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await s.api('/api/v1/venues', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await s.api('/api/v1/venues', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
    await expectError(await s.api('/api/v1/venues', { method: 'POST', json: { name: 'x'.repeat(2 * 1024 * 1024) } }), 413, 'PAYLOAD_TOO_LARGE');
  });
  it('rejects unknown fields with 400 and names them', async () => {
    const e = await expectError(await s.api('/api/v1/venues', { method: 'POST', json: { name: 'V', city: 'C', country: 'US', timezone: 'UTC', colour: 'red' } }), 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(e.details)).toContain('colour');
  });
  it('answers unknown routes with a JSON 404', async () => {
    await expectError(await s.api('/api/v1/nothing-here'), 404, 'NOT_FOUND');
  });
});

describe('venues and events', () => {
  let venueId: number;
  it('creates and lists venues; refuses a bad time zone', async () => {
    const r = await s.api('/api/v1/venues', { method: 'POST', json: { name: 'Test Hall', city: 'Springfield', region: 'Oregon', country: 'United States', timezone: 'America/Los_Angeles' } });
    expect(r.status).toBe(201);
    venueId = (await json(r)).id;
    const list = await json(await s.api('/api/v1/venues'));
    expect(list.items.map((v: { name: string }) => v.name)).toContain('Test Hall');
    await expectError(await s.api('/api/v1/venues', { method: 'POST', json: { name: 'X', city: 'Y', country: 'US', timezone: 'Mars/Olympus' } }), 400, 'VALIDATION_FAILED');
  });

  it('creates an event with an explicit external id, refuses a duplicate id and an unknown venue', async () => {
    const body = { id: 9001, name: 'Springfield Jazz Night', venueId, startsAt: '2027-01-15T20:00:00-08:00', category: 'concert', capacity: 300 };
    const r = await s.api('/api/v1/events', { method: 'POST', json: body });
    expect(r.status).toBe(201);
    const e = await json(r);
    expect(e).toMatchObject({ id: 9001, startsAt: '2027-01-15T20:00:00-08:00', ticketsAvailable: 0, minPriceCents: null, capacity: 300 });
    expect(e.venue.city).toBe('Springfield');
    await expectError(await s.api('/api/v1/events', { method: 'POST', json: body }), 409, 'CONFLICT');
    await expectError(await s.api('/api/v1/events', { method: 'POST', json: { ...body, id: 9002, venueId: 999 } }), 404, 'NOT_FOUND');
    await expectError(await s.api('/api/v1/events', { method: 'POST', json: { ...body, id: 9003, startsAt: '2027-01-15T20:00' } }), 400, 'VALIDATION_FAILED');
  });

  it('gets and patches an event; 404 for an unknown one', async () => {
    expect((await json(await s.api('/api/v1/events/9001'))).name).toBe('Springfield Jazz Night');
    const p = await s.api('/api/v1/events/9001', { method: 'PATCH', json: { status: 'postponed', startsAt: '2027-02-01T20:00:00-08:00' } });
    expect(p.status).toBe(200);
    expect(await json(p)).toMatchObject({ status: 'postponed', startsAt: '2027-02-01T20:00:00-08:00' });
    await expectError(await s.api('/api/v1/events/424242'), 404, 'NOT_FOUND');
    await expectError(await s.api('/api/v1/events/424242', { method: 'PATCH', json: { name: 'x' } }), 404, 'NOT_FOUND');
    await expectError(await s.api('/api/v1/events/9001', { method: 'PATCH', json: { status: 'exploded' } }), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/events/abc'), 400, 'VALIDATION_FAILED');
  });

  it('searches by city and date range (local days) and by text', async () => {
    const all = await json(await s.api('/api/v1/events?city=seattle'));
    expect(all.items.length).toBeGreaterThan(1);
    for (const e of all.items) expect(e.venue.city).toBe('Seattle');
    const day = await json(await s.api('/api/v1/events?city=Seattle&from=2019-09-14&to=2019-09-14'));
    expect(day.items.map((e: { id: number }) => e.id)).toEqual([107]);
    expect(day.items[0]).toMatchObject({ startsAt: '2019-09-14T18:10:00-07:00' });
    expect(day.items[0].ticketsAvailable).toBeGreaterThan(0);
    expect(day.items[0].minPriceCents).toBeGreaterThan(0);
    const instant = await json(await s.api(`/api/v1/events?from=${encodeURIComponent('2019-09-15T01:10:00Z')}&to=${encodeURIComponent('2019-09-15T01:10:00Z')}`));
    expect(instant.items.map((e: { id: number }) => e.id)).toEqual([107]);
    const text = await json(await s.api('/api/v1/events?q=knicks'));
    expect(text.items.map((e: { id: number }) => e.id)).toEqual([164]);
    const none = await json(await s.api('/api/v1/events?city=Chicago&from=2030-01-01'));
    expect(none.items).toEqual([]);
    await expectError(await s.api('/api/v1/events?from=yesterday'), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/events?limit=0'), 400, 'VALIDATION_FAILED');
  });
});

describe('tickets', () => {
  it('lists available tickets of an event with filters, paging and a total; records a referred visit', async () => {
    const page1 = await json(await s.api('/api/v1/events/164/tickets?limit=5'));
    expect(page1.items).toHaveLength(5);
    expect(page1.total).toBe((await count(`SELECT count(*) FROM tickets WHERE event_id=164 AND status='available'`)));
    const t = page1.items[0];
    expect(Object.keys(t)).toEqual(expect.arrayContaining(['id', 'eventId', 'listingId', 'sellerId', 'section', 'row', 'seat', 'priceCents', 'price', 'currency', 'status']));
    expect(t.price).toMatch(/^\d+\.\d{2}$/);
    const prices = page1.items.map((x: { priceCents: number }) => x.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const page2 = await json(await s.api(`/api/v1/events/164/tickets?limit=5&cursor=${page1.nextCursor}`));
    expect(page2.items[0].priceCents).toBeGreaterThanOrEqual(prices[4]);
    expect(page2.items.map((x: { id: number }) => x.id)).not.toContain(page1.items[4].id);
    const section = t.section;
    const filtered = await json(await s.api(`/api/v1/events/164/tickets?section=${encodeURIComponent(section)}&minPrice=0&maxPrice=100000000`));
    for (const x of filtered.items) expect(x.section).toBe(section);
    const before = (await count(`SELECT count(*) FROM referral_visits WHERE referral='espn' AND event_id=164`));
    await s.api('/api/v1/events/164/tickets?ref=espn&limit=1');
    expect((await count(`SELECT count(*) FROM referral_visits WHERE referral='espn' AND event_id=164`))).toBe(before + 1);
    await expectError(await s.api('/api/v1/events/999999/tickets'), 404, 'NOT_FOUND');
    await expectError(await s.api('/api/v1/events/164/tickets?minPrice=-5'), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/events/164/tickets?cursor=garbage'), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/events/164/tickets?ref=Not%20A%20Slug!'), 400, 'VALIDATION_FAILED');
  });

  it('searches tickets across events by city and date range, each with its event', async () => {
    const r = await json(await s.api('/api/v1/tickets?city=Chicago&from=2019-11-01&to=2019-11-30&limit=20'));
    expect(r.items.length).toBe(20);
    for (const t of r.items) {
      expect(t.event).toMatchObject({ id: 164, city: 'Chicago' });
      expect(t.status).toBe('available');
    }
    expect((await json(await s.api('/api/v1/tickets?city=Nowhere'))).items).toEqual([]);
  });

  it('walks a city\'s whole inventory page by page: every ticket once, as many as total, in sort order', async () => {
    const inCity = await count(
      `SELECT count(*) FROM tickets t JOIN events e ON e.id = t.event_id JOIN venues v ON v.id = e.venue_id
       WHERE t.status = 'available' AND lower(v.city) = 'chicago' AND e.local_date BETWEEN '2019-11-01' AND '2019-11-30'`,
    );
    expect(inCity).toBeGreaterThan(20);
    const seen: number[] = [];
    const keys: [string, number, number][] = [];
    let cursor: string | null = null;
    let pages = 0;
    let total = -1;
    do {
      const q: string = `/api/v1/tickets?city=chicago&from=2019-11-01&to=2019-11-30&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await json(await s.api(q));
      total = page.total;
      for (const t of page.items) {
        seen.push(t.id);
        keys.push([t.event.startsAt, t.priceCents, t.id]);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(total).toBe(inCity);
    expect(seen).toHaveLength(inCity);
    expect(new Set(seen).size).toBe(inCity);
    expect(pages).toBe(Math.ceil(inCity / 7));
    // Within one event (one start time) the walk is by price, then id.
    for (let i = 1; i < keys.length; i++) {
      const [a, b] = [keys[i - 1]!, keys[i]!];
      if (a[0] === b[0]) expect(a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])).toBe(true);
    }
    await expectError(await s.api('/api/v1/tickets?city=chicago&cursor=garbage'), 400, 'VALIDATION_FAILED');
    const wrongShape = Buffer.from(JSON.stringify(['price', 1])).toString('base64url');
    await expectError(await s.api(`/api/v1/tickets?city=chicago&cursor=${wrongShape}`), 400, 'VALIDATION_FAILED');
  });

  it('posts a listing (existing or new seller, with seats) and refuses bad listings', async () => {
    const r = await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, sellerId: 2, section: 'ORCH', row: '08', seats: ['1', '2', '3'], priceCents: 4250 } });
    expect(r.status).toBe(201);
    const body = await json(r);
    expect(body.listing).toMatchObject({ eventId: 9001, row: '08', quantity: 3, priceCents: 4250, price: '42.50', source: 'api', seats: ['1', '2', '3'] });
    expect(body.tickets.map((t: { seat: string }) => t.seat)).toEqual(['1', '2', '3']);
    const n = await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, seller: { name: 'New Seller', email: 'new@seller.example' }, section: 'GA', row: 'GA', quantity: 2, priceCents: 1500 } });
    expect(n.status).toBe(201);
    expect((await json(n)).tickets).toHaveLength(2);
    const big = await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, sellerId: 2, section: 'LAWN', row: 'GA', quantity: 10000, priceCents: 2500 } });
    expect(big.status).toBe(201);
    expect((await json(big)).tickets).toHaveLength(10000);
    const before = (await count('SELECT count(*) FROM tickets'));
    await expectError(await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, sellerId: 2, section: 'A', row: '1', quantity: 1, priceCents: -1 } }), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, sellerId: 2, section: 'A', row: '1', quantity: 1, priceCents: 10.5 } }), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, section: 'A', row: '1', quantity: 1, priceCents: 100 } }), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 777777, sellerId: 2, section: 'A', row: '1', quantity: 1, priceCents: 100 } }), 404, 'NOT_FOUND');
    await expectError(await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, sellerId: 99, section: 'A', row: '1', quantity: 1, priceCents: 100 } }), 404, 'NOT_FOUND');
    expect((await count('SELECT count(*) FROM tickets'))).toBe(before);
  });

  it('finds the best ticket for each strategy, N together, and 404 when there is none', async () => {
    const ev = (await json(await s.api('/api/v1/events', { method: 'POST', json: { name: 'Best Test', venueId: 1, startsAt: '2027-03-01T19:00:00-06:00' } }))).id;
    const post = (section: string, row: string, priceCents: number, extra: object) =>
      s.api('/api/v1/tickets', { method: 'POST', json: { eventId: ev, sellerId: 1, section, row, priceCents, ...extra } });
    await post('101', '1', 25000, { quantity: 2 }); // closest
    await post('305', '20', 3000, { quantity: 1 }); // cheapest
    await post('205', '2', 6000, { quantity: 4 }); // value
    await post('110', '4', 9000, { seats: ['1', '2', '4', '5', '6'] }); // 3 together only in 4-6
    const best = async (q: string) => json(await s.api(`/api/v1/events/${ev}/tickets/best?${q}`));
    const cheapest = await best('strategy=cheapest');
    expect(cheapest).toMatchObject({ section: '305', row: '20', priceCents: 3000, price: '30.00' });
    expect(cheapest.reason).toContain('Lowest price');
    expect((await best('strategy=closest')).section).toBe('101');
    const value = await best('strategy=value');
    expect(value).toMatchObject({ section: '205', row: '2' });
    expect(value.score).toBeGreaterThan(0);
    expect(value.ticket.id).toBe(value.tickets[0].id);
    const four = await best('strategy=closest&quantity=3');
    expect(four.tickets.map((t: { seat: string }) => t.seat)).toEqual(['4', '5', '6']);
    expect((await best('quantity=4')).tickets).toHaveLength(4);
    await expectError(await s.api(`/api/v1/events/${ev}/tickets/best?quantity=6`), 404, 'NOT_FOUND');
    await expectError(await s.api(`/api/v1/events/${ev}/tickets/best?strategy=random`), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/events/123456/tickets/best'), 404, 'NOT_FOUND');
  });
});

describe('selling', () => {
  const freshTickets = async (n: number, priceCents = 5000) => {
    const r = await json(await s.api('/api/v1/tickets', { method: 'POST', json: { eventId: 9001, sellerId: 1, section: 'S', row: '1', quantity: n, priceCents } }));
    return r.tickets.map((t: { id: number }) => t.id) as number[];
  };

  it('marks a ticket sold with cash and change, records customer and referral; 409 on a second sale; 404 unknown', async () => {
    const [id] = await freshTickets(1, 4250);
    const r = await s.api(`/api/v1/tickets/${id}/sold`, {
      method: 'PUT',
      json: { customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, referral: 'google', payment: { tender: 'cash', tenderedCents: 5000 } },
    });
    expect(r.status).toBe(200);
    const { order } = await json(r);
    expect(order).toMatchObject({ ticketIds: [id], totalCents: 4250, changeDueCents: 750, tender: 'cash' });
    expect(order.code).toMatch(/^MQ-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect((await count(`SELECT count(*) FROM tickets WHERE id=? AND status='sold'`, id))).toBe(1);
    const detail = await json(await s.api(`/api/v1/orders/${order.code}`));
    expect(detail).toMatchObject({ referral: 'google', channel: 'api', customer: { name: 'Ada Lovelace' } });
    expect(detail.payments[0]).toEqual({ tender: 'cash', amountCents: 4250, tenderedCents: 5000, changeDueCents: 750 });
    expect(detail.lines[0]).toMatchObject({ ticketId: id, eventName: 'Springfield Jazz Night', row: '1' });
    const again = await expectError(await s.api(`/api/v1/tickets/${id}/sold`, { method: 'PUT' }), 409, 'TICKET_UNAVAILABLE');
    expect(again.details.ticketIds).toEqual([id]);
    await expectError(await s.api('/api/v1/tickets/987654321/sold', { method: 'PUT' }), 404, 'NOT_FOUND');
    await expectError(await s.api('/api/v1/orders/MQ-NOPE-NOPE'), 404, 'NOT_FOUND');
  });

  it('refuses short cash and changes nothing; comp is free; walk-ins need no name', async () => {
    const [a, b] = await freshTickets(2, 3000);
    await expectError(await s.api(`/api/v1/tickets/${a}/sold`, { method: 'PUT', json: { payment: { tender: 'cash', tenderedCents: 100 } } }), 400, 'VALIDATION_FAILED');
    expect((await count(`SELECT status FROM tickets WHERE id=?`, a))).toBe('available');
    const comp = await json(await s.api(`/api/v1/tickets/${b}/sold`, { method: 'PUT', json: { payment: { tender: 'comp' } } }));
    expect(comp.order).toMatchObject({ totalCents: 0, tender: 'comp', changeDueCents: null });
    const walkIn = await json(await s.api(`/api/v1/tickets/${a}/sold`, { method: 'PUT', json: {} }));
    expect(walkIn.order.totalCents).toBe(3000);
  });

  it('sells several tickets in one order, all or nothing', async () => {
    const ids = await freshTickets(3, 2000);
    const r = await s.api('/api/v1/orders', { method: 'POST', json: { ticketIds: ids.slice(0, 2), payment: { tender: 'card' } } });
    expect(r.status).toBe(201);
    expect((await json(r)).order).toMatchObject({ totalCents: 4000, ticketIds: ids.slice(0, 2) });
    const ordersBefore = (await count('SELECT count(*) FROM orders'));
    // ids[2] is still available but ids[0] is sold: the whole order must fail and ids[2] stay available.
    const fail = await expectError(await s.api('/api/v1/orders', { method: 'POST', json: { ticketIds: [ids[2], ids[0]] } }), 409, 'TICKET_UNAVAILABLE');
    expect(fail.details.ticketIds).toEqual([ids[0]]);
    expect((await count(`SELECT status FROM tickets WHERE id=?`, ids[2])) as unknown).toBe('available');
    expect((await count('SELECT count(*) FROM orders'))).toBe(ordersBefore);
    await expectError(await s.api('/api/v1/orders', { method: 'POST', json: { ticketIds: [ids[2], 99999999] } }), 404, 'NOT_FOUND');
    expect((await count(`SELECT status FROM tickets WHERE id=?`, ids[2])) as unknown).toBe('available');
    await expectError(await s.api('/api/v1/orders', { method: 'POST', json: { ticketIds: [ids[2], ids[2]] } }), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/orders', { method: 'POST', json: { ticketIds: [] } }), 400, 'VALIDATION_FAILED');
  });

  it('a repeated Idempotency-Key returns the first answer and sells nothing more', async () => {
    const [id] = await freshTickets(1);
    const send = (ticketIds: number[]) => s.api('/api/v1/orders', { method: 'POST', json: { ticketIds }, headers: { 'idempotency-key': 'kiosk-7-attempt-1' } });
    const first = await send([id!]);
    expect(first.status).toBe(201);
    const firstBody = await json(first);
    const ordersAfterFirst = (await count('SELECT count(*) FROM orders'));
    const second = await send([id!]);
    expect(second.status).toBe(201);
    expect(await json(second)).toEqual(firstBody);
    expect((await count('SELECT count(*) FROM orders'))).toBe(ordersAfterFirst);
    const [other] = await freshTickets(1);
    await expectError(await send([other!]), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect((await count(`SELECT status FROM tickets WHERE id=?`, other)) as unknown).toBe('available');
  });

  it('200 concurrent sell requests for 10 tickets: exactly 10 sold, 190 × 409', async () => {
    const ids = await freshTickets(10, 1000);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.api(`/api/v1/tickets/${ids[i % 10]}/sold`, { method: 'PUT', json: { payment: { tender: 'card' } } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(10);
    expect(statuses.filter((x) => x === 409)).toHaveLength(190);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    const placeholders = ids.map(() => '?').join(',');
    expect((await count(`SELECT count(*) FROM tickets WHERE status='sold' AND id IN (${placeholders})`, ...ids))).toBe(10);
    expect((await count(`SELECT count(*) FROM order_items WHERE voided_at IS NULL AND ticket_id IN (${placeholders})`, ...ids))).toBe(10);
  });

  it('lists recent orders and finds them by code or customer', async () => {
    const all = await json(await s.api('/api/v1/orders?limit=5'));
    expect(all.items.length).toBe(5);
    const ada = await json(await s.api('/api/v1/orders?q=lovelace'));
    expect(ada.items).toHaveLength(1);
    expect(ada.items[0].customerEmail).toBe('ada@example.com');
    const byCode = await json(await s.api(`/api/v1/orders?q=${ada.items[0].code.toLowerCase()}`));
    expect(byCode.items[0].code).toBe(ada.items[0].code);
  });
});

describe('imports', () => {
  it('imports the brief sampleTickets.csv exactly: 1,533 rows, 6,341 tickets, text rows kept', async () => {
    const csv = readFileSync(new URL('sampleTickets.csv', SHARED_DATA), 'utf8');
    const dry = await json(await s.api('/api/v1/imports?sellerId=3&dryRun=true', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }));
    expect(dry).toMatchObject({ batchId: null, rowsRead: 1533, rowsImported: 1533, ticketsCreated: 6341, rejected: [] });
    const r = await s.api('/api/v1/imports?sellerId=3', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(r.status).toBe(201);
    const rep = await json(r);
    expect(rep).toMatchObject({ rowsRead: 1533, rowsImported: 1533, ticketsCreated: 6341, rejected: [] });
    const perEvent = (await rows(s.store, `SELECT event_id, count(*) AS rows, sum(quantity) AS tickets FROM listings WHERE import_batch_id=? GROUP BY event_id ORDER BY event_id`, [rep.batchId]));
    expect(perEvent).toEqual([
      { event_id: 107, rows: 955, tickets: 3345 },
      { event_id: 162, rows: 27, tickets: 67 },
      { event_id: 164, rows: 551, tickets: 2929 },
    ]);
    const rowTexts = await column(s.store, `SELECT DISTINCT row FROM listings WHERE import_batch_id=?`, [rep.batchId]);
    expect(rowTexts).toEqual(expect.arrayContaining(['08', 'GA', 'P P', '11/12', 'SRO']));
    await expectError(await s.api('/api/v1/imports?sellerId=3', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }), 409, 'DUPLICATE_IMPORT');
  });

  it('reports rejected rows with their line numbers and imports the rest', async () => {
    const csv = 'eventId,section,quantity,price,row\n164,101,2,50.00,1\n999999,101,2,50.00,1\n164,,0,-3,\n164,"A,B",1,10.00,"P P"\n';
    const rep = await json(await s.api('/api/v1/imports?sellerId=2', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }));
    expect(rep.rowsRead).toBe(4);
    expect(rep.rowsImported).toBe(2);
    expect(rep.rejected.map((x: { line: number }) => x.line)).toEqual([3, 4]);
    expect(rep.rejected[0].errors).toEqual(['event 999999 does not exist']);
    expect(rep.rejected[1].errors).toHaveLength(4);
    await expectError(await s.api('/api/v1/imports?sellerId=2', { method: 'POST', json: { csv } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await s.api('/api/v1/imports?sellerId=2', { method: 'POST', body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } }), 400, 'VALIDATION_FAILED');
    await expectError(await s.api('/api/v1/imports?sellerId=abc', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }), 400, 'VALIDATION_FAILED');
  });
});
