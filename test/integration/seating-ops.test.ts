import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { operations } from '../../shared/operations/index.js';
import type { SeatChange } from '../../electron/core/store/contract/shapes.js';
import { holdClock } from '../../electron/core/store/contract/hold-clock.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { layoutChart } from '../../electron/core/services/chart-layout.js';
import { SeatingChartInput } from '../../shared/schemas/seating.js';
import { seatsFromColumns } from '../../shared/seat-columns.js';
import { DEMO_SEATED_EVENTS, seedSeatingDemo } from '../../electron/core/seed/seating-demo.js';
import { kioskCtx, memoryStore } from '../helpers.js';
import { exec, value } from '../support/db.js';
import { chartedEvent, gaEvent } from './seating-support.js';

const realNow = holdClock.now;
afterEach(() => {
  holdClock.now = realNow;
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('seating charts', () => {
  it('lay out rows × seats from a compact description, with zones, aisles and curved rows', () => {
    const layout = layoutChart(
      SeatingChartInput.parse({
        name: 'Cinema',
        sections: [{ name: 'Hall', rows: 'A-P', seats: '1-24', shape: 'curved', aisleAfter: [6, 18], rowZones: { 'A-C': 'front' }, accessibleRows: ['P'] }],
      }),
    );
    expect(layout.seats).toHaveLength(16 * 24);
    expect(layout.zones.sort()).toEqual(['front', 'standard']);
    const a1 = layout.seats.find((s) => s.row === 'A' && s.seat === '1')!;
    const a12 = layout.seats.find((s) => s.row === 'A' && s.seat === '12')!;
    expect(a1.zone).toBe('front');
    expect(a1.aisle).toBe(true);
    expect(layout.seats.find((s) => s.row === 'A' && s.seat === '7')!.aisle).toBe(true);
    expect(layout.seats.find((s) => s.row === 'A' && s.seat === '8')!.aisle).toBe(false);
    expect(a12.y).not.toBe(a1.y); // curved
    expect(layout.seats.filter((s) => s.accessible).every((s) => s.row === 'P')).toBe(true);
    for (const s of layout.seats) {
      expect(s.x).toBeGreaterThanOrEqual(0);
      expect(s.x).toBeLessThanOrEqual(layout.width);
      expect(s.y).toBeLessThanOrEqual(layout.height);
    }
  });

  it('refuse bad descriptions with a clear error and create nothing', async () => {
    const store = await memoryStore();
    const ctx = { store, channel: 'kiosk' as const, version: 't' };
    const err = await refusal(invoke(ctx, FULL_ACCESS, 'createSeatingChart', { name: 'X', sections: [{ name: 'S', rows: 'A-1', seats: 4 }] }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect((await invoke(ctx, FULL_ACCESS, 'listSeatingCharts', {})).items).toEqual([]);
    await store.close();
  });

  it('give a charted event one ticket per seat, priced by zone, and a seat map whose output matches its schema', async () => {
    const store = await memoryStore();
    const { ctx, eventId, map, seats } = await chartedEvent(store);
    expect(map.seats.count).toBe(18);
    expect(seats).toHaveLength(18);
    expect(operations.getSeatMap.output.safeParse(map).success).toBe(true);
    expect(seats.filter((s) => s.row === 'A').every((s) => s.priceCents === 5000)).toBe(true);
    expect(seats.filter((s) => s.row !== 'A').every((s) => s.priceCents === 3000 && s.zone === 'standard')).toBe(true);
    expect(map.currency).toBe('USD');
    expect(map.zones).toEqual(expect.arrayContaining([{ zone: 'front', priceCents: 5000 }, { zone: 'standard', priceCents: 3000 }]));
    const inv = await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId });
    expect(inv).toMatchObject({ capacity: 18, sold: 0, held: 0, reserved: 0, remaining: 18, revenueCents: 0 });
    await store.close();
  });
});

describe('seat holds', () => {
  it('hold for one terminal, refuse another, release by the holder only, and convert into a sale', async () => {
    const store = await memoryStore();
    const { ctx, eventId, ticketIds } = await chartedEvent(store);
    const [t1, t2] = ticketIds as [number, number];
    const held = await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t1], holder: 'term-a' });
    expect(held.holds[0]).toMatchObject({ ticketId: t1, holder: 'term-a' });

    const other = await refusal(invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t1], holder: 'term-b' }));
    expect(other.code).toBe('TICKET_UNAVAILABLE');
    expect(other.message).toMatch(/held at another terminal/);
    // All or nothing: t2 was free but the request failed, so it is not held.
    await refusal(invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t2, t1], holder: 'term-b' }));
    expect((await invoke(ctx, FULL_ACCESS, 'listHolds', { id: eventId })).items.map((h) => h.ticketId)).toEqual([t1]);

    expect((await refusal(invoke(ctx, FULL_ACCESS, 'releaseSeats', { id: eventId, ticketIds: [t1], holder: 'term-b' }))).code).toBe('CONFLICT');
    // Someone else cannot sell it; the holder can, and the hold becomes the order.
    expect((await refusal(invoke(ctx, FULL_ACCESS, 'sellTicket', { id: t1, holder: 'term-b' }))).code).toBe('TICKET_UNAVAILABLE');
    expect((await refusal(invoke(ctx, FULL_ACCESS, 'sellTicket', { id: t1 }))).code).toBe('TICKET_UNAVAILABLE');
    const sale = await invoke(ctx, FULL_ACCESS, 'createOrder', { ticketIds: [t1, t2], holder: 'term-a' });
    expect(sale.order.ticketIds).toEqual([t1, t2]);
    expect((await invoke(ctx, FULL_ACCESS, 'listHolds', { id: eventId })).items).toEqual([]);
    const sold = await refusal(invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t1], holder: 'term-b' }));
    expect(sold.message).toMatch(/already sold/);

    // Click, click: hold then release; releasing again is harmless.
    const t3 = ticketIds[2]!;
    await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t3], holder: 'term-b' });
    expect((await invoke(ctx, FULL_ACCESS, 'releaseSeats', { id: eventId, ticketIds: [t3], holder: 'term-b' })).released).toEqual([t3]);
    expect((await invoke(ctx, FULL_ACCESS, 'releaseSeats', { id: eventId, ticketIds: [t3], holder: 'term-b' })).released).toEqual([]);
    const inv = await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId });
    expect(inv).toMatchObject({ sold: 2, held: 0, remaining: 16, revenueCents: 8000 + 0 * 1 + (sale.order.totalCents - 8000) });
    await store.close();
  });

  it('send the stadium demo seat map (21,000 seats) as compact columns that decode to every seat', async () => {
    const store = await memoryStore();
    await exec(store, "INSERT INTO sellers (id, name, created_at) VALUES (1, 'Box office', ?)", ['2026-11-21T12:00:00Z']);
    await seedSeatingDemo(store, new Date('2026-11-21T12:00:00Z'));
    const ctx = kioskCtx(store);
    const stadium = (await invoke(ctx, FULL_ACCESS, 'listSeatedEvents', {})).items.find((e) => e.name === DEMO_SEATED_EVENTS.stadium)!;
    const map = await invoke(ctx, FULL_ACCESS, 'getSeatMap', { id: stadium.eventId });
    expect(map.seats.count).toBe(21000);
    expect(map.currency).toBe('USD');
    expect(map.seats.sections).toHaveLength(28);
    const seats = seatsFromColumns(map.seats);
    expect(new Set(seats.map((s) => s.ticketId)).size).toBe(21000);
    expect(seats.every((s) => s.status === 'available' && s.priceCents !== null && !s.heldByMe)).toBe(true);
    // About a megabyte; the same seats as one JSON object each were about 5 MB.
    expect(JSON.stringify(map).length / map.seats.count).toBeLessThan(60);
    await store.close();
  });

  it('expire: a lapsed hold shows available, never blocks a sale or a hold, and the sweeper publishes the release', async () => {
    const store = await memoryStore();
    const { ctx, eventId, ticketIds } = await chartedEvent(store);
    let now = Date.parse('2026-11-21T12:00:00Z');
    holdClock.now = () => now;
    const [t1, t2] = ticketIds as [number, number];
    await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t1, t2], holder: 'a', ttlSeconds: 60 });
    now += 61_000;
    const map = await invoke(ctx, FULL_ACCESS, 'getSeatMap', { id: eventId, holder: 'b' });
    expect(seatsFromColumns(map.seats).find((s) => s.ticketId === t1)!.status).toBe('available');
    expect((await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId })).held).toBe(0);
    await invoke(ctx, FULL_ACCESS, 'sellTicket', { id: t1 }); // no holder: a lapsed hold is no hold
    expect((await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t2], holder: 'b' })).holds[0]!.holder).toBe('b');
    now += 301_000;
    const changes: SeatChange[] = [];
    const stop = store.feed.subscribe((c) => changes.push(c), eventId);
    await new Promise((r) => setTimeout(r, 1300));
    stop();
    expect(changes).toContainEqual(expect.objectContaining({ eventId, ticketIds: [t2], status: 'available' }));
    expect(await value(store, 'SELECT status FROM tickets WHERE id = ?', [t2])).toBe('available');
    await store.close();
  });

  it('publish hold, release and sale to the change feed after commit', async () => {
    const store = await memoryStore();
    const { ctx, eventId, ticketIds } = await chartedEvent(store);
    const changes: SeatChange[] = [];
    const stop = store.feed.subscribe((c) => changes.push(c), eventId);
    const t = ticketIds[4]!;
    await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t], holder: 'x' });
    await invoke(ctx, FULL_ACCESS, 'releaseSeats', { id: eventId, ticketIds: [t], holder: 'x' });
    await invoke(ctx, FULL_ACCESS, 'sellTicket', { id: t });
    await refusal(invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [t], holder: 'x' }));
    // On PostgreSQL the changes come back through NOTIFY/LISTEN, after the calls have answered.
    await expect.poll(() => changes.length).toBeGreaterThanOrEqual(3);
    stop();
    expect(changes.map((c) => [c.status, c.ticketIds, c.holder])).toEqual([
      ['held', [t], 'x'],
      ['available', [t], null],
      ['sold', [t], null],
    ]);
    await store.close();
  });

  it('best seats together: same row, adjacent, avoiding a lone empty seat', async () => {
    const store = await memoryStore();
    const { ctx, eventId, seats } = await chartedEvent(store, { rows: 'A-B', seats: 6 });
    const id = (row: string, seat: string) => seats.find((s) => s.row === row && s.seat === seat)!.ticketId!;
    // Row A: seat 1 and 6 sold → free run 2..5; taking 3 would strand one seat, so 2 go in row A only as 2-3 or 4-5.
    await invoke(ctx, FULL_ACCESS, 'createOrder', { ticketIds: [id('A', '1'), id('A', '6')] });
    const best3 = await invoke(ctx, FULL_ACCESS, 'bestSeats', { id: eventId, quantity: 3 });
    expect(best3.row).toBe('B'); // row A would leave a single seat
    expect(best3.leavesSingleGap).toBe(false);
    const best2 = await invoke(ctx, FULL_ACCESS, 'bestSeats', { id: eventId, quantity: 2 });
    expect(best2.row).toBe('A');
    expect([['2', '3'], ['4', '5']]).toContainEqual(best2.seats);
    expect((await refusal(invoke(ctx, FULL_ACCESS, 'bestSeats', { id: eventId, quantity: 7 }))).code).toBe('NOT_FOUND');
    await store.close();
  });
});

