import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';
import { eventWithTickets, seatedEvent } from './support/inventory.js';
import { startTerminals, stopTerminals, withDb, type ApiError, type Answer, type Terminal } from './support/terminals.js';

/**
 * Issue 15, many terminals and one inventory: four `marquee serve` processes on one PostgreSQL
 * database, each request going to one of them in turn, all at once. Whatever the interleaving, a
 * ticket is sold, reserved or held once, and the database (read directly, not through Marquee) holds
 * exactly what the terminals answered.
 */
const TERMINALS = 4;
let db: TestDatabase;
let terminals: Terminal[] = [];

beforeAll(async () => {
  db = await freshPostgresDatabase('mt_race');
  terminals = await startTerminals(db.url, TERMINALS);
}, 240_000);

afterAll(async () => {
  await stopTerminals(terminals);
  await db?.drop();
}, 60_000);

const at = (i: number) => terminals[i % terminals.length]!;
const code = (a: Answer) => (a.body as ApiError).error?.code;

interface Order {
  order: { id: number; code: string; ticketIds: number[] };
}

describe('four terminals on one PostgreSQL database', () => {
  it('400 concurrent sells of 50 tickets through all four: exactly 50 sold, 350 refused with 409, no ticket twice, one audit entry per sale', async () => {
    const { eventId, ticketIds } = await eventWithTickets(at(0), 50, 'On-sale rush');
    const answers = await Promise.all(Array.from({ length: 400 }, (_, i) => at(i).post(`/events/${eventId}/sales`, { quantity: 1, payment: { tender: 'card' } })));

    const sold = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(sold).toHaveLength(50);
    expect(refused).toHaveLength(350);
    for (const a of refused) expect(code(a)).toBe('TICKET_UNAVAILABLE');
    const soldIds = sold.flatMap((a) => (a.body as Order).order.ticketIds);
    expect(soldIds).toHaveLength(50);
    expect(new Set(soldIds).size).toBe(50);
    expect([...soldIds].sort((x, y) => x - y)).toEqual([...ticketIds].sort((x, y) => x - y));

    await withDb(db.url, async (c) => {
      const lines = await c.query<{ ticket_id: string; code: string }>(
        'SELECT oi.ticket_id, o.code FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN tickets t ON t.id = oi.ticket_id WHERE t.event_id = $1 AND oi.voided_at IS NULL',
        [eventId],
      );
      expect(lines.rowCount).toBe(50);
      expect(new Set(lines.rows.map((r) => r.ticket_id)).size).toBe(50);
      // Every answered order is the one in the database, ticket for ticket.
      const byCode = new Map(lines.rows.map((r) => [Number(r.ticket_id), r.code]));
      for (const a of sold) {
        const o = (a.body as Order).order;
        expect(byCode.get(o.ticketIds[0]!)).toBe(o.code);
      }
      const status = await c.query<{ n: string }>("SELECT count(*) AS n FROM tickets WHERE event_id = $1 AND status = 'sold'", [eventId]);
      expect(Number(status.rows[0]!.n)).toBe(50);
      const audits = await c.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE operation = 'sellAny'");
      expect(Number(audits.rows[0]!.n)).toBe(50);
    });
  });

  it('240 concurrent GA reservations of 1–3 tickets against a quota of 60, through all four: the quota is never exceeded, and fills exactly', async () => {
    const QUOTA = 60;
    const { eventId } = await eventWithTickets(at(1), QUOTA, 'GA quota');
    const answers = await Promise.all(Array.from({ length: 240 }, (_, i) => at(i).post(`/events/${eventId}/reservations`, { quantity: 1 + (i % 3), holder: `gate-${i}` })));

    // Reservations of one event take turns on its row, so on a loaded machine a terminal's pool can
    // stay busy past its wait: that is answered 429 (nothing reserved), never a 5xx.
    for (const a of answers) expect([201, 409, 429], JSON.stringify(a.body)).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 409)) expect(code(a)).toBe('TICKET_UNAVAILABLE');
    for (const a of answers.filter((x) => x.status === 429)) expect(code(a)).toBe('TOO_MANY_REQUESTS');
    const granted = answers.filter((a) => a.status === 201).map((a) => a.body as { id: number; quantity: number; ticketIds: number[] });
    const stormReserved = granted.reduce((n, g) => n + g.quantity, 0);
    const tally = (s: number) => answers.filter((a) => a.status === s).length;
    console.log(`[multi-terminal-race] GA storm: ${tally(201)} × 201 (${stormReserved} tickets), ${tally(409)} × 409, ${tally(429)} × 429`);
    expect(stormReserved).toBeLessThanOrEqual(QUOTA);
    expect(stormReserved).toBeGreaterThan(0);
    // Then one ticket at a time, terminal after terminal, until refused: the quota fills exactly.
    for (let i = 0; i < QUOTA; i++) {
      const a = await at(i).post(`/events/${eventId}/reservations`, { quantity: 1, holder: `top-up-${i}` });
      if (a.status === 409) break;
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      granted.push(a.body as { id: number; quantity: number; ticketIds: number[] });
    }
    const reserved = granted.reduce((n, g) => n + g.quantity, 0);
    expect(reserved).toBe(QUOTA);
    const ids = granted.flatMap((g) => g.ticketIds);
    expect(ids).toHaveLength(reserved);
    expect(new Set(ids).size).toBe(reserved);

    await withDb(db.url, async (c) => {
      const r = await c.query<{ n: string; q: string }>("SELECT count(*) AS n, coalesce(sum(quantity), 0) AS q FROM reservations WHERE event_id = $1 AND status = 'active'", [eventId]);
      expect(Number(r.rows[0]!.n)).toBe(granted.length);
      expect(Number(r.rows[0]!.q)).toBe(reserved);
      const holds = await c.query<{ ticket_id: string; reservation_id: string }>('SELECT ticket_id, reservation_id FROM seat_holds WHERE event_id = $1', [eventId]);
      expect(holds.rowCount).toBe(reserved);
      const ofReservation = new Map(holds.rows.map((h) => [Number(h.ticket_id), Number(h.reservation_id)]));
      for (const g of granted) for (const id of g.ticketIds) expect(ofReservation.get(id)).toBe(g.id);
      const held = await c.query<{ n: string }>("SELECT count(*) AS n FROM tickets WHERE event_id = $1 AND status = 'held'", [eventId]);
      expect(Number(held.rows[0]!.n)).toBe(reserved);
    });
    const inv = (await (await at(2).api(`/events/${eventId}/inventory`)).json()) as { capacity: number; reserved: number; remaining: number };
    expect(inv).toMatchObject({ capacity: QUOTA, reserved, remaining: QUOTA - reserved });
  });

  it('200 concurrent holds of overlapping seat pairs through all four: each seat held by at most one hold, and no other terminal can sell a held seat', async () => {
    const { eventId, ticketIds } = await seatedEvent(at(2), { rows: 'A-B', seats: 5, name: 'Seat fight' });
    expect(ticketIds).toHaveLength(10);
    const pairOf = (i: number): number[] => {
      const k = (i * 7) % 9;
      return [ticketIds[k]!, ticketIds[k + 1]!];
    };
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => at(i).post(`/events/${eventId}/holds`, { ticketIds: pairOf(i), holder: `till-${i}`, ttlSeconds: 600 })));

    for (const a of answers) expect([201, 409], JSON.stringify(a.body)).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 409)) expect(code(a)).toBe('TICKET_UNAVAILABLE');
    const winners = answers.flatMap((a, i) => (a.status === 201 ? [{ i, holder: `till-${i}`, seats: pairOf(i) }] : []));
    expect(winners.length).toBeGreaterThan(0);
    const heldSeats = winners.flatMap((w) => w.seats);
    expect(new Set(heldSeats).size).toBe(heldSeats.length);
    for (const w of winners) expect((answers[w.i]!.body as { holder: string }).holder).toBe(w.holder);

    await withDb(db.url, async (c) => {
      const holds = await c.query<{ ticket_id: string; holder: string }>('SELECT ticket_id, holder FROM seat_holds WHERE event_id = $1', [eventId]);
      expect(holds.rowCount).toBe(heldSeats.length);
      const holderOf = new Map(holds.rows.map((h) => [Number(h.ticket_id), h.holder]));
      for (const w of winners) for (const s of w.seats) expect(holderOf.get(s)).toBe(w.holder);
      const held = await c.query<{ n: string }>("SELECT count(*) AS n FROM tickets WHERE event_id = $1 AND status = 'held'", [eventId]);
      expect(Number(held.rows[0]!.n)).toBe(heldSeats.length);
    });

    // Selling a held seat without its holder is refused at every terminal; its holder sells it at any terminal.
    const sneaks = await Promise.all(heldSeats.map((s, i) => at(i + 1).post('/orders', { ticketIds: [s] })));
    for (const a of sneaks) {
      expect(a.status).toBe(409);
      expect(code(a)).toBe('TICKET_UNAVAILABLE');
    }
    const conversions = await Promise.all(winners.map((w, k) => at(w.i + 1 + k).post('/orders', { ticketIds: w.seats, holder: w.holder })));
    for (const a of conversions) expect(a.status).toBe(201);
    await withDb(db.url, async (c) => {
      const sold = await c.query<{ ticket_id: string }>(
        'SELECT oi.ticket_id FROM order_items oi JOIN tickets t ON t.id = oi.ticket_id WHERE t.event_id = $1 AND oi.voided_at IS NULL',
        [eventId],
      );
      expect(sold.rows.map((r) => Number(r.ticket_id)).sort((x, y) => x - y)).toEqual([...heldSeats].sort((x, y) => x - y));
      expect((await c.query('SELECT 1 FROM seat_holds WHERE event_id = $1', [eventId])).rowCount).toBe(0);
    });
  });
});
