import { Kysely, Migrator } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { invoke, FULL_ACCESS } from '../../electron/core/services/dispatch.js';
import type { OpContext } from '../../electron/core/services/context.js';
import { createPool, kyselyOn } from '../../electron/core/store/postgres/connect.js';
import { migrationProvider } from '../../electron/core/store/postgres/migrations/index.js';
import { openPgStore, PgStore, StoreOpenError } from '../../electron/core/store/postgres/pg-store.js';
import type { SeatChange } from '../../electron/core/store/contract/shapes.js';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';
import { value } from '../support/db.js';
import { eventWithTickets } from '../support/stock.js';

/** The PostgreSQL engine's own promises: durability, schema version, the shared feed and caller version. */
const dbs: TestDatabase[] = [];
const stores: PgStore[] = [];
async function database(prefix: string) {
  const d = await freshPostgresDatabase(prefix);
  dbs.push(d);
  return d;
}
async function open(url: string) {
  const s = await openPgStore({ url, max: 4 });
  stores.push(s);
  return s;
}
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const d of dbs) await d.drop();
});

const ctx = (store: PgStore): OpContext => ({ store, channel: 'kiosk', version: 'test' });


const until = async (cond: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe('PostgreSQL store', () => {
  it('commits only under a durable synchronous_commit, even where the database default is off', async () => {
    const d = await database('durable');
    const admin = new pg.Client({ connectionString: d.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${d.name} SET synchronous_commit = off`);
    await admin.end();
    const store = await open(d.url);
    const seen: number[] = [];
    store.onCommit = (info) => seen.push(info.synchronous);
    const inside = await store.write(async (trx) => (await store.sql(trx).get<{ s: string }>("SELECT current_setting('synchronous_commit') AS s"))!.s);
    expect(inside).toBe('on');
    const { ticketIds } = await eventWithTickets(store, 1);
    await invoke(ctx(store), FULL_ACCESS, 'sellTicket', { id: ticketIds[0]! });
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([2]));
  });

  it('creates the schema in an empty database; refuses one at an older or newer schema with a clear message', async () => {
    const older = await database('older');
    const pool = createPool(older.url, { max: 1 });
    const db: Kysely<unknown> = kyselyOn(pool) as unknown as Kysely<unknown>;
    const names = Object.keys(await migrationProvider.getMigrations()).sort();
    await new Migrator({ db, provider: migrationProvider }).migrateTo(names[names.length - 2]!);
    await db.destroy();
    await expect(openPgStore({ url: older.url })).rejects.toThrow(StoreOpenError);
    await expect(openPgStore({ url: older.url })).rejects.toThrow(/older schema.*upgrade-store/);
    // Upgrading is explicit, from one terminal.
    stores.push(await openPgStore({ url: older.url, migrate: 'upgrade' }));

    const newer = await database('newer');
    const s = await open(newer.url);
    await s.write((trx) => s.sql(trx).run("INSERT INTO kysely_migration (name, timestamp) VALUES ('2099-01-01T0000-from-the-future', '2099-01-01')"));
    await expect(openPgStore({ url: newer.url })).rejects.toThrow(/newer schema/);
  });

  it('a terminal that cannot reach the server refuses to open, saying so without the password', async () => {
    const d = await database('nowhere');
    const url = new URL(d.url);
    url.port = '1';
    const err = await openPgStore({ url: url.toString() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOpenError);
    expect(String((err as Error).message)).toMatch(/Cannot reach the shared database at .*127\.0\.0\.1:1/);
    expect(String((err as Error).message)).not.toContain(url.password);
  });

  it('a seat held at one terminal reaches the other terminal’s subscribers through LISTEN/NOTIFY; a sale does too', async () => {
    const d = await database('feed');
    const a = await open(d.url);
    const b = await open(d.url);
    expect(await until(() => a.feed.linked && b.feed.linked)).toBe(true);
    const { eventId, ticketIds } = await eventWithTickets(a, 3);
    const heard: SeatChange[] = [];
    const stop = b.feed.subscribe((c) => heard.push(c), eventId);
    a.feed.publish({ eventId, ticketIds: [ticketIds[0]!], status: 'held', holder: 'door-2', expiresAt: null });
    expect(await until(() => heard.some((c) => c.status === 'held'))).toBe(true);
    await invoke(ctx(a), FULL_ACCESS, 'sellTicket', { id: ticketIds[1]! });
    expect(await until(() => heard.some((c) => c.status === 'sold'))).toBe(true);
    expect(heard.find((c) => c.status === 'sold')).toMatchObject({ eventId, ticketIds: [ticketIds[1]], status: 'sold' });
    stop();
  });

  it('a token revoked at one terminal moves the caller version at the other', async () => {
    const d = await database('auth');
    const a = await open(d.url);
    const b = await open(d.url);
    expect(await until(() => a.auth.version() !== null && b.auth.version() !== null)).toBe(true);
    const before = b.auth.version()!;
    await a.write((trx) => a.sql(trx).run("INSERT INTO users (username, display_name, role, active, password_hash, created_at, updated_at) VALUES ('boss2', 'Boss 2', 'admin', 1, 'scrypt$x', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')"));
    expect(await until(() => b.auth.version()! > before)).toBe(true);
  });

  it('two terminals selling the same tickets at once: each sold once, the losers refused with 409-style TICKET_UNAVAILABLE', async () => {
    const d = await database('race');
    const a = await open(d.url);
    const b = await open(d.url);
    const { ticketIds } = await eventWithTickets(a, 20);
    const attempts = ticketIds.flatMap((id, i) => [a, b, a, b].map((s, k) => ({ s, ids: [id, ticketIds[(i + k + 1) % ticketIds.length]!] })));
    const results = await Promise.allSettled(attempts.map(({ s, ids }) => invoke(ctx(s), FULL_ACCESS, 'createOrder', { ticketIds: ids })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.every((r) => ['TICKET_UNAVAILABLE', 'CONFLICT'].includes((r as PromiseRejectedResult).reason.code))).toBe(true);
    const sold = ok.flatMap((r) => (r as PromiseFulfilledResult<{ order: { ticketIds: number[] } }>).value.order.ticketIds);
    expect(new Set(sold).size).toBe(sold.length);
    expect(await value(a, "SELECT count(*) FROM tickets WHERE status = 'sold'")).toBe(sold.length);
    expect(await value(a, 'SELECT count(*) FROM order_items WHERE voided_at IS NULL')).toBe(sold.length);
    // Every sale wrote its audit entry in its own transaction; refused ones wrote none.
    expect(await value(a, "SELECT count(*) FROM audit_log WHERE operation = 'createOrder'")).toBe(ok.length);
  });

  it('a deadlock between two terminals is retried, not surfaced: both writes commit', async () => {
    const d = await database('deadlock');
    const a = await open(d.url);
    const b = await open(d.url);
    const { ticketIds } = await eventWithTickets(a, 2);
    const [x, y] = ticketIds as [number, number];
    let runs = 0;
    const both = (s: PgStore, first: number, second: number) =>
      s.write(async (trx) => {
        runs++;
        const sql = s.sql(trx);
        await sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', [`first-${first}`, first]);
        await new Promise((r) => setTimeout(r, 150));
        await sql.run('UPDATE tickets SET updated_at = ? WHERE id = ?', [`second-${second}`, second]);
        return first;
      });
    const results = await Promise.allSettled([both(a, x, y), both(b, y, x)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(runs).toBeGreaterThan(2);
  });
});
