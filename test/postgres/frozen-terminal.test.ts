import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../electron/core/auth/callers.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { openPgStore, type PgStore } from '../../electron/core/store/postgres/pg-store.js';
import { value } from '../support/db.js';
import { eventWithTickets } from '../support/stock.js';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';
import { kioskCtx, startServer, TEST_TOKEN, type TestServer } from '../helpers.js';

/**
 * A terminal that froze in the middle of a sale (a closed laptop lid, a paused VM, a pulled cable
 * with no reset) keeps its row locks until the server notices, which with TCP keepalive can take
 * hours. The other terminals wait for those rows at most lock_timeout (connect.ts; shortened here),
 * answer 409 CONFLICT, retryable, for the seats it holds, sell every other seat meanwhile, and sell
 * the held ones once it is gone. Before, they hung with it.
 */
describe('a terminal frozen mid-transaction does not freeze the others', () => {
  let db: TestDatabase;
  let store: PgStore;
  let server: TestServer;
  let frozen: pg.Client;
  let ids: number[];
  beforeAll(async () => {
    db = await freshPostgresDatabase('frozen');
    store = await openPgStore({ url: db.url, max: 6, lockTimeoutMs: 300 });
    await ensureAdmin(store, TEST_TOKEN);
    server = await startServer(store);
    ids = (await eventWithTickets(store, 8, { name: 'Freeze' })).ticketIds;
    // The frozen terminal: its sale of ids[0] took the row lock and then nothing more happened.
    frozen = new pg.Client({ connectionString: db.url });
    frozen.on('error', () => undefined);
    await frozen.connect();
    await frozen.query('BEGIN');
    await frozen.query("UPDATE tickets SET status = 'sold' WHERE id = $1 AND status = 'available'", [ids[0]]);
  });
  afterAll(async () => {
    await frozen?.end().catch(() => undefined);
    await server?.close();
    await store?.close();
    await db?.drop();
  });

  it('a sale of a seat it holds is 409 CONFLICT, retryable, at the kiosk and over HTTP; nothing of it is written', async () => {
    const orders = await value<number>(store, 'SELECT count(*) FROM orders');
    await expect(kiosk('sellTicket', { id: ids[0]! })).rejects.toMatchObject({ code: 'CONFLICT', details: { retryable: true } });
    const r = await server.api(`/api/v1/tickets/${ids[0]}/sold`, { method: 'PUT' });
    expect(r.status).toBe(409);
    const body = (await r.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Another terminal'), details: { retryable: true } });
    expect(await value<number>(store, 'SELECT count(*) FROM orders')).toBe(orders);
  });

  it('sales arriving together with one for its seat: the others are sold (the batch is not held up for good), that one is refused', async () => {
    const answers = await Promise.all(ids.slice(0, 6).map((id) => server.api(`/api/v1/tickets/${id}/sold`, { method: 'PUT' }).then((r) => r.status)));
    expect(answers).toEqual([409, 200, 200, 200, 200, 200]);
    // A hold of one of its seats is refused the same way; a hold of another seat goes through.
    await expect(kiosk('holdSeats', { id: await eventOf(ids[0]!), ticketIds: [ids[0]!], holder: 'window-3' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('once the frozen terminal is gone its seat sells, exactly once', async () => {
    await frozen.query('ROLLBACK');
    const sold = await invoke(kioskCtx(store), FULL_ACCESS, 'sellTicket', { id: ids[0]! });
    expect(sold.order.ticketIds).toEqual([ids[0]]);
    expect(await value<number>(store, "SELECT count(*) FROM tickets WHERE status = 'sold'")).toBe(6);
    expect(await value<number>(store, 'SELECT count(*) FROM order_items')).toBe(6);
  });

  it('every connection of a terminal waits at most lock_timeout: 5 s unless told otherwise', async () => {
    expect(await value<string>(store, "SELECT current_setting('lock_timeout') AS t")).toBe('300ms');
    const other = await openPgStore({ url: db.url, max: 2 });
    try {
      expect(await value<string>(other, "SELECT current_setting('lock_timeout') AS t")).toBe('5s');
    } finally {
      await other.close();
    }
  });

  // As the IPC bridge answers (host/answer.ts): the store names its engine's errors.
  const kiosk = (name: 'sellTicket' | 'holdSeats', input: Record<string, unknown>) =>
    invoke(kioskCtx(store), FULL_ACCESS, name, input).catch((e: unknown) => Promise.reject(store.describeError(e) ?? e));
  const eventOf = (id: number) => value<number>(store, 'SELECT event_id FROM tickets WHERE id = ?', [id]);
});

describe('a Marquee terminal frozen inside its own sale transaction', () => {
  let db: TestDatabase;
  let victim: PgStore;
  let healthy: PgStore;
  const original = pg.Client.prototype.query;
  beforeAll(async () => {
    db = await freshPostgresDatabase('frozen_tx');
    healthy = await openPgStore({ url: db.url, max: 4 });
    victim = await openPgStore({ url: db.url, max: 4, applicationName: 'victim', idleInTransactionMs: 500 });
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await victim?.close();
    await healthy?.close();
    await db?.drop();
  });

  it('is ended by the server once idle: its locks go, another terminal sells the seat, and the frozen sale is not confirmed', async () => {
    const ctx = kioskCtx(healthy);
    const [ticket] = (await eventWithTickets(healthy, 1, { name: 'Thaw' })).ticketIds;

    // The victim's next statement after its guarded UPDATE (the order's) is held back: the process froze
    // with the ticket's row locked, inside the transaction.
    let reached!: () => void;
    const atFreeze = new Promise<void>((r) => (reached = r));
    let thaw!: () => void;
    const thawed = new Promise<void>((r) => (thaw = r));
    let armed = true;
    pg.Client.prototype.query = function (this: pg.Client & { connectionParameters: { application_name?: string } }, config: unknown, ...rest: unknown[]) {
      const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
      if (armed && rest.length === 0 && this.connectionParameters.application_name === 'victim' && text?.includes('INSERT INTO orders')) {
        armed = false;
        reached();
        return thawed.then(() => (original as (...a: unknown[]) => unknown).call(this, config));
      }
      return (original as (...a: unknown[]) => unknown).call(this, config, ...rest);
    } as typeof original;

    const frozenSale = invoke(kioskCtx(victim), FULL_ACCESS, 'createOrder', { ticketIds: [ticket!], idempotencyKey: 'frozen-1' }).then(
      () => 'confirmed',
      (err: unknown) => (victim.describeError(err) ?? err) as { code?: string },
    );
    await atFreeze;
    // The other terminal waits on the row (at most lock_timeout), gets it when the server ends the victim's session, and sells.
    const sold = await invoke(ctx, FULL_ACCESS, 'sellTicket', { id: ticket! });
    expect(sold.order.ticketIds).toEqual([ticket]);
    thaw();
    // The frozen terminal comes back to a closed session: its sale is not confirmed (resend with the same key to learn more).
    expect(await frozenSale).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await value<number>(healthy, 'SELECT count(*) FROM order_items WHERE ticket_id = ?', [ticket])).toBe(1);
    expect(await value<number>(healthy, "SELECT count(*) FROM idempotency_keys WHERE key = 'frozen-1'")).toBe(0);
    // The victim reconnects by itself and sells again.
    await expect.poll(() => victim.health().up, { timeout: 10_000 }).toBe(true);
    const again = await invoke(kioskCtx(victim), FULL_ACCESS, 'createOrder', { ticketIds: [ticket!], idempotencyKey: 'frozen-1' }).catch((err: unknown) => victim.describeError(err) ?? err);
    expect(again).toMatchObject({ code: 'TICKET_UNAVAILABLE' });
  });
});
