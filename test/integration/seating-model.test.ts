import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { seatsFromColumns } from '../../shared/seat-columns.js';
import { holdClock } from '../../electron/core/store/contract/hold-clock.js';
import type { OpContext } from '../../electron/core/services/context.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { memoryStore, testEngine } from '../helpers.js';
import { chartedEvent, gaEvent } from './seating-support.js';
import { column, value } from '../support/db.js';

/**
 * Model-based test: random sequences of holds, releases, sales, reservations, cancellations, sweeps
 * and clock jumps run against the real operations and against a model of a few lines; after every
 * step the store must agree with the model and with the invariants (no seat in two live holds or
 * orders, quota never exceeded, counts add up, lapsed holds never count).
 */
const SEATS = 6;
const QUOTA = 5;
const HOLDERS = ['a', 'b', 'c'] as const;
type Holder = (typeof HOLDERS)[number];

type Seat = { s: 'available' } | { s: 'held'; holder: Holder; expires: number } | { s: 'sold' };
interface Model {
  now: number;
  seats: Seat[];
  /** GA tickets by id: available, in reservation k (index into reservations), or sold. */
  ga: Map<number, 'available' | 'sold' | number>;
  reservations: { holder: Holder; quantity: number; status: 'active' | 'cancelled' | 'completed'; realId: number; ticketIds: number[] }[];
  orders: { code: string; seatIdx: number[]; gaTickets: number[]; cancelled: boolean }[];
}
interface Real {
  store: Store;
  ctx: OpContext;
  seatEvent: number;
  seatTickets: number[];
  gaEvent: number;
}

const effective = (m: Model, i: number): Seat => {
  const seat = m.seats[i]!;
  return seat.s === 'held' && seat.expires <= m.now ? { s: 'available' } : seat;
};

async function outcome<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { ok: false, code: err.code };
  }
}

async function checkInvariants(m: Model, r: Real): Promise<void> {
  const map = await invoke(r.ctx, FULL_ACCESS, 'getSeatMap', { id: r.seatEvent, holder: 'a' });
  seatsFromColumns(map.seats).forEach((seat, i) => {
    const want = effective(m, i);
    expect(seat.status, `seat ${i}`).toBe(want.s);
    expect(seat.heldByMe, `seat ${i} held by a`).toBe(want.s === 'held' && want.holder === 'a');
  });
  const db = r.store;
  // Never two live orders on one ticket, and sold ⇔ in exactly one live order line of a completed order.
  expect((await value(db, 'SELECT count(*) FROM (SELECT ticket_id FROM order_items WHERE voided_at IS NULL GROUP BY ticket_id HAVING count(*) > 1) AS twice'))).toBe(0);
  expect(
    (await value(db, `SELECT count(*) FROM tickets t WHERE (t.status = 'sold') <> EXISTS (SELECT 1 FROM order_items oi JOIN orders o ON o.id = oi.order_id
          WHERE oi.ticket_id = t.id AND oi.voided_at IS NULL AND o.status = 'completed')`)),
  ).toBe(0);
  // Held ⇔ one seat_holds row (the primary key makes two impossible).
  expect((await value(db, "SELECT count(*) FROM tickets t WHERE (t.status = 'held') <> EXISTS (SELECT 1 FROM seat_holds h WHERE h.ticket_id = t.id)"))).toBe(0);
  const ga = await invoke(r.ctx, FULL_ACCESS, 'eventInventory', { id: r.gaEvent });
  const gaStates = [...m.ga.values()];
  const reserved = gaStates.filter((v) => typeof v === 'number').length;
  const gaSold = gaStates.filter((v) => v === 'sold').length;
  expect(ga).toMatchObject({ capacity: QUOTA, sold: gaSold, reserved, held: 0, remaining: QUOTA - gaSold - reserved });
  const statuses = (await invoke(r.ctx, FULL_ACCESS, 'listReservations', { id: r.gaEvent })).items.map((x) => x.status);
  expect(statuses).toEqual(m.reservations.map((x) => x.status));
  expect(ga.sold + ga.reserved + ga.remaining).toBe(ga.capacity);
  const seats = await invoke(r.ctx, FULL_ACCESS, 'eventInventory', { id: r.seatEvent });
  const count = (s: Seat['s']) => m.seats.filter((_, i) => effective(m, i).s === s).length;
  expect(seats).toMatchObject({ capacity: SEATS, sold: count('sold'), held: count('held'), remaining: count('available') });
}

type Cmd = fc.AsyncCommand<Model, Real>;
const always = () => true;

