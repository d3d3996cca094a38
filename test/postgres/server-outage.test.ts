import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { eventWithTickets } from './support/inventory.js';
import { eventually, pause, startTerminals, stopTerminals, withDb, type ApiError, type Terminal } from './support/terminals.js';

/**
 * Issue 15: the venue's PostgreSQL server goes away (fast shutdown) while two terminals sell, and
 * comes back on the same port. Its own server, not the run's shared one, since this test stops it.
 * The terminals answer 503 STORE_UNAVAILABLE as structured errors, never confirm what they could not
 * commit, and sell again once the server is back, without being restarted. Each sale carries an
 * Idempotency-Key, so a sale answered 503 is resent with its key afterwards to learn what became of it.
 */
let server: PostgresServer;
let url: string;
let terminals: Terminal[] = [];

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('outage');
  terminals = await startTerminals(url, 2, 'o');
}, 240_000);

afterAll(async () => {
  for (const t of terminals) if (t.exited) console.log(`[server-outage] terminal ${t.name} exited:\n${t.output()}`);
  await stopTerminals(terminals);
  await server?.destroy();
}, 60_000);

interface Sent {
  terminal: string;
  ticketId: number;
  key: string;
}

type Order = { order: { code: string; ticketIds: number[] } };

describe('the database server stops during selling and comes back', () => {
  it('terminals answer 503 STORE_UNAVAILABLE, confirm nothing they could not commit, and sell again once it is back', async () => {
    const [a, b] = terminals as [Terminal, Terminal];
    const { eventId, ticketIds } = await eventWithTickets(a, 400, 'Blackout night');
    const queue = [...ticketIds];
    const acked = new Map<string, Order['order']>();
    const unconfirmed: Sent[] = [];
    const unexpected: string[] = [];
    const refusedBy = new Map<string, number>();
    let phase: 'selling' | 'outage' | 'done' = 'selling';
    let stopping: Promise<void> | null = null;
    let stoppedAt = 0;
    const firstRefusal = new Map<string, number>();

    const sell = async (t: Terminal, s: Sent) => {
      const res = await t.post('/orders', { ticketIds: [s.ticketId], payment: { tender: 'card' } }, { 'idempotency-key': s.key });
      return res;
    };
    const worker = async (t: Terminal) => {
      while (phase !== 'done') {
        const ticketId = queue.shift();
        if (ticketId === undefined) return;
        const s = { terminal: t.name, ticketId, key: `outage-${ticketId}` };
        const r = await sell(t, s);
        if (r.status === 201) {
          acked.set(s.key, (r.body as Order).order);
          if (!stopping && acked.size >= 40) {
            phase = 'outage';
            stopping = server.stop().then(() => void (stoppedAt = Date.now()));
          }
        } else if (r.status === 503) {
          const e = (r.body as ApiError).error;
          if (e?.code !== 'STORE_UNAVAILABLE' || typeof e.message !== 'string' || typeof e.details !== 'object') unexpected.push(`${t.name}: 503 ${JSON.stringify(r.body)}`);
          unconfirmed.push(s);
          refusedBy.set(t.name, (refusedBy.get(t.name) ?? 0) + 1);
          if (stoppedAt && !firstRefusal.has(t.name)) firstRefusal.set(t.name, Date.now() - stoppedAt);
          // Once the server is down and this terminal has said so a few times, it has made its point.
          if (stoppedAt && (refusedBy.get(t.name) ?? 0) >= 5) return;
          await pause(50);
        } else {
          unexpected.push(`${t.name}: ${r.status} ${JSON.stringify(r.body)}`);
          return;
        }
      }
    };
    await Promise.all([a, b].flatMap((t) => [worker(t), worker(t), worker(t), worker(t)]));
    await stopping;
    expect(unexpected).toEqual([]);
    expect(phase).toBe('outage');
    expect(server.running).toBe(false);
    // Both terminals said so, and so do reads: structured 503s, nothing that looks like a crash.
    for (const t of [a, b]) {
      expect(refusedBy.get(t.name) ?? 0).toBeGreaterThanOrEqual(5);
      const read = await t.api(`/events/${eventId}/inventory`);
      expect(read.status).toBe(503);
      const body = (await read.json()) as ApiError;
      expect(body.error.code).toBe('STORE_UNAVAILABLE');
      expect(body.error.message).toMatch(/cannot reach its database/);
      expect(body.error.message).toMatch(/not confirmed/);
    }
    expect(ticketIds.length - queue.length).toBe(acked.size + unconfirmed.length);

    // Back on the same port and data dir; the terminals were never restarted.
    const restartedAt = Date.now();
    await server.start();
    const back = new Map<string, number>();
    for (const t of [a, b]) {
      const ticketId = queue.shift()!;
      const s = { terminal: t.name, ticketId, key: `outage-${ticketId}` };
      // Resent with the same key until the terminal answers: whatever an earlier try did, it sells once.
      const order = await eventually(`${t.name} sells again after the restart`, async () => {
        const r = await sell(t, s);
        if (r.status === 201) return (r.body as Order).order;
        expect(r.status).toBe(503);
        return undefined;
      }, 90_000, 100);
      back.set(t.name, Date.now() - restartedAt);
      acked.set(s.key, order);
      expect(order.ticketIds).toEqual([ticketId]);
    }

    // What the 503s left behind, before anyone resends: sales that committed though nobody was told.
    const committedUnheard = await withDb(url, async (c) => {
      const r = await c.query<{ ticket_id: string; code: string }>(
        'SELECT oi.ticket_id, o.code FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE oi.ticket_id = ANY($1::bigint[])',
        [unconfirmed.map((s) => s.ticketId)],
      );
      return new Map(r.rows.map((x) => [Number(x.ticket_id), x.code]));
    });

    // Every sale answered 503 is resent with its key: the answer says what became of it.
    const resolved = new Map<string, Order['order']>();
    for (const s of unconfirmed) {
      const t = s.terminal === a.name ? b : a; // at the other terminal, even
      const r = await sell(t, s);
      expect(r.status).toBe(201);
      const o = (r.body as Order).order;
      expect(o.ticketIds).toEqual([s.ticketId]);
      // One that had committed is answered with its own order, not sold again.
      if (committedUnheard.has(s.ticketId)) expect(o.code).toBe(committedUnheard.get(s.ticketId));
      resolved.set(s.key, o);
    }

    await withDb(url, async (c) => {
      const lines = await c.query<{ ticket_id: string; code: string }>(
        'SELECT oi.ticket_id, o.code FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN tickets t ON t.id = oi.ticket_id WHERE t.event_id = $1 AND oi.voided_at IS NULL',
        [eventId],
      );
      const codeOf = new Map(lines.rows.map((r) => [Number(r.ticket_id), r.code]));
      expect(codeOf.size).toBe(lines.rowCount);
      // Every confirmed sale is in the database after the restart, as answered.
      for (const o of acked.values()) expect(codeOf.get(o.ticketIds[0]!)).toBe(o.code);
      for (const o of resolved.values()) expect(codeOf.get(o.ticketIds[0]!)).toBe(o.code);
      // And nothing else: no sale the terminals never answered 201 for.
      expect(lines.rowCount).toBe(acked.size + resolved.size);
      const keys = await c.query<{ n: string }>("SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'outage-%'");
      expect(Number(keys.rows[0]!.n)).toBe(acked.size + resolved.size);
      const audits = await c.query<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE operation = 'createOrder'");
      expect(Number(audits.rows[0]!.n)).toBe(acked.size + resolved.size);
    });
    phase = 'done';
    console.log(
      `[server-outage] ${acked.size} sales confirmed, ${unconfirmed.length} answered 503 (${committedUnheard.size} of them had committed; all resolved by resending their key); ` +
        `first 503 after the stop: ${[...firstRefusal].map(([t, ms]) => `${t} ${ms} ms`).join(', ')}; ` +
        `selling again after the restart began: ${[...back].map(([t, ms]) => `${t} ${ms} ms`).join(', ')}`,
    );
  });
});
