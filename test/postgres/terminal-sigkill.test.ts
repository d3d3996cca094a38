import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';
import { eventWithTickets } from './support/inventory.js';
import { startTerminals, stopTerminals, withDb, type ApiError, type Terminal } from './support/terminals.js';

/**
 * Issue 15: a terminal dies (SIGKILL: a crash, a pulled plug) in the middle of an on-sale rush. What
 * it acknowledged is in the database, what it had in flight either committed whole or not at all,
 * no ticket is sold twice, and the other terminals sell on, including the tickets its open
 * transactions had locked.
 */
const TICKETS = 300;
const WORKERS_PER_TERMINAL = 6;
const KILL_AFTER_ACKS = 60;

let db: TestDatabase;
let terminals: Terminal[] = [];

beforeAll(async () => {
  db = await freshPostgresDatabase('mt_kill');
  terminals = await startTerminals(db.url, 3, 'k');
}, 240_000);

afterAll(async () => {
  await stopTerminals(terminals);
  await db?.drop();
}, 60_000);

interface Ack {
  terminal: string;
  afterKill: boolean;
  code: string;
  ticketIds: number[];
}

describe('a terminal killed in the middle of a sell storm', () => {
  it('every acknowledged order is in the database, no ticket is sold twice, and the other terminals sell the rest', async () => {
    const [a, victim, b] = terminals as [Terminal, Terminal, Terminal];
    const { eventId, ticketIds } = await eventWithTickets(a, TICKETS, 'Crash night');
    const acks: Ack[] = [];
    let killed = false;
    let lostAnswers = 0; // requests to the victim that never got an answer
    let killing: Promise<void> | null = null;
    const unexpected: string[] = [];

    const worker = async (t: Terminal, w: number) => {
      for (let k = 0; k < TICKETS; k++) {
        let res: Response;
        const sentAfterKill = killed;
        try {
          res = await t.api(`/events/${eventId}/sales`, { method: 'POST', json: { quantity: 1 + ((w + k) % 2) } });
        } catch (err) {
          if (t === victim && killed) {
            lostAnswers++;
            return;
          }
          throw err;
        }
        const body = (await res.json().catch(() => null)) as { order?: { code: string; ticketIds: number[] } } & Partial<ApiError>;
        if (res.status === 201) {
          acks.push({ terminal: t.name, afterKill: sentAfterKill, code: body.order!.code, ticketIds: body.order!.ticketIds });
          if (!killing && acks.length >= KILL_AFTER_ACKS) {
            killed = true;
            killing = victim.kill();
          }
        } else if (res.status === 409 && body.error?.code === 'TICKET_UNAVAILABLE') {
          // Fewer left than asked for: one more try for a single ticket, then this worker is done.
          if ((w + k) % 2 === 0) return;
        } else {
          unexpected.push(`${t.name}: ${res.status} ${JSON.stringify(body)}`);
          return;
        }
      }
    };
    await Promise.all(terminals.flatMap((t) => Array.from({ length: WORKERS_PER_TERMINAL }, (_, w) => worker(t, w))));
    await killing;
    expect(unexpected).toEqual([]);
    expect(killed).toBe(true);
    expect(victim.exited).toBe(true);

    // Mop-up, one ticket at a time: whatever the victim's open transactions had locked was rolled back
    // and freed, so the survivors can sell every last ticket.
    for (let k = 0, refusals = 0; k < TICKETS && refusals < 2; k++) {
      const t = k % 2 === 0 ? a : b;
      const r = await t.post(`/events/${eventId}/sales`, { quantity: 1 });
      if (r.status === 201) {
        const o = (r.body as { order: { code: string; ticketIds: number[] } }).order;
        acks.push({ terminal: t.name, afterKill: true, code: o.code, ticketIds: o.ticketIds });
        refusals = 0;
      } else {
        expect(r.status).toBe(409);
        refusals++;
      }
    }

    const soldIds = acks.flatMap((x) => x.ticketIds);
    expect(new Set(soldIds).size).toBe(soldIds.length);
    // The survivors kept selling after the kill, both of them.
    expect(acks.filter((x) => x.afterKill && x.terminal === a.name).length).toBeGreaterThan(0);
    expect(acks.filter((x) => x.afterKill && x.terminal === b.name).length).toBeGreaterThan(0);

    await withDb(db.url, async (c) => {
      const lines = await c.query<{ ticket_id: string; code: string }>(
        'SELECT oi.ticket_id, o.code FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN tickets t ON t.id = oi.ticket_id WHERE t.event_id = $1 AND oi.voided_at IS NULL',
        [eventId],
      );
      const dbTickets = lines.rows.map((r) => Number(r.ticket_id));
      expect(new Set(dbTickets).size).toBe(dbTickets.length);
      const ticketsOf = new Map<string, number[]>();
      for (const r of lines.rows) ticketsOf.set(r.code, [...(ticketsOf.get(r.code) ?? []), Number(r.ticket_id)]);
      // Each acknowledged order is there, with exactly the tickets it was answered with.
      for (const x of acks) expect([...(ticketsOf.get(x.code) ?? [])].sort((p, q) => p - q)).toEqual([...x.ticketIds].sort((p, q) => p - q));
      // Orders nobody heard about are the victim's lost answers at most, and each is whole.
      const unheard = [...ticketsOf.keys()].filter((k) => !acks.some((x) => x.code === k));
      expect(unheard.length).toBeLessThanOrEqual(lostAnswers);
      for (const k of unheard) expect([1, 2]).toContain(ticketsOf.get(k)!.length);
      const sold = await c.query<{ id: string }>("SELECT id FROM tickets WHERE event_id = $1 AND status = 'sold'", [eventId]);
      expect(sold.rows.map((r) => Number(r.id)).sort((p, q) => p - q)).toEqual([...dbTickets].sort((p, q) => p - q));
      expect([...dbTickets].sort((p, q) => p - q)).toEqual([...ticketIds].sort((p, q) => p - q));
      const audits = await c.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE operation = 'sellAny'");
      expect(Number(audits.rows[0]!.n)).toBe(ticketsOf.size);
      console.log(
        `[terminal-sigkill] ${acks.length} orders acknowledged (${acks.filter((x) => x.terminal === victim.name).length} by the killed terminal), ` +
          `${lostAnswers} requests lost their answer, ${unheard.length} of those committed anyway; ${acks.filter((x) => x.afterKill).length} orders after the kill`,
      );
    });
  });
});
