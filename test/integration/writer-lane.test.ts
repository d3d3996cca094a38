import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { attachWriterLane } from '../../electron/core/store/sqlite/lane.js';
import { openStore, type SqliteStore as Store } from '../../electron/core/store/sqlite/database.js';
import type { CommitInfo } from '../../electron/core/store/sqlite/group-commit.js';
import type { WriterLane } from '../../electron/core/store/sqlite/writer-lane.js';
import { buildServer } from '../../electron/core/http/server.js';
import { kioskCtx, TEST_TOKEN } from '../helpers.js';

// The writer lane: sells, holds and reservations run on a worker thread with its own writer
// connection, group-committed there, while the calling thread keeps serving.
let dir: string;
let store: Store;
let lane: WriterLane;
let eventId: number;
let sellerId: number;
const ctx = () => kioskCtx(store);
const count = (q: string, ...args: unknown[]) => store.readerRaw.prepare(q).pluck().get(...args) as number;
const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? (r.reason instanceof AppError ? r.reason.code : String(r.reason)) : 'ok');

async function listing(quantity: number, priceCents = 1500) {
  const r = await invoke(ctx(), FULL_ACCESS, 'postListing', { eventId, sellerId, section: 'L', row: '1', quantity, priceCents });
  return r.tickets.map((t) => t.id);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-lane-'));
  store = await openStore({ file: join(dir, 'marquee.sqlite') });
  const v = await invoke(ctx(), FULL_ACCESS, 'createVenue', { name: 'Lane Hall', city: 'Denver', country: 'US', timezone: 'America/Denver' });
  eventId = (await invoke(ctx(), FULL_ACCESS, 'createEvent', { name: 'Lane Night', venueId: v.id, startsAt: '2027-05-01T20:00:00-06:00' })).id;
  sellerId = (await invoke(ctx(), FULL_ACCESS, 'postListing', { eventId, seller: { name: 'Lane Seller' }, section: 'L', row: '0', quantity: 1, priceCents: 100 })).listing.sellerId;
  lane = await attachWriterLane(store);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('writer lane', () => {
  it('sells on the lane: 300 concurrent sells of 100 tickets give exactly 100 orders, each with its audit entry, every commit FULL', async () => {
    expect(store.lane).toBe(lane);
    const ids = await listing(100);
    const commits: CommitInfo[] = [];
    store.onCommit = (info) => commits.push(info);
    const before = await lane.stats();
    const auditBefore = count("SELECT count(*) FROM audit_log WHERE operation = 'sellTicket'");
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: ids[i % 100]! })));
    store.onCommit = null;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
    expect(results.filter((r) => codeOf(r) === 'TICKET_UNAVAILABLE')).toHaveLength(200);
    const marks = ids.map(() => '?').join(',');
    expect(count(`SELECT count(*) FROM tickets WHERE status = 'sold' AND id IN (${marks})`, ...ids)).toBe(100);
    expect(count(`SELECT count(*) FROM order_items WHERE ticket_id IN (${marks})`, ...ids)).toBe(100);
    // the lane did the writing: its counters moved by every item, the store's own group by none
    const after = await lane.stats();
    expect(after.items - before.items).toBe(300);
    expect(store.group.stats.items).toBe(0);
    // one audit entry per successful sale, naming its order
    expect(count("SELECT count(*) FROM audit_log WHERE operation = 'sellTicket'") - auditBefore).toBe(100);
    const codes = results.flatMap((r) => (r.status === 'fulfilled' ? [(r.value as { order: { code: string } }).order.code] : []));
    expect(count(`SELECT count(*) FROM audit_log WHERE subject IN (${codes.map(() => '?').join(',')})`, ...codes.map((c) => `order:${c}`))).toBe(100);
    // commits reached the observer, each under synchronous=FULL, covering every item
    expect(commits.length).toBe(after.groups - before.groups);
    expect(commits.reduce((n, c) => n + c.items, 0)).toBe(300);
    expect(new Set(commits.map((c) => c.synchronous))).toEqual(new Set([2]));
  });

  it('over HTTP: 200 concurrent PUT /tickets/:id/sold for 20 tickets give 20 × 200 and 180 × 409, with the error shape', async () => {
    const ids = await listing(20);
    const { app } = buildServer({ ctx: { store, version: 'test' }, token: TEST_TOKEN });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const answers = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const res = await fetch(`${base}/api/v1/tickets/${ids[i % 20]}/sold`, { method: 'PUT', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
          return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
        }),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
      const refused = answers.filter((a) => a.status === 409);
      expect(refused).toHaveLength(180);
      expect(new Set(refused.map((a) => a.body.error?.code))).toEqual(new Set(['TICKET_UNAVAILABLE']));
      const marks = ids.map(() => '?').join(',');
      expect(count(`SELECT count(*) FROM order_items WHERE ticket_id IN (${marks})`, ...ids)).toBe(20);
    } finally {
      await app.close();
    }
  });

  it('errors cross the thread as the same errors: not found, unavailable, validation; a failing order leaves no trace', async () => {
    const [a, b] = await listing(2);
    await invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: b! });
    const orders = count('SELECT count(*) FROM orders');
    const replays = (await lane.stats()).replays;
    const [missing, mixed, short] = await Promise.allSettled([
      invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: 99_999_999 }),
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!, b!] }),
      invoke(ctx(), FULL_ACCESS, 'createOrder', { ticketIds: [a!], payment: { tender: 'cash', tenderedCents: 1 } }),
    ]);
    expect([codeOf(missing!), codeOf(mixed!), codeOf(short!)]).toEqual(['NOT_FOUND', 'TICKET_UNAVAILABLE', 'VALIDATION_FAILED']);
    expect(((mixed as PromiseRejectedResult).reason as AppError).details).toEqual({ ticketIds: [b] });
    expect(count('SELECT count(*) FROM orders')).toBe(orders);
    expect(count('SELECT status FROM tickets WHERE id = ?', a)).toBe('available');
    // the short cash sale failed after flipping its ticket: the lane ran that group again with a savepoint per sale
    expect((await lane.stats()).replays).toBeGreaterThan(replays);
  });

  it('sellAny, holds, releases, reservations and their cancellation run on the lane', async () => {
    const ids = await listing(4, 900);
    const before = await lane.stats();
    const held = await invoke(ctx(), FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [ids[0]!], holder: 'kiosk-1' });
    expect(held.holds.map((h) => h.ticketId)).toEqual([ids[0]]);
    await expect(invoke(ctx(), FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [ids[0]!], holder: 'kiosk-2' })).rejects.toMatchObject({ code: 'TICKET_UNAVAILABLE' });
    expect((await invoke(ctx(), FULL_ACCESS, 'releaseSeats', { id: eventId, ticketIds: [ids[0]!], holder: 'kiosk-1' })).released).toEqual([ids[0]]);
    const any = await invoke(ctx(), FULL_ACCESS, 'sellAny', { id: eventId });
    expect(any.order.ticketIds).toHaveLength(1);
    const r = await invoke(ctx(), FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 2, holder: 'kiosk-3' });
    expect(r.ticketIds).toHaveLength(2);
    const cancelled = await invoke(ctx(), FULL_ACCESS, 'cancelReservation', { id: r.id });
    expect(cancelled.status).toBe('cancelled');
    expect((await lane.stats()).items - before.items).toBe(6);
  });

  it('when the lane thread dies, waiting writes are refused (never acknowledged) and later ones run on the store again', async () => {
    const ids = await listing(3);
    const dying = await attachWriterLane(store);
    const inFlight = invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: ids[0]! });
    await (dying as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const outcome = await inFlight.then(
      () => 'sold',
      (err: unknown) => (err instanceof AppError ? err.code : String(err)),
    );
    // Either the sale committed before the thread went (then it is in the database) or it was refused.
    const sold = count('SELECT count(*) FROM order_items WHERE ticket_id = ?', ids[0]);
    expect(outcome === 'sold' ? sold : 1 - sold).toBe(1);
    expect(store.lane).toBeNull();
    const after = await invoke(ctx(), FULL_ACCESS, 'sellTicket', { id: ids[1]! });
    expect(after.order.ticketIds).toEqual([ids[1]]);
    lane = await attachWriterLane(store);
  });

  it('close lets submitted writes finish first', async () => {
    const ids = await listing(5);
    const sales = ids.map((id) => invoke(ctx(), FULL_ACCESS, 'sellTicket', { id }));
    const s = store;
    await s.close();
    const settled = await Promise.allSettled(sales);
    expect(settled.map((r) => r.status)).toEqual(ids.map(() => 'fulfilled'));
    store = await openStore({ file: join(dir, 'marquee.sqlite') });
    const marks = ids.map(() => '?').join(',');
    expect(count(`SELECT count(*) FROM order_items WHERE ticket_id IN (${marks})`, ...ids)).toBe(5);
  });
});
