import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerForUser } from '../../electron/core/auth/callers.js';
import type { OpContext } from '../../electron/core/services/context.js';
import { FULL_ACCESS, invoke, type Caller } from '../../electron/core/services/dispatch.js';
import { signTicketCode, verifyTicketCode } from '../../electron/core/services/ticket-codes.js';
import { openStore } from '../../electron/core/store/sqlite/database.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import type { OpInput, OperationName } from '../../shared/operations/index.js';
import { freshPgStore, startServer, testEngine, type TestServer } from '../helpers.js';
import { rows, value } from '../support/db.js';

/**
 * Check-in at the door (issue 13) on the engine under test: one admission per ticket whatever the
 * doors do at once, and a refusal that says why (already in: when and where; wrong event; refunded;
 * voided; forged).
 */
let dir: string;
let store: Store;
let ctx: OpContext;
let door: Caller;
let venueId: number;
let eventId: number;
let otherEventId: number;

const full = <K extends OperationName>(name: K, input: OpInput<K>) => invoke(ctx, FULL_ACCESS, name, input);

let section = 0;
/** Sells `n` fresh tickets of the event in one order; returns the order code and its ticket codes. */
async function sell(n: number, opts: { event?: number; cash?: boolean } = {}) {
  const l = await full('postListing', { eventId: opts.event ?? eventId, seller: { name: 'Box Office' }, section: `S${++section}`, row: '08', seats: Array.from({ length: n }, (_, i) => String(i + 1)), quantity: n, priceCents: 2500 });
  const order = await full('createOrder', { ticketIds: l.tickets.map((t) => t.id), ...(opts.cash ? { payment: { tender: 'cash', tenderedCents: 2500 * n } } : {}) });
  const codes = await full('getTicketCodes', { code: order.order.code });
  return { orderCode: order.order.code, ticketIds: l.tickets.map((t) => t.id), codes: codes.items };
}

const scan = (code: string, opts: { door?: string; event?: number; as?: Caller } = {}) =>
  invoke(ctx, opts.as ?? door, 'checkIn', { code, door: opts.door ?? 'Door 1', ...(opts.event === undefined ? {} : { eventId: opts.event }) });

