// Child process of the crash-consistency proof (test/proof/crash-consistency.test.ts): a mixed box-office
// workload on a data dir, through the operations as the app runs them (invoke, the data dir's store with
// the writer lane on, so sells, holds and reservations are group-committed on its thread). The parent
// SIGKILLs this process at a random moment and then checks the file against what was acknowledged.
//
//   run DATA SEED RUN    opens the store (a new file's migrations, import recovery), makes the venue and
//                        events if they are not there yet, prints {"ready":true}, then runs
//                        until killed, printing one line per write:
//     {"ack":…}  the operation resolved: the write must be in the file after the kill
//     {"try":…}  printed before an operation that undoes an earlier acknowledged write (a refund, a
//                release, a cancellation, a sale of held seats): its outcome is unknown if no ack follows
//
// stdout is a pipe: on Linux a write to it is synchronous, so once say() returns the line is the
// parent's even if this process dies on the next instruction.
//
// No top-level await: the test bundles this file (with the writer lane's worker) into CommonJS with
// esbuild once, so each of the 50 runs starts in a fraction of the time tsx needs.
import SQLite from 'better-sqlite3';
import { openDataDir } from '../../../electron/core/boot.js';
import { FULL_ACCESS, invoke } from '../../../electron/core/services/dispatch.js';
import type { OpContext } from '../../../electron/core/services/context.js';
import type { Store } from '../../../electron/core/store/contract/store.js';
import { AppError } from '../../../shared/errors.js';

const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Refusals a real box office sees when two terminals go for the same thing; anything else is a bug. */
const EXPECTED = new Set(['TICKET_UNAVAILABLE', 'CONFLICT', 'NOT_FOUND']);

/**
 * The venue, a GA event with 3000 tickets and a charted event (26 rows of 60), made on the first run
 * and found on the next ones. Each piece is looked for before it is made: the first runs are killed
 * while they open a new file (migrations) and while they make these.
 */
async function ensureWorld(store: Store, ctx: OpContext): Promise<{ gaEventId: number; chartedEventId: number }> {
  const r = store.reader;
  const venueId =
    (await r.selectFrom('venues').select('id').where('name', '=', 'Crash Hall').executeTakeFirst())?.id ??
    (await invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Crash Hall', city: 'Denver', country: 'US', timezone: 'America/Denver' })).id;
  const event = async (name: string, startsAt: string) =>
    (await r.selectFrom('events').select('id').where('name', '=', name).executeTakeFirst())?.id ?? (await invoke(ctx, FULL_ACCESS, 'createEvent', { name, venueId, startsAt })).id;
  const gaEventId = await event('Crash GA', '2027-05-01T20:00:00-06:00');
  const gaListing = await r.selectFrom('listings').select('seller_id').where('event_id', '=', gaEventId).where('section', '=', 'GA').executeTakeFirst();
  const sellerId =
    gaListing?.seller_id ??
    (await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: gaEventId, seller: { name: 'Crash Seller' }, section: 'GA', row: '1', quantity: 3000, priceCents: 2500 })).listing.sellerId;
  const chartedEventId = await event('Crash Seats', '2027-05-02T20:00:00-06:00');
  if (!(await r.selectFrom('tickets').select('id').where('event_id', '=', chartedEventId).executeTakeFirst())) {
    const chartId =
      (await r.selectFrom('seating_charts').select('id').where('name', '=', 'Crash chart').executeTakeFirst())?.id ??
      (await invoke(ctx, FULL_ACCESS, 'createSeatingChart', { name: 'Crash chart', venueId, sections: [{ name: 'Main', rows: 'A-Z', seats: 60 }] })).id;
    await invoke(ctx, FULL_ACCESS, 'assignSeatingChart', { id: chartedEventId, chartId, prices: { standard: 4000 }, sellerId });
  }
  return { gaEventId, chartedEventId };
}

