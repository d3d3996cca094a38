import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../electron/core/auth/callers.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { poolSizes } from '../../electron/core/store/postgres/connect.js';
import { openPgStore, type PgStore } from '../../electron/core/store/postgres/pg-store.js';
import pg from 'pg';
import { value } from '../support/db.js';
import { eventWithTickets } from '../support/stock.js';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';
import { kioskCtx, startServer, TEST_TOKEN, type TestServer } from '../helpers.js';

/**
 * A terminal's connections are split into reads and writes (connect.ts poolSizes): however many
 * slow reads this terminal has open (a manager's reports, CSV exports, an HTTP client holding every
 * one), a walk-in sale, at the kiosk or over the API, gets a connection at once. With one pool, the
 * sale waited for a read to finish, and was refused 429 after the pool's 5-second wait.
 */
describe('poolSizes', () => {
  it('gives writes two fifths of the total, at least one each, and keeps the total', () => {
    expect(poolSizes()).toEqual({ reads: 6, writes: 4 });
    expect(poolSizes(10)).toEqual({ reads: 6, writes: 4 });
    expect(poolSizes(8)).toEqual({ reads: 5, writes: 3 });
    expect(poolSizes(4)).toEqual({ reads: 3, writes: 1 });
    expect(poolSizes(2)).toEqual({ reads: 1, writes: 1 });
    expect(poolSizes(1)).toEqual({ reads: 1, writes: 1 });
  });
});

describe('slow reads never hold up a sale', () => {
  let db: TestDatabase;
  let store: PgStore;
  let server: TestServer;
  let ticketIds: number[];
  let eventId: number;
  beforeAll(async () => {
    db = await freshPostgresDatabase('pools');
    store = await openPgStore({ url: db.url, max: 10, applicationName: 'pools-test' });
    await ensureAdmin(store, TEST_TOKEN);
    server = await startServer(store);
    ({ eventId, ticketIds } = await eventWithTickets(store, 4));
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await db?.drop();
  });

  it('with every read connection busy, a kiosk sale and an HTTP sale both go through before any read ends', async () => {
    const { reads } = poolSizes(10);
    let readsDone = 0;
    // One more read than the pool holds: the last one waits for a connection, as a real rush of reports would.
    const slow = Array.from({ length: reads + 1 }, () => store.sql().get('SELECT pg_sleep(3) AS slept').then(() => readsDone++));
    // Every read connection is taken: seen from the server (on a connection of the test's own), by the pool's application name.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const adminSees = async () =>
      (await admin.query<{ a: string }>("SELECT application_name AS a FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND state = 'active'")).rows.map((r) => r.a);
    await expect.poll(async () => (await adminSees()).length, { timeout: 3_000, interval: 20 }).toBe(reads);
    expect(new Set(await adminSees())).toEqual(new Set(['pools-test reads']));
    await admin.end();

    const kiosk = await invoke(kioskCtx(store), FULL_ACCESS, 'sellTicket', { id: ticketIds[0]!, payment: { tender: 'cash', tenderedCents: 3000 } });
    expect(kiosk.order.changeDueCents).toBe(500);
    const r = await server.api(`/api/v1/tickets/${ticketIds[1]}/sold`, { method: 'PUT' });
    expect(r.status).toBe(200);
    // A hold is a write too.
    const held = await invoke(kioskCtx(store), FULL_ACCESS, 'reserveTickets', { id: eventId, quantity: 1, holder: 'window-2' });
    expect(held.eventId).toBe(eventId);
    expect(readsDone).toBe(0);

    await Promise.all(slow);
    expect(readsDone).toBe(reads + 1);
    expect(await value(store, "SELECT count(*) FROM tickets WHERE status = 'sold'")).toBe(2);
  });
});