class Hold implements Cmd {
  constructor(readonly i: number, readonly holder: Holder, readonly ttl: number) {}
  check = always;
  async run(m: Model, r: Real) {
    const seat = effective(m, this.i);
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'holdSeats', { id: r.seatEvent, ticketIds: [r.seatTickets[this.i]!], holder: this.holder, ttlSeconds: this.ttl }));
    const allowed = seat.s === 'available' || (seat.s === 'held' && seat.holder === this.holder);
    expect(res.ok, `hold ${this.i} by ${this.holder} when ${JSON.stringify(seat)}`).toBe(allowed);
    if (!res.ok) expect(res.code).toBe('TICKET_UNAVAILABLE');
    if (allowed) m.seats[this.i] = { s: 'held', holder: this.holder, expires: m.now + this.ttl * 1000 };
    await checkInvariants(m, r);
  }
  toString = () => `hold(${this.i}, ${this.holder}, ${this.ttl}s)`;
}

class Release implements Cmd {
  constructor(readonly i: number, readonly holder: Holder) {}
  check = always;
  async run(m: Model, r: Real) {
    const raw = m.seats[this.i]!;
    const seat = effective(m, this.i);
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'releaseSeats', { id: r.seatEvent, ticketIds: [r.seatTickets[this.i]!], holder: this.holder }));
    if (seat.s === 'held' && seat.holder !== this.holder) {
      expect(res).toEqual({ ok: false, code: 'CONFLICT' });
    } else {
      expect(res.ok).toBe(true);
      // Own hold (live or lapsed) is released; anything else is a no-op.
      if (raw.s === 'held' && raw.holder === this.holder) m.seats[this.i] = { s: 'available' };
    }
    await checkInvariants(m, r);
  }
  toString = () => `release(${this.i}, ${this.holder})`;
}

class SellSeats implements Cmd {
  constructor(readonly idx: number[], readonly holder: Holder | undefined) {}
  check = always;
  async run(m: Model, r: Real) {
    const idx = [...new Set(this.idx)];
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'createOrder', { ticketIds: idx.map((i) => r.seatTickets[i]!), ...(this.holder ? { holder: this.holder } : {}) }));
    const allowed = idx.every((i) => {
      const s = effective(m, i);
      return s.s === 'available' || (s.s === 'held' && s.holder === this.holder);
    });
    expect(res.ok, `sell ${idx.join(',')} by ${this.holder}`).toBe(allowed);
    if (res.ok) {
      for (const i of idx) m.seats[i] = { s: 'sold' };
      m.orders.push({ code: res.value.order.code, seatIdx: idx, gaTickets: [], cancelled: false });
    } else expect(res.code).toBe('TICKET_UNAVAILABLE');
    await checkInvariants(m, r);
  }
  toString = () => `sell([${this.idx.join(',')}], ${this.holder ?? 'no holder'})`;
}

class Reserve implements Cmd {
  constructor(readonly n: number, readonly holder: Holder) {}
  check = always;
  async run(m: Model, r: Real) {
    const free = [...m.ga].filter(([, v]) => v === 'available').map(([id]) => id);
    const used = QUOTA - free.length;
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'reserveTickets', { id: r.gaEvent, quantity: this.n, holder: this.holder }));
    expect(res.ok, `reserve ${this.n} with ${used}/${QUOTA} used`).toBe(used + this.n <= QUOTA);
    if (res.ok) {
      expect([...res.value.ticketIds].sort((a, b) => a - b)).toEqual(free.slice(0, this.n)); // cheapest, then lowest id
      for (const id of res.value.ticketIds) m.ga.set(id, m.reservations.length);
      m.reservations.push({ holder: this.holder, quantity: this.n, status: 'active', realId: res.value.id, ticketIds: res.value.ticketIds });
    } else expect(res.code).toBe('TICKET_UNAVAILABLE');
    await checkInvariants(m, r);
  }
  toString = () => `reserve(${this.n}, ${this.holder})`;
}

class CancelReservation implements Cmd {
  constructor(readonly k: number) {}
  check = (m: Readonly<Model>) => m.reservations.length > 0;
  async run(m: Model, r: Real) {
    const x = m.reservations[this.k % m.reservations.length]!;
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'cancelReservation', { id: x.realId }));
    expect(res.ok).toBe(x.status === 'active');
    if (res.ok) {
      x.status = 'cancelled';
      for (const [id, v] of m.ga) if (v === this.k % m.reservations.length) m.ga.set(id, 'available');
    } else expect(res.code).toBe('CONFLICT');
    await checkInvariants(m, r);
  }
  toString = () => `cancelReservation(#${this.k})`;
}