describe('general admission', () => {
  it('reserves N only if N remain, cancels back into the quota, and counts add up', async () => {
    const store = await memoryStore();
    const { ctx, eventId } = await gaEvent(store, 10);
    const r1 = await invoke(ctx, FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 7, holder: 'web-1', customerName: 'Ada' });
    expect(r1.ticketIds).toHaveLength(7);
    const short = await refusal(invoke(ctx, FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 4 }));
    expect(short.code).toBe('TICKET_UNAVAILABLE');
    expect(short.details).toMatchObject({ remaining: 3 });
    expect(await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId })).toMatchObject({ capacity: 10, reserved: 7, remaining: 3 });
    // The reservation's holder sells from it; the reservation completes when its last ticket sells.
    await invoke(ctx, FULL_ACCESS, 'createOrder', { ticketIds: r1.ticketIds.slice(0, 2), holder: 'web-1' });
    expect(await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId })).toMatchObject({ sold: 2, reserved: 5, remaining: 3, revenueCents: 5000 });
    const cancelled = await invoke(ctx, FULL_ACCESS, 'cancelReservation', { id: r1.id, reason: 'changed plans' });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.ticketIds).toHaveLength(5);
    expect((await refusal(invoke(ctx, FULL_ACCESS, 'cancelReservation', { id: r1.id }))).code).toBe('CONFLICT');
    expect(await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId })).toMatchObject({ sold: 2, reserved: 0, remaining: 8 });
    const r2 = await invoke(ctx, FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 8, holder: 'web-2' });
    const order = await invoke(ctx, FULL_ACCESS, 'createOrder', { ticketIds: r2.ticketIds, holder: 'web-2' });
    expect((await invoke(ctx, FULL_ACCESS, 'listReservations', { id: eventId, status: 'completed' })).items.map((r) => r.id)).toEqual([r2.id]);
    expect((await refusal(invoke(ctx, FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 1 }))).code).toBe('TICKET_UNAVAILABLE');
    // Cancelling an order gives its tickets back to the quota.
    const c = await invoke(ctx, FULL_ACCESS, 'cancelOrder', { code: order.order.code, reason: 'duplicate booking' });
    expect(c.releasedTicketIds.sort()).toEqual([...r2.ticketIds].sort());
    expect((await refusal(invoke(ctx, FULL_ACCESS, 'cancelOrder', { code: order.order.code, reason: 'again' }))).code).toBe('CONFLICT');
    const detail = await invoke(ctx, FULL_ACCESS, 'getOrder', { code: order.order.code });
    expect(detail.status).toBe('cancelled');
    expect(await invoke(ctx, FULL_ACCESS, 'eventInventory', { id: eventId })).toMatchObject({ sold: 2, reserved: 0, held: 0, remaining: 8, revenueCents: 5000 });
    await store.close();
  });
});

describe('hold length', () => {
  it('defaults to five minutes, configurable with MARQUEE_HOLD_SECONDS within 5 s – 1 h', async () => {
    const { defaultHoldSeconds } = await import('../../electron/core/services/seating-handlers.js');
    expect(defaultHoldSeconds({})).toBe(300);
    expect(defaultHoldSeconds({ MARQUEE_HOLD_SECONDS: '90' })).toBe(90);
    expect(defaultHoldSeconds({ MARQUEE_HOLD_SECONDS: '2' })).toBe(300);
    expect(defaultHoldSeconds({ MARQUEE_HOLD_SECONDS: 'soon' })).toBe(300);
    const store = await memoryStore();
    const { ctx, eventId, ticketIds } = await chartedEvent(store);
    const now = Date.parse('2026-11-21T12:00:00Z');
    holdClock.now = () => now;
    const held = await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: [ticketIds[0]!] });
    expect(held.holder).toBe('kiosk'); // no holder given over IPC: the kiosk
    expect(held.holds[0]!.expiresAt).toBe(new Date(now + 300_000).toISOString());
    await store.close();
  });
});