/**
 * CRASH_KILL_AT_DDL=N: the process SIGKILLs itself as it prepares its Nth schema statement (CREATE,
 * ALTER, DROP), i.e. inside a migration of a new file, after N-1 of them ran: a kill at an exact
 * point that a timer would hit only by luck. CRASH_COUNT_DDL=1 prints how many there are.
 */
function killAtSchemaStatement(target: number, count: boolean) {
  const prepare = SQLite.prototype.prepare;
  let n = 0;
  SQLite.prototype.prepare = function (this: SQLite.Database, source: string) {
    if (/^\s*(CREATE|ALTER|DROP)\b/i.test(source)) {
      n++;
      if (n === target) process.kill(process.pid, 'SIGKILL');
    }
    return prepare.call(this, source);
  } as typeof prepare;
  return () => (count ? process.stderr.write(`schema statements: ${n}\n`) : undefined);
}

async function run(dataDir: string, seed: number, runNo: number) {
  const killAt = Number(process.env.CRASH_KILL_AT_DDL ?? 0);
  const counted = killAt > 0 || process.env.CRASH_COUNT_DDL ? killAtSchemaStatement(killAt, Boolean(process.env.CRASH_COUNT_DDL)) : () => undefined;
  const { store } = await openDataDir(dataDir, { empty: true, writerLane: true });
  const ctx: OpContext = { store, channel: 'kiosk', version: 'crash' };
  let s = (seed ^ Math.imul(runNo, 0x9e3779b1)) >>> 0 || 1;
  const rand = () => {
    // xorshift32: the same seed and run give the same sequence of choices (the interleaving still varies)
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
  const pickOf = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  const { gaEventId, chartedEventId } = await ensureWorld(store, ctx);
  counted();
  say({ ready: true });

  let seq = 0;
  const steps: [number, (tag: string) => Promise<void>][] = [
    [25, (tag) => sellOne(store, ctx, gaEventId, rand, tag)],
    [15, (tag) => sellMany(store, ctx, gaEventId, rand, tag)],
    [5, () => sellAny(ctx, gaEventId, rand)],
    [12, (tag) => hold(store, ctx, chartedEventId, rand, tag)],
    [6, () => releaseOrSellHeld(store, ctx, rand, pickOf)],
    [6, (tag) => reserve(ctx, gaEventId, rand, tag)],
    [3, () => cancelReservation(store, ctx, pickOf)],
    [6, () => refund(store, ctx, pickOf)],
    [4, (tag) => importCsv(ctx, gaEventId, 1 + Math.floor(rand() * 4), tag)],
    [10, (tag) => partner(ctx, rand, tag)],
    [8, () => report(ctx, rand)],
  ];
  const weight = steps.reduce((n, [w]) => n + w, 0);
  const step = () => {
    let r = rand() * weight;
    const tag = `r${runNo}-${seq++}`;
    for (const [w, f] of steps) if ((r -= w) < 0) return f(tag);
    return steps[0]![1](tag);
  };
  const guarded = async (f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      if (e instanceof AppError && EXPECTED.has(e.code)) return;
      process.stderr.write(`workload failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(3);
    }
  };
  await Promise.all([
    // One CSV import of a few hundred rows (new listings, staged and published in steps) per run,
    // beside the terminals, so kills land while it stages and while it publishes.
    guarded(async () => {
      const rows = 150 + Math.floor(rand() * 150);
      await new Promise((r) => setTimeout(r, rand() * 300));
      await importCsv(ctx, gaEventId, rows, `r${runNo}-big`);
    }),
    // A few terminals at once: writes of different kinds share group commits.
    ...Array.from({ length: 4 }, async () => {
      for (;;) await guarded(step);
    }),
  ]);
}

/** Available GA tickets nobody holds: a random few. */
async function pickAvailable(store: Store, eventId: number, n: number, rand: () => number): Promise<number[]> {
  const rows = await store.reader
    .selectFrom('tickets')
    .select('id')
    .where('event_id', '=', eventId)
    .where('status', '=', 'available')
    .orderBy('id')
    .limit(300)
    .execute();
  const out = new Set<number>();
  while (rows.length > 0 && out.size < Math.min(n, rows.length)) out.add(rows[Math.floor(rand() * rows.length)]!.id);
  return [...out];
}

const cash = (cents: number) => ({ tender: 'cash' as const, tenderedCents: cents + 500 });

async function sellOne(store: Store, ctx: OpContext, eventId: number, rand: () => number, _tag: string) {
  const [id] = await pickAvailable(store, eventId, 1, rand);
  if (id === undefined) return;
  const res = await invoke(ctx, FULL_ACCESS, 'sellTicket', { id });
  say({ ack: 'order', code: res.order.code, ticketIds: res.order.ticketIds, totalCents: res.order.totalCents });
}

async function sellMany(store: Store, ctx: OpContext, eventId: number, rand: () => number, tag: string) {
  const ids = await pickAvailable(store, eventId, 2 + Math.floor(rand() * 3), rand);
  if (ids.length === 0) return;
  const total = (await store.reader.selectFrom('tickets').select((eb) => eb.fn.sum<number>('price_cents').as('t')).where('id', 'in', ids).executeTakeFirstOrThrow()).t;
  const res = await invoke(ctx, FULL_ACCESS, 'createOrder', {
    ticketIds: ids,
    idempotencyKey: tag,
    ...(rand() < 0.5 ? { payment: cash(Number(total)) } : {}),
    ...(rand() < 0.3 ? { customer: { name: `Crash ${tag}`, email: `${tag}@example.com` } } : {}),
  });
  say({ ack: 'order', code: res.order.code, ticketIds: res.order.ticketIds, totalCents: res.order.totalCents });
}

async function sellAny(ctx: OpContext, eventId: number, rand: () => number) {
  const res = await invoke(ctx, FULL_ACCESS, 'sellAny', { id: eventId, quantity: 1 + Math.floor(rand() * 2) });
  say({ ack: 'order', code: res.order.code, ticketIds: res.order.ticketIds, totalCents: res.order.totalCents });
}

async function hold(store: Store, ctx: OpContext, eventId: number, rand: () => number, tag: string) {
  const ids = await pickAvailable(store, eventId, 1 + Math.floor(rand() * 3), rand);
  if (ids.length === 0) return;
  const res = await invoke(ctx, FULL_ACCESS, 'holdSeats', { id: eventId, ticketIds: ids, holder: `crash-${tag}`, ttlSeconds: 3600 });
  say({ ack: 'hold', holder: res.holder, eventId, ticketIds: res.holds.map((h) => h.ticketId).sort((a, b) => a - b) });
}

/** Ends a hold of this or an earlier run: released, or sold to its holder (the sale converts the hold). */
async function releaseOrSellHeld(store: Store, ctx: OpContext, rand: () => number, pickOf: <T>(xs: T[]) => T | undefined) {
  const holders = await store.reader
    .selectFrom('seat_holds')
    .select(['holder', 'event_id'])
    .where('holder', 'like', 'crash-%')
    .where('reservation_id', 'is', null)
    .groupBy(['holder', 'event_id'])
    .limit(50)
    .execute();
  const h = pickOf(holders);
  if (!h) return;
  const ticketIds = (await store.reader.selectFrom('seat_holds').select('ticket_id').where('holder', '=', h.holder).execute()).map((r) => r.ticket_id);
  if (rand() < 0.5) {
    say({ try: 'release', holder: h.holder });
    const res = await invoke(ctx, FULL_ACCESS, 'releaseSeats', { id: h.event_id, ticketIds, holder: h.holder });
    say({ ack: 'release', holder: h.holder, released: res.released });
  } else {
    say({ try: 'sellHeld', holder: h.holder });
    const res = await invoke(ctx, FULL_ACCESS, 'createOrder', { ticketIds, holder: h.holder, payment: { tender: 'card' } });
    say({ ack: 'order', code: res.order.code, ticketIds: res.order.ticketIds, totalCents: res.order.totalCents, holder: h.holder });
  }
}

async function reserve(ctx: OpContext, eventId: number, rand: () => number, tag: string) {
  const res = await invoke(ctx, FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 1 + Math.floor(rand() * 4), holder: `crash-res-${tag}`, customerName: `Group ${tag}` });
  say({ ack: 'reserve', id: res.id, quantity: res.quantity, ticketIds: [...res.ticketIds].sort((a, b) => a - b) });
}

async function cancelReservation(store: Store, ctx: OpContext, pickOf: <T>(xs: T[]) => T | undefined) {
  const active = await store.reader.selectFrom('reservations').select('id').where('status', '=', 'active').orderBy('id', 'desc').limit(50).execute();
  const r = pickOf(active);
  if (!r) return;
  say({ try: 'cancelReservation', id: r.id });
  await invoke(ctx, FULL_ACCESS, 'cancelReservation', { id: r.id, reason: 'crash test' });
  say({ ack: 'cancelReservation', id: r.id });
}

async function refund(store: Store, ctx: OpContext, pickOf: <T>(xs: T[]) => T | undefined) {
  const live = await store.reader.selectFrom('orders').select('code').where('status', '=', 'completed').orderBy('id', 'desc').limit(100).execute();
  const o = pickOf(live);
  if (!o) return;
  say({ try: 'refund', code: o.code });
  const res = await invoke(ctx, FULL_ACCESS, 'refundOrder', { code: o.code, reason: 'crash test' });
  say({ ack: 'refund', code: res.order.code, ticketIds: res.order.ticketIds });
}

async function importCsv(ctx: OpContext, eventId: number, rows: number, tag: string) {
  let tickets = 0;
  const lines = ['eventId,section,quantity,price,row'];
  for (let i = 0; i < rows; i++) {
    tickets += 1 + (i % 3);
    lines.push(`${eventId},IMP-${tag},${1 + (i % 3)},${10 + (i % 40)}.50,${i + 1}`);
  }
  const res = await invoke(ctx, FULL_ACCESS, 'importTickets', { csv: lines.join('\n'), fileName: `${tag}.csv`, force: true });
  if (res.status !== 'completed' || res.rowsImported !== rows || res.ticketsCreated !== tickets) throw new Error(`import ${tag}: ${JSON.stringify(res)}`);
  say({ ack: 'import', batchId: res.batchId, rows, tickets, fileName: `${tag}.csv` });
}

async function partner(ctx: OpContext, rand: () => number, tag: string) {
  const n = 1 + Math.floor(rand() * 3);
  const evs = Array.from({ length: n }, (_, i) => ({
    event_type: 'order.created',
    event_id: `${tag}-${i}`,
    email: `${tag}-${i}@example.com`,
    currency: 'USD',
    financial_status: 'paid',
    order_value: 10 + i,
    line_items: Array.from({ length: 1 + i }, (_, j) => ({ id: `sku-${j}`, quantity: 1 + j })),
  }));
  const res = await invoke(ctx, FULL_ACCESS, 'ingestOrderEvents', { channel: 'crash', events: evs });
  if (res.created !== n) throw new Error(`ingest ${tag}: ${JSON.stringify(res)}`);
  say({ ack: 'partner', events: evs.map((e) => ({ id: e.event_id, lines: e.line_items.length, totalCents: e.order_value * 100 })) });
}

async function report(ctx: OpContext, rand: () => number) {
  // Reports fold new orders into their rollups: a write too, though nobody asked for one.
  const r = rand();
  if (r < 0.4) await invoke(ctx, FULL_ACCESS, 'reportRevenue', {});
  else if (r < 0.7) await invoke(ctx, FULL_ACCESS, 'reportEventSales', {});
  else await invoke(ctx, FULL_ACCESS, 'reportTopCustomers', {});
}

const [mode, dataDir, seedArg, runArg] = process.argv.slice(2);
(mode === 'run' ? run(dataDir!, Number(seedArg), Number(runArg)) : Promise.reject(new Error(`usage: run DATA SEED RUN (not ${mode})`))).catch((e: unknown) => {
  process.stderr.write(`crash workload: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
});
