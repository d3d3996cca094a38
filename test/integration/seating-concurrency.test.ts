import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/core/store/sqlite/database.js';
import { freshPgStore, startServer, testEngine, type TestServer } from '../helpers.js';
import { value } from '../support/db.js';
import { chartedEvent, gaEvent } from './seating-support.js';

/**
 * Many HTTP clients fight for the same few seats at once: holds, sales with and without holds,
 * releases and GA reservations interleave freely. Whatever the order, a seat ends in at most one
 * live hold or one live order, and the quota is never exceeded.
 */
let server: TestServer;
let seatEvent: number;
let seatTickets: number[];
let ga: number;
const QUOTA = 40;

let dir: string;

beforeAll(async () => {
  // A file store: the reader is its own connection (WAL), as in the app, not the writer's.
  dir = mkdtempSync(join(tmpdir(), 'marquee-seating-'));
  const store = testEngine() === 'postgres' ? await freshPgStore('seating') : await openStore({ file: join(dir, 'marquee.db') });
  const seated = await chartedEvent(store, { rows: 'A-B', seats: 5 });
  seatEvent = seated.eventId;
  seatTickets = seated.ticketIds;
  ga = (await gaEvent(store, QUOTA)).eventId;
  server = await startServer(store);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, json: unknown) => server.api(path, { method: 'POST', json });

describe('many clients fighting for the same seats', () => {
  it('never hold or sell a seat twice', async () => {
    const clients = 40;
    const hot = seatTickets.slice(0, 4); // everyone wants these
    const results = await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const holder = `t${c}`;
        const wins: { held: number[]; sold: number[] } = { held: [], sold: [] };
        for (let round = 0; round < 3; round++) {
          const seat = hot[(c + round) % hot.length]!;
          const h = await post(`/api/v1/events/${seatEvent}/holds`, { ticketIds: [seat], holder, ttlSeconds: 60 });
          if (h.status === 201) {
            wins.held.push(seat);
            if ((c + round) % 2 === 0) {
              const s = await post('/api/v1/orders', { ticketIds: [seat], holder });
              expect(s.status).toBe(201);
              wins.sold.push(seat);
            } else {
              const r = await post(`/api/v1/events/${seatEvent}/holds/release`, { ticketIds: [seat], holder });
              expect(r.status).toBe(200);
            }
          } else {
            expect(h.status).toBe(409);
            const body = (await h.json()) as { error: { code: string; message: string } };
            expect(body.error.code).toBe('TICKET_UNAVAILABLE');
            expect(body.error.message).toMatch(/held at another terminal|already sold/);
            // Sneaking a sale past someone's hold (no holder) must fail too, unless the seat is free by now.
            const s = await post('/api/v1/orders', { ticketIds: [seat] });
            if (s.status === 201) wins.sold.push(seat);
            else expect(s.status).toBe(409);
          }
        }
        return wins;
      }),
    );
    const sold = results.flatMap((r) => r.sold);
    // Each hot seat sold at most once, across every client.
    expect(new Set(sold).size).toBe(sold.length);
    expect(sold.length).toBeGreaterThan(0);
    const db = server.store;
    for (const id of hot) {
      const lines = (await value(db, 'SELECT count(*) FROM order_items WHERE ticket_id = ? AND voided_at IS NULL', [id]));
      const holds = (await value(db, 'SELECT count(*) FROM seat_holds WHERE ticket_id = ?', [id]));
      const status = await value<string>(db, 'SELECT status FROM tickets WHERE id = ?', [id]);
      expect(lines + holds).toBeLessThanOrEqual(1);
      expect(status === 'sold').toBe(lines === 1);
      expect(sold.filter((s) => s === id).length).toBe(lines);
    }
  });

  it('never reserve past the quota', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 60 }, (_, c) => post(`/api/v1/events/${ga}/reservations`, { quantity: 1 + (c % 3), holder: `w${c}` }).then(async (res) => ({ status: res.status, body: (await res.json()) as { quantity?: number; ticketIds?: number[] } }))),
    );
    const granted = attempts.filter((a) => a.status === 201);
    for (const a of attempts) expect([201, 409]).toContain(a.status);
    const reserved = granted.reduce((n, a) => n + a.body.quantity!, 0);
    expect(reserved).toBeLessThanOrEqual(QUOTA);
    expect(reserved).toBeGreaterThan(QUOTA - 3); // it stopped only when fewer than the largest ask remained
    const ids = granted.flatMap((a) => a.body.ticketIds!);
    expect(new Set(ids).size).toBe(ids.length);
    const inv = (await (await server.api(`/api/v1/events/${ga}/inventory`)).json()) as { reserved: number; remaining: number; capacity: number; sold: number };
    expect(inv).toMatchObject({ capacity: QUOTA, reserved, remaining: QUOTA - reserved, sold: 0 });
  });
});

describe('live seat changes over Server-Sent Events', () => {
  it('stream holds and releases of the event to an authenticated client, and refuse anonymous ones', async () => {
    expect((await server.api(`/api/v1/events/${seatEvent}/live`, { noAuth: true })).status).toBe(401);
    expect((await server.api('/api/v1/events/999999/live')).status).toBe(404);
    const ac = new AbortController();
    const res = await server.api(`/api/v1/events/${seatEvent}/live`, { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await until(/event: ready/);
    const seat = seatTickets[seatTickets.length - 1]!;
    expect((await post(`/api/v1/events/${seatEvent}/holds`, { ticketIds: [seat], holder: 'sse-a' })).status).toBe(201);
    await until(/"status":"held"/);
    expect((await post(`/api/v1/events/${seatEvent}/holds/release`, { ticketIds: [seat], holder: 'sse-a' })).status).toBe(200);
    await until(/"status":"available"/);
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('event: seats'))
      .map((block) => JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { ticketIds: number[]; status: string; holder: string | null });
    expect(events.map((e) => [e.status, e.ticketIds, e.holder])).toEqual([
      ['held', [seat], 'sse-a'],
      ['available', [seat], null],
    ]);
    ac.abort();
  });
});