class SellReservation implements Cmd {
  constructor(readonly k: number, readonly asHolder: boolean) {}
  check = (m: Readonly<Model>) => m.reservations.length > 0;
  async run(m: Model, r: Real) {
    const x = m.reservations[this.k % m.reservations.length]!;
    const holder = this.asHolder ? x.holder : HOLDERS.find((h) => h !== x.holder)!;
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'createOrder', { ticketIds: x.ticketIds, holder }));
    // Each ticket must be free, or reserved by a reservation of this holder (maybe a later one, after a cancel).
    const allowed = x.ticketIds.every((id) => {
      const v = m.ga.get(id)!;
      return v === 'available' || (typeof v === 'number' && m.reservations[v]!.holder === holder);
    });
    expect(res.ok).toBe(allowed);
    if (res.ok) {
      for (const id of x.ticketIds) m.ga.set(id, 'sold');
      m.reservations.forEach((rv, k) => {
        if (rv.status === 'active' && ![...m.ga.values()].includes(k)) rv.status = 'completed';
      });
      m.orders.push({ code: res.value.order.code, seatIdx: [], gaTickets: x.ticketIds, cancelled: false });
    } else expect(res.code).toBe('TICKET_UNAVAILABLE');
    await checkInvariants(m, r);
  }
  toString = () => `sellReservation(#${this.k}, ${this.asHolder ? 'holder' : 'someone else'})`;
}

class CancelOrder implements Cmd {
  constructor(readonly k: number) {}
  check = (m: Readonly<Model>) => m.orders.length > 0;
  async run(m: Model, r: Real) {
    const o = m.orders[this.k % m.orders.length]!;
    const res = await outcome(invoke(r.ctx, FULL_ACCESS, 'cancelOrder', { code: o.code, reason: 'model test' }));
    expect(res.ok).toBe(!o.cancelled);
    if (res.ok) {
      o.cancelled = true;
      for (const i of o.seatIdx) m.seats[i] = { s: 'available' };
      for (const id of o.gaTickets) m.ga.set(id, 'available');
    }
    await checkInvariants(m, r);
  }
  toString = () => `cancelOrder(#${this.k})`;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = always;
  async run(m: Model, r: Real) {
    m.now += this.ms;
    await checkInvariants(m, r);
  }
  toString = () => `advance(${this.ms / 1000}s)`;
}

class Sweep implements Cmd {
  check = always;
  async run(m: Model, r: Real) {
    await r.store.task('sweepHolds', { now: new Date(m.now).toISOString() });
    m.seats = m.seats.map((_, i) => effective(m, i));
    await checkInvariants(m, r);
  }
  toString = () => 'sweep';
}

const seat = fc.nat({ max: SEATS - 1 });
const holder = fc.constantFrom(...HOLDERS);
const commands = fc.commands(
  [
    fc.tuple(seat, holder, fc.constantFrom(10, 60, 300)).map(([i, h, t]) => new Hold(i, h, t)),
    fc.tuple(seat, holder).map(([i, h]) => new Release(i, h)),
    fc.tuple(fc.array(seat, { minLength: 1, maxLength: 3 }), fc.option(holder, { nil: undefined })).map(([ids, h]) => new SellSeats(ids, h)),
    fc.tuple(fc.integer({ min: 1, max: 4 }), holder).map(([n, h]) => new Reserve(n, h)),
    fc.nat(20).map((k) => new CancelReservation(k)),
    fc.tuple(fc.nat(20), fc.boolean()).map(([k, b]) => new SellReservation(k, b)),
    fc.nat(20).map((k) => new CancelOrder(k)),
    fc.constantFrom(5_000, 30_000, 90_000).map((ms) => new Advance(ms)),
    fc.constant(new Sweep()),
  ],
  { maxCommands: 25 },
);

const realNow = holdClock.now;
afterEach(() => {
  holdClock.now = realNow;
});

// A fresh SQLite store costs nothing; a fresh PostgreSQL database costs a CREATE DATABASE and every
// migration, which made 150 runs outlast the timeout on a loaded CI machine. On PostgreSQL the runs
// share one store: each run sells on its own new events, and the invariants checked across all
// tickets must hold with earlier runs' orders, holds and reservations left in place too.
let shared: Store | undefined;
const storeForRun = async (): Promise<Store> => (testEngine() === 'postgres' ? (shared ??= await memoryStore()) : memoryStore());
afterAll(async () => {
  await shared?.close();
});

describe('holds, reservations, sales and cancellations against a model', () => {
  it('agree with the model and keep every invariant under any sequence', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const store = await storeForRun();
        try {
          const seated = await chartedEvent(store, { rows: 'A', seats: SEATS });
          const ga = await gaEvent(store, QUOTA);
          const model: Model = { now: Date.parse('2026-11-21T12:00:00Z'), seats: Array.from({ length: SEATS }, () => ({ s: 'available' }) as Seat), ga: new Map(), reservations: [], orders: [] };
          const gaIds = (await column(store, 'SELECT id FROM tickets WHERE event_id = ? ORDER BY id', [ga.eventId])) as number[];
          for (const id of gaIds) model.ga.set(id, 'available');
          holdClock.now = () => model.now;
          const real: Real = { store, ctx: seated.ctx, seatEvent: seated.eventId, seatTickets: seated.ticketIds, gaEvent: ga.eventId };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        } finally {
          if (store !== shared) await store.close();
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
