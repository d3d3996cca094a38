import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { invoke, FULL_ACCESS } from '../../electron/core/services/dispatch.js';
import type { OpContext } from '../../electron/core/services/context.js';
import { openPgStore, type PgStore } from '../../electron/core/store/postgres/pg-store.js';
import type { CommitInfo } from '../../electron/core/store/contract/shapes.js';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';

/**
 * The PostgreSQL sell lane (store/postgres/pg-sell-batch.ts): walk-in sales that arrive together
 * commit as one transaction; each caller still gets the answer its sale would get on its own.
 */
const dbs: TestDatabase[] = [];
const stores: PgStore[] = [];
const clients: pg.Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  for (const s of stores) await s.close();
  for (const d of dbs) await d.drop();
});

async function setup(prefix: string, tickets = 20, oneStatementSales = true) {
  const d = await freshPostgresDatabase(prefix);
  dbs.push(d);
  const store = await openPgStore({ url: d.url, max: 6, oneStatementSales });
  stores.push(store);
  const sql = new pg.Client({ connectionString: d.url });
  await sql.connect();
  clients.push(sql);
  const c = ctx(store);
  const v = await invoke(c, FULL_ACCESS, 'createVenue', { name: 'Batch Hall', city: 'Lyon', country: 'FR', timezone: 'Europe/Paris' });
  const e = await invoke(c, FULL_ACCESS, 'createEvent', { name: 'Many at once', venueId: v.id, startsAt: '2027-03-01T20:00:00+01:00' });
  await invoke(c, FULL_ACCESS, 'postListing', { eventId: e.id, seller: { name: 'Box' }, section: 'A', row: '01', quantity: tickets, priceCents: 2500 });
  const page = await invoke(c, FULL_ACCESS, 'listEventTickets', { id: e.id, limit: 100 });
  const commits: CommitInfo[] = [];
  store.onCommit = (info) => commits.push(info);
  const n = async (text: string, values: unknown[] = []) => Number((await sql.query<{ n: number }>(text, values)).rows[0]!.n);
  return { store, sql, ids: page.items.map((t) => t.id), commits, n };
}

const ctx = (store: PgStore): OpContext => ({ store, channel: 'api', version: 'test' });

type Attempt = { op: 'sellTicket'; id: number; tender?: { tender: 'cash'; tenderedCents: number } } | { op: 'createOrder'; ticketIds: number[] };

/** Every attempt started in the same turn of the event loop, so the lane takes them as one batch. */
function together(store: PgStore, attempts: Attempt[]) {
  return Promise.allSettled(
    attempts.map((a) =>
      a.op === 'sellTicket'
        ? invoke(ctx(store), FULL_ACCESS, 'sellTicket', { id: a.id, ...(a.tender ? { payment: a.tender } : {}) })
        : invoke(ctx(store), FULL_ACCESS, 'createOrder', { ticketIds: a.ticketIds }),
    ),
  );
}

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? ((r.reason as AppError).code ?? String(r.reason)) : 'OK');