beforeAll(async () => {
  // A file store on SQLite: its reader is a connection of its own, as in the app.
  dir = mkdtempSync(join(tmpdir(), 'marquee-door-'));
  store = testEngine() === 'postgres' ? await freshPgStore('door') : await openStore({ file: join(dir, 'marquee.db') });
  ctx = { store, channel: 'kiosk', version: 'test' };
  venueId = (await full('createVenue', { name: 'Door Hall', city: 'Chicago', country: 'US', timezone: 'America/Chicago' })).id;
  eventId = (await full('createEvent', { name: 'Opening Night', venueId, startsAt: '2027-03-01T20:00:00-06:00', status: 'on_sale' })).id;
  otherEventId = (await full('createEvent', { name: 'Second Night', venueId, startsAt: '2027-03-02T20:00:00-06:00', status: 'on_sale' })).id;
  const u = await full('createUser', { username: 'door2', displayName: 'Door Two', role: 'door', pin: '2468' });
  door = (await callerForUser(store.auth, u.id, { terminal: 'test:door', via: 'session' }))!;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('check-in', () => {
  it('admits a sold ticket once, with its seat; the second scan says when, where and by whom', async () => {
    const { codes } = await sell(1);
    const first = await scan(codes[0]!.display, { door: 'Door 2', event: eventId });
    expect(first).toMatchObject({ result: 'admitted', ticket: { eventId, eventName: 'Opening Night', row: '08', seat: '1' } });
    const again = await scan(codes[0]!.code.toLowerCase(), { door: 'Door 3' });
    expect(again).toMatchObject({ result: 'refused', reason: 'already-checked-in', previous: { door: 'Door 2', username: 'door2' } });
    if (first.result !== 'admitted' || again.result !== 'refused') throw new Error('unreachable');
    expect(again.previous!.at).toBe(first.at);
    expect(again.message).toMatch(/Already checked in at .* at Door 2 by door2/);
    expect(await value(store, 'SELECT count(*) AS n FROM check_ins WHERE ticket_id = ?', [codes[0]!.ticketId])).toBe(1);
  });

  it('refuses a ticket of another event when the door is set to an event', async () => {
    const { codes } = await sell(1, { event: otherEventId });
    expect(await scan(codes[0]!.code, { event: eventId })).toMatchObject({ result: 'refused', reason: 'wrong-event', ticket: { eventId: otherEventId } });
    // Nothing was recorded: at the right door it admits.
    expect(await scan(codes[0]!.code, { event: otherEventId })).toMatchObject({ result: 'admitted' });
  });

  it('refunded and voided tickets stop working; a refunded seat sold again has a new code and the old one stays refused', async () => {
    const refunded = await sell(2);
    await full('refundOrder', { code: refunded.orderCode, reason: 'customer asked' });
    for (const c of refunded.codes) expect(await scan(c.code)).toMatchObject({ result: 'refused', reason: 'refunded' });
    expect((await full('getTicketCodes', { code: refunded.orderCode })).items).toEqual([]);

    const voided = await sell(1, { cash: true });
    await full('voidOrder', { code: voided.orderCode });
    expect(await scan(voided.codes[0]!.code)).toMatchObject({ result: 'refused', reason: 'voided' });

    // The refunded seat goes back on sale and is bought by someone else.
    const again = await full('createOrder', { ticketIds: [refunded.ticketIds[0]!] });
    const [fresh] = (await full('getTicketCodes', { code: again.order.code })).items;
    expect(fresh!.ticketId).toBe(refunded.ticketIds[0]);
    expect(fresh!.code).not.toBe(refunded.codes[0]!.code);
    expect(await scan(refunded.codes[0]!.code)).toMatchObject({ result: 'refused', reason: 'refunded' });
    expect(await scan(fresh!.code)).toMatchObject({ result: 'admitted', ticket: { ticketId: refunded.ticketIds[0] } });
  });

  it('a seat admitted, then refunded and sold again: the new holder is admitted, the old admission closed, the old code refused', async () => {
    const first = await sell(1);
    const admitted = await scan(first.codes[0]!.code);
    expect(admitted).toMatchObject({ result: 'admitted' });
    await full('refundOrder', { code: first.orderCode, reason: 'left early, refunded' });
    const again = await full('createOrder', { ticketIds: [first.ticketIds[0]!] });
    const fresh = (await full('getTicketCodes', { code: again.order.code })).items[0]!;

    const answer = await scan(fresh.code, { door: 'Door 4' });
    expect(answer).toMatchObject({ result: 'admitted', ticket: { ticketId: first.ticketIds[0] } });
    // The new holder's code is then one admission like any other; the refunded code stays refused.
    expect(await scan(fresh.code)).toMatchObject({ result: 'refused', reason: 'already-checked-in', previous: { door: 'Door 4' } });
    expect(await scan(first.codes[0]!.code)).toMatchObject({ result: 'refused', reason: 'refunded' });
    const mine = (await full('listCheckIns', { id: eventId, limit: 100 })).items.filter((c) => c.ticketId === first.ticketIds[0]);
    expect(mine.map((c) => ({ door: c.door, undone: c.undoneBy }))).toEqual([
      { door: 'Door 4', undone: null },
      { door: 'Door 1', undone: 'system: seat resold' },
    ]);
  });

  it('refuses forged, tampered, foreign and malformed codes, and records nothing for them', async () => {
    const { codes } = await sell(1);
    const genuine = codes[0]!;
    const before = await value(store, 'SELECT count(*) AS n FROM check_ins');
    const last = genuine.code.at(-1)!;
    const tampered = genuine.code.slice(0, -1) + (last === '0' ? '1' : '0');
    const foreign = signTicketCode(randomBytes(32), { ticketId: genuine.ticketId, eventId: genuine.eventId, saleId: genuine.saleId });
    for (const bad of [tampered, foreign, 'not a code', genuine.code.slice(0, 10)]) {
      expect(await scan(bad), bad).toMatchObject({ result: 'refused', reason: 'unknown-code', ticket: null });
    }
    expect(await value(store, 'SELECT count(*) AS n FROM check_ins')).toBe(before);
    expect(await scan(genuine.code)).toMatchObject({ result: 'admitted' });
  });

  it('an undone check-in lets the ticket in again; an undo twice is a conflict; a door account may not undo', async () => {
    const { codes } = await sell(1);
    const first = await scan(codes[0]!.code);
    if (first.result !== 'admitted') throw new Error(first.message);
    await expect(invoke(ctx, door, 'undoCheckIn', { id: first.checkInId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const undone = await full('undoCheckIn', { id: first.checkInId });
    expect(undone).toMatchObject({ id: first.checkInId, undoneBy: 'system' });
    expect(undone.undoneAt).not.toBeNull();
    await expect(full('undoCheckIn', { id: first.checkInId })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await scan(codes[0]!.code)).toMatchObject({ result: 'admitted' });
    await expect(full('undoCheckIn', { id: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists check-ins newest first, paged, and counts checked in against sold with arrival buckets', async () => {
    const ev = (await full('createEvent', { name: 'Counted Night', venueId, startsAt: '2027-03-05T20:00:00-06:00', status: 'on_sale' })).id;
    const { codes } = await sell(5, { event: ev });
    for (const c of codes.slice(0, 3)) await scan(c.code);
    const page1 = await invoke(ctx, door, 'listCheckIns', { id: ev, limit: 2 });
    expect(page1.items.map((c) => c.seat)).toEqual(['3', '2']);
    expect(page1.nextBefore).toBe(page1.items[1]!.id);
    const page2 = await invoke(ctx, door, 'listCheckIns', { id: ev, limit: 2, before: page1.nextBefore! });
    expect(page2).toMatchObject({ items: [{ seat: '1', door: 'Door 1', username: 'door2', undoneAt: null }], nextBefore: null });
    const counts = await invoke(ctx, door, 'checkInCounts', { id: ev, bucketMinutes: 5 });
    expect(counts).toMatchObject({ eventId: ev, sold: 5, checkedIn: 3, bucketMinutes: 5 });
    expect(counts.buckets.reduce((n, b) => n + b.count, 0)).toBe(3);
    await expect(invoke(ctx, door, 'checkInCounts', { id: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the door lists upcoming events; its account may not sell or look orders up', async () => {
    const events = await invoke(ctx, door, 'listDoorEvents', {});
    expect(events.items.map((e) => e.name)).toEqual(expect.arrayContaining(['Opening Night', 'Second Night']));
    await expect(invoke(ctx, door, 'getTicketCodes', { code: 'MQ-AAAA-BBBB' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(ctx, door, 'listOrders', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('the key is made once, signs every code, and appears in no answer or audit entry', async () => {
    const [secret] = await rows<{ secret: string }>(store, 'SELECT secret FROM ticket_code_secret');
    expect(await value(store, 'SELECT count(*) AS n FROM ticket_code_secret')).toBe(1);
    const { codes } = await sell(1);
    expect(verifyTicketCode(secret!.secret, codes[0]!.code)).toMatchObject({ ok: true, ticketId: codes[0]!.ticketId });
    expect(await value(store, 'SELECT count(*) AS n FROM audit_log WHERE input_json LIKE ? OR after_json LIKE ?', [`%${secret!.secret}%`, `%${secret!.secret}%`])).toBe(0);
    expect(JSON.stringify(await full('getTicketCodes', { code: (await sell(1)).orderCode }))).not.toContain(secret!.secret);
  });
});

describe('printed tickets', () => {
  it('each ticket carries event, venue, zone, seat and price; prints are logged and counted, a reprint knows it is one', async () => {
    const { orderCode, ticketIds } = await sell(2);
    const before = await full('getTicketCodes', { code: orderCode.toLowerCase() });
    expect(before).toMatchObject({ orderCode, currency: 'USD', printed: 0 });
    expect(before.items).toHaveLength(2);
    expect(before.items[0]).toMatchObject({
      ticketId: ticketIds[0],
      eventName: 'Opening Night',
      startsAt: '2027-03-01T20:00:00-06:00',
      venueName: 'Door Hall',
      city: 'Chicago',
      timezone: 'America/Chicago',
      row: '08',
      seat: '1',
      priceCents: 2500,
    });

    const clerkUser = await full('createUser', { username: `clerk-print-${orderCode.slice(-4)}`, displayName: 'Print Clerk', role: 'clerk', pin: '1357' });
    const clerk = (await callerForUser(store.auth, clerkUser.id, { terminal: 'test:till', via: 'session' }))!;
    expect(await invoke(ctx, clerk, 'recordTicketPrint', { code: orderCode })).toEqual({ orderCode, printedBefore: 0, tickets: 2 });
    expect(await invoke(ctx, clerk, 'recordTicketPrint', { code: orderCode })).toEqual({ orderCode, printedBefore: 1, tickets: 2 });
    expect((await full('getTicketCodes', { code: orderCode })).printed).toBe(2);
    const logged = await rows<{ username: string; subject: string }>(store, "SELECT username, subject FROM audit_log WHERE operation = 'recordTicketPrint' AND subject = ? ORDER BY id", [`order:${orderCode}`]);
    expect(logged).toEqual([
      { username: clerkUser.username, subject: `order:${orderCode}` },
      { username: clerkUser.username, subject: `order:${orderCode}` },
    ]);
    // Another order's count is its own.
    const other = await sell(1);
    expect((await full('recordTicketPrint', { code: other.orderCode })).printedBefore).toBe(0);
  });

  it('a door account may not log prints; an unknown order is not found; a refunded order has nothing to print; nothing is logged for them', async () => {
    const { orderCode } = await sell(1);
    const count = () => value(store, "SELECT count(*) AS n FROM audit_log WHERE operation = 'recordTicketPrint'");
    const before = await count();
    await expect(invoke(ctx, door, 'recordTicketPrint', { code: orderCode })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(full('recordTicketPrint', { code: 'MQ-AAAA-BBBB' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await full('refundOrder', { code: orderCode, reason: 'customer asked' });
    await expect(full('recordTicketPrint', { code: orderCode })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await count()).toBe(before);
  });

  it('saving a PDF needs the desktop app: without its capability it says so; with it, the calling window is printed', async () => {
    const { orderCode } = await sell(1);
    await expect(full('saveTicketsPdf', { code: orderCode })).rejects.toMatchObject({ code: 'CONFLICT', details: { available: false } });
    const asked: { window: number; orderCode: string; fileName: string }[] = [];
    const desktop: OpContext = { ...ctx, window: 7, ticketPdf: { save: async (r) => (asked.push(r), { saved: true, path: `/tmp/${r.fileName}` }) } };
    expect(await invoke(desktop, FULL_ACCESS, 'saveTicketsPdf', { code: orderCode })).toEqual({ saved: true, path: `/tmp/${orderCode}-tickets.pdf` });
    expect(asked).toEqual([{ window: 7, orderCode, fileName: `${orderCode}-tickets.pdf` }]);
    await expect(invoke(desktop, FULL_ACCESS, 'saveTicketsPdf', { code: 'MQ-AAAA-BBBB' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(asked).toHaveLength(1);
  });
});

describe('two doors scanning the same ticket at once', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(store);
  });
  afterAll(async () => {
    // The store is closed by the file's afterAll.
    await server.app.close();
  });

  it('100 concurrent check-ins of one code over HTTP: exactly one admits, 99 say already checked in', async () => {
    const { codes } = await sell(1);
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await server.api('/api/v1/check-ins', { method: 'POST', json: { code: codes[0]!.code, door: `Door ${(i % 4) + 1}`, eventId } });
        expect(res.status).toBe(200);
        return (await res.json()) as { result: string; reason?: string; previous?: { door: string } };
      }),
    );
    const admitted = answers.filter((a) => a.result === 'admitted');
    const refused = answers.filter((a) => a.result === 'refused');
    expect(admitted).toHaveLength(1);
    expect(refused).toHaveLength(99);
    expect(new Set(refused.map((r) => r.reason))).toEqual(new Set(['already-checked-in']));
    expect(await value(store, 'SELECT count(*) AS n FROM check_ins WHERE ticket_id = ?', [codes[0]!.ticketId])).toBe(1);
  });

  it('a refund racing scans: the ticket is admitted at most once, and never after the refund committed', async () => {
    const { orderCode, codes } = await sell(1);
    const scans = Array.from({ length: 20 }, () => scan(codes[0]!.code));
    const refund = full('refundOrder', { code: orderCode, reason: 'race' });
    const answers = await Promise.all(scans);
    await refund;
    const admitted = answers.filter((a) => a.result === 'admitted');
    expect(admitted.length).toBeLessThanOrEqual(1);
    for (const a of answers) if (a.result === 'refused') expect(['already-checked-in', 'refunded']).toContain(a.reason);
    expect(await scan(codes[0]!.code)).toMatchObject({ result: 'refused', reason: 'refunded' });
  });
});