describe('PostgreSQL sell lane (group commit of walk-in sales)', () => {
  it.each([
    ['one statement', true],
    ['transaction (savepoint put-back)', false],
  ] as const)('two sales of one ticket in one batch: one sold, one 409; a sale that gets only part of its tickets is refused and puts them back; the rest commit together — %s', async (_, oneStatement) => {
    const { store, ids, commits, n } = await setup('batch_overlap', 20, oneStatement);
    const [a, b, c, d, e, f, g] = ids as [number, number, number, number, number, number, number];
    await invoke(ctx(store), FULL_ACCESS, 'sellTicket', { id: g });
    commits.length = 0;
    const before = store.sellLaneStats()!;
    const results = await together(store, [
      { op: 'sellTicket', id: a },
      { op: 'sellTicket', id: a },
      { op: 'sellTicket', id: b },
      { op: 'createOrder', ticketIds: [c, g] }, // g is sold: c must stay available
      { op: 'createOrder', ticketIds: [d, e] },
      { op: 'sellTicket', id: f },
    ]);
    expect(results.map(codeOf)).toEqual(['OK', 'TICKET_UNAVAILABLE', 'OK', 'TICKET_UNAVAILABLE', 'OK', 'OK']);
    const after = store.sellLaneStats()!;
    expect(after.batches - before.batches).toBe(1);
    expect(after.largest).toBe(6);
    // The two losers were answered on their own, after the batch's COMMIT.
    expect(after.alone - before.alone).toBe(2);
    const group = commits.filter((x) => x.kind === 'group');
    expect(group).toHaveLength(1);
    expect(group[0]).toMatchObject({ items: 4, synchronous: 2 });
    // One statement if nothing changed between the read of the tickets and the write; else (or with
    // it off) the transaction, which flipped all six sales' tickets and put back the losers'.
    expect(after.oneStatement - before.oneStatement).toBe(oneStatement ? 1 : 0);
    expect(after.transaction - before.transaction).toBe(oneStatement ? 0 : 1);

    expect(await n("SELECT count(*) AS n FROM tickets WHERE id = $1 AND status = 'available'", [c])).toBe(1);
    expect(await n("SELECT count(*) AS n FROM tickets WHERE id = ANY($1) AND status = 'sold'", [[a, b, d, e, f, g]])).toBe(6);
    expect(await n('SELECT count(*) AS n FROM order_items WHERE ticket_id = $1', [a])).toBe(1);
    expect(await n('SELECT count(*) AS n FROM order_items WHERE ticket_id = $1', [c])).toBe(0);
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => r.value.order);
    expect(new Set(ok.map((o) => o.code)).size).toBe(4);
    expect(new Set(ok.map((o) => o.id)).size).toBe(4);
    expect(ok.find((o) => o.ticketIds.length === 2)).toMatchObject({ ticketIds: [d, e], totalCents: 5000, tender: 'card' });
    expect(await n('SELECT count(*) AS n FROM orders')).toBe(5);
    expect(await n('SELECT count(*) AS n FROM payments')).toBe(5);
  });

  it('a price changed while the batch waited for the row: charged the new price; a cash sale it no longer covers is refused alone, its ticket put back, the others commit', async () => {
    const { store, sql, ids, n } = await setup('batch_price');
    const [a, b, c, d] = ids as [number, number, number, number];
    // Another terminal is changing the prices of a and b: the batch's flip waits for its row locks.
    await sql.query('BEGIN');
    await sql.query('UPDATE tickets SET price_cents = 3100 WHERE id = ANY($1)', [[a, b]]);
    const before = store.sellLaneStats()!;
    const pending = together(store, [
      { op: 'sellTicket', id: a },
      { op: 'sellTicket', id: b, tender: { tender: 'cash', tenderedCents: 2500 } },
      { op: 'sellTicket', id: c },
      { op: 'sellTicket', id: d, tender: { tender: 'cash', tenderedCents: 3000 } },
    ]);
    await new Promise((r) => setTimeout(r, 200));
    await sql.query('COMMIT');
    const results = await pending;
    expect(results.map(codeOf)).toEqual(['OK', 'VALIDATION_FAILED', 'OK', 'OK']);
    const after = store.sellLaneStats()!;
    expect(after.batches - before.batches).toBe(1);
    // The read saw the old prices, so the one statement's guard refused and the transaction decided sale by sale.
    expect(after.transaction - before.transaction).toBe(1);
    const [ra, , rc, rd] = results.map((r) => (r.status === 'fulfilled' ? r.value.order : null));
    expect(ra).toMatchObject({ ticketIds: [a], totalCents: 3100 });
    expect(rc).toMatchObject({ ticketIds: [c], totalCents: 2500 });
    expect(rd).toMatchObject({ ticketIds: [d], totalCents: 2500, tender: 'cash', changeDueCents: 500 });
    expect(await n("SELECT count(*) AS n FROM tickets WHERE id = $1 AND status = 'available' AND price_cents = 3100", [b])).toBe(1);
    expect(await n('SELECT price_cents AS n FROM order_items WHERE ticket_id = $1', [a])).toBe(3100);
    expect(await n('SELECT amount_cents AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.code = $1', [ra!.code])).toBe(3100);
    expect(await n('SELECT tendered_cents AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.code = $1', [rd!.code])).toBe(3000);
    expect(await n('SELECT count(*) AS n FROM orders')).toBe(3);
  });

  it('a batch statement that fails falls back to one sale at a time: every caller gets its own answer', async () => {
    const { store, sql, ids, n } = await setup('batch_fault');
    const [a, b, c, d, e] = ids as [number, number, number, number, number];
    await invoke(ctx(store), FULL_ACCESS, 'sellTicket', { id: e });
    // Injected: any statement writing more than one payment fails, i.e. every batch, never a single sale.
    await sql.query(`CREATE FUNCTION test_fail_batches() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM inserted) > 1 THEN RAISE EXCEPTION 'injected batch failure'; END IF;
        RETURN NULL;
      END $$`);
    await sql.query('CREATE TRIGGER test_fail_batches AFTER INSERT ON payments REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION test_fail_batches()');
    const before = store.sellLaneStats()!;
    const results = await together(store, [
      { op: 'sellTicket', id: a },
      { op: 'sellTicket', id: b },
      { op: 'sellTicket', id: b },
      { op: 'sellTicket', id: e },
      { op: 'createOrder', ticketIds: [c, d] },
    ]);
    await sql.query('DROP TRIGGER test_fail_batches ON payments');
    const after = store.sellLaneStats()!;
    expect(after.batches - before.batches).toBe(1);
    expect(after.fellBack - before.fellBack).toBe(1);
    expect(results.map(codeOf).sort()).toEqual(['OK', 'OK', 'OK', 'TICKET_UNAVAILABLE', 'TICKET_UNAVAILABLE']);
    expect(codeOf(results[0]!)).toBe('OK');
    expect(codeOf(results[3]!)).toBe('TICKET_UNAVAILABLE');
    expect(codeOf(results[4]!)).toBe('OK');
    expect([results[1]!, results[2]!].map(codeOf).sort()).toEqual(['OK', 'TICKET_UNAVAILABLE']);
    expect(await n("SELECT count(*) AS n FROM tickets WHERE status = 'sold'")).toBe(5);
    expect(await n('SELECT count(*) AS n FROM orders')).toBe(4);
    expect(await n('SELECT count(*) AS n FROM payments')).toBe(4);
    expect(await n("SELECT count(*) AS n FROM audit_log WHERE operation IN ('sellTicket', 'createOrder')")).toBe(4);
  });

  it('a batch that cannot reach the store is 503 for every sale of it, never run again sale by sale', async () => {
    const { store, sql, ids, n } = await setup('batch_closed');
    const before = store.sellLaneStats()!;
    const pending = together(store, ids.slice(0, 5).map((id) => ({ op: 'sellTicket', id })));
    // Closed before the batch is flushed (next turn of the event loop): the batch meets a store that is gone.
    const closing = store.close();
    const results = await pending;
    await closing;
    expect(results.map(codeOf)).toEqual(Array(5).fill('STORE_UNAVAILABLE'));
    const after = store.sellLaneStats()!;
    expect(after.items - before.items).toBe(5);
    expect(after.batches - before.batches).toBe(1);
    expect(after.fellBack - before.fellBack).toBe(0);
    expect(after.alone - before.alone).toBe(0);
    expect(await n('SELECT count(*) AS n FROM orders')).toBe(0);
    expect(await n("SELECT count(*) AS n FROM tickets WHERE status = 'sold'")).toBe(0);
    void sql;
  });

  it('after batched sales the audit log holds exactly one entry per sale, as a sale alone writes it; order codes are distinct', async () => {
    const { store, sql, ids, n } = await setup('batch_audit', 60);
    // One sale alone first: the entry the per-sale path writes is the reference shape.
    const alone = await invoke(ctx(store), FULL_ACCESS, 'sellTicket', { id: ids[0]! });
    const before = store.sellLaneStats()!;
    const results = await together(
      store,
      ids.slice(1).map((id) => ({ op: 'sellTicket', id })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(store.sellLaneStats()!.batches - before.batches).toBeGreaterThanOrEqual(1);
    const orders = [alone.order, ...results.map((r) => (r as PromiseFulfilledResult<typeof alone>).value.order)];
    expect(new Set(orders.map((o) => o.code)).size).toBe(60);
    expect(await n('SELECT count(DISTINCT code) AS n FROM orders')).toBe(60);

    const entries = (
      await sql.query<{ id: number; operation: string; subject: string; username: string; input_json: string; after_json: string; before_json: string | null }>(
        "SELECT id, operation, subject, username, input_json, after_json, before_json FROM audit_log WHERE operation = 'sellTicket' ORDER BY id",
      )
    ).rows;
    expect(entries).toHaveLength(60);
    const byCode = new Map(entries.map((e) => [e.subject, e]));
    for (const o of orders) {
      const e = byCode.get(`order:${o.code}`)!;
      expect(e).toBeDefined();
      expect(JSON.parse(e.after_json)).toEqual({ order: o });
      expect(JSON.parse(e.input_json)).toEqual({ id: o.ticketIds[0] });
      expect(e.username).toBe('system');
      expect(e.before_json).toBeNull();
    }
    // Within the batch, entries follow the orders: ids ascend together.
    const orderIdOf = new Map(orders.map((o) => [`order:${o.code}`, o.id]));
    const seq = entries.map((e) => orderIdOf.get(e.subject)!);
    expect([...seq].sort((x, y) => x - y)).toEqual(seq);
    // Every order has its line and its payment, for its total.
    expect(await n('SELECT count(*) AS n FROM orders o JOIN payments p ON p.order_id = o.id AND p.amount_cents = o.total_cents')).toBe(60);
    expect(await n('SELECT count(*) AS n FROM (SELECT ticket_id FROM order_items GROUP BY ticket_id HAVING count(*) > 1) x')).toBe(0);
  });
});
