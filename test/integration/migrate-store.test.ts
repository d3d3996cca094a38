import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Migrator } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { OpContext } from '../../electron/core/services/context.js';
import { seedDemoData } from '../../electron/core/seed/demo-data.js';
import { seedDemoUsers } from '../../electron/core/seed/demo-users.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { describeUrl, kyselyOn, createPool } from '../../electron/core/store/postgres/connect.js';
import { migrationProvider as pgMigrations } from '../../electron/core/store/postgres/migrations/index.js';
import { openPgStore } from '../../electron/core/store/postgres/pg-store.js';
import { openStore } from '../../electron/core/store/sqlite/database.js';
import { migrations as sqliteMigrations } from '../../electron/core/store/sqlite/migrations/index.js';
import { migrateStore } from '../../electron/core/store/transfer/migrate-store.js';
import { targetForeignKeys, targetTables } from '../../electron/core/store/transfer/pg-catalog.js';
import { MIGRATION_ROWS } from '../../electron/core/store/transfer/pg-target.js';
import { foreignKeyOrder } from '../../electron/core/store/transfer/table-order.js';
import { TransferError } from '../../electron/core/store/transfer/transfer-error.js';
import { migrateStoreCommand } from '../../electron/cli/migrate-store-command.js';
import { SHARED_DATA } from '../helpers.js';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';

/**
 * marquee migrate-store (issue 15): an embedded store copied into an empty PostgreSQL database, then
 * opened with the normal PostgreSQL store and held to the SQLite one: the same rows, reports and audit
 * log, fresh ids after the copied ones. Refusals change nothing; a mismatch rolls everything back.
 */
const BIN = fileURLToPath(new URL('../../electron/cli/bin.mjs', import.meta.url));
const dirs: string[] = [];
const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'marquee-migrate-'));
  dirs.push(d);
  return d;
};
async function database(prefix = 'migrate') {
  const d = await freshPostgresDatabase(prefix);
  dbs.push(d);
  return d;
}
const ctx = (store: Store): OpContext => ({ store, channel: 'kiosk', version: 'test' });
const run = <T = unknown>(store: Store, name: string, input: unknown) => invoke(ctx(store), FULL_ACCESS, name as never, input) as Promise<T>;

/** Every Marquee table's row count, by plain SQL on either engine. */
async function counts(store: Store): Promise<Record<string, number>> {
  const names = store.engine === 'sqlite'
    ? await store.sql().all<{ t: string }>("SELECT name AS t FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'kysely%' ORDER BY name")
    : await store.sql().all<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely%' ORDER BY table_name");
  const out: Record<string, number> = {};
  for (const { t } of names) out[t] = Number((await store.sql().get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))!.n);
  return out;
}

const REPORT_RANGE = { from: '2026-01-01', to: '2027-12-31' };
async function reports(store: Store) {
  return {
    revenue: await run(store, 'reportRevenue', { ...REPORT_RANGE, granularity: 'month' }),
    events: await run(store, 'reportEventSales', REPORT_RANGE),
    referrals: await run(store, 'reportSalesByReferral', REPORT_RANGE),
  };
}
const auditLog = (store: Store) => run<{ items: unknown[] }>(store, 'listAuditLog', { limit: 500 }).then((r) => r.items);

/**
 * A venue's embedded store with a bit of everything: demo data and staff, sales (cash with change,
 * a customer, a referral), a refund, seat holds, an import batch, partner orders, reports already
 * rolled up once (the rollup tables and watermarks are copied too) and audit entries for it all.
 */
async function sqliteVenue(): Promise<{ file: string; maxOrderId: number; maxAuditId: number }> {
  const file = join(tempDir(), 'marquee.sqlite');
  const store = await openStore({ file });
  try {
    await seedDemoData(store, new Date('2026-11-21T12:00:00Z'));
    await seedDemoUsers(store);
    const gaTickets = await store.sql().all<{ id: number }>(
      "SELECT id FROM tickets WHERE status = 'available' AND chart_seat_id IS NULL ORDER BY id LIMIT 6",
    );
    const ids = gaTickets.map((t) => t.id);
    await run(store, 'sellTicket', { id: ids[0], payment: { tender: 'cash', tenderedCents: 1_000_000 }, customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, referral: 'google' });
    await run(store, 'sellTicket', { id: ids[1] });
    const order = await run<{ order: { code: string } }>(store, 'createOrder', { ticketIds: [ids[2], ids[3]], referral: 'espn' });
    await run(store, 'refundOrder', { code: order.order.code, reason: 'moved to another date' });
    // Text with what COPY must escape (tab, newline, backslash) and more than ASCII.
    const cancelled = await run<{ order: { code: string } }>(store, 'createOrder', { ticketIds: [ids[5]] });
    await run(store, 'cancelOrder', { code: cancelled.order.code, reason: 'moved\tto 東京 \\ "next"\nweek' });
    await reports(store);
    // After the rollup: these are above the copied watermark, folded in by the target's first report.
    await run(store, 'sellTicket', { id: ids[4], payment: { tender: 'card' } });
    const seated = (await store.sql().get<{ event_id: number }>("SELECT event_id FROM tickets WHERE chart_seat_id IS NOT NULL AND status = 'available' ORDER BY id LIMIT 1"))!;
    const seats = await store.sql().all<{ id: number }>("SELECT id FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY id LIMIT 3", [seated.event_id]);
    await run(store, 'holdSeats', { id: seated.event_id, ticketIds: seats.map((s) => s.id), holder: 'window-2', ttlSeconds: 3600 });
    const csv = readFileSync(new URL('sampleTickets.csv', SHARED_DATA), 'utf8').split('\n').slice(0, 21).join('\n');
    await run(store, 'importTickets', { sellerId: 2, csv, fileName: 'first-20.csv' });
    const events = JSON.parse(readFileSync(new URL('test_events.json', SHARED_DATA), 'utf8')) as unknown[];
    await run(store, 'ingestOrderEvents', { channel: 'shop', events });
    const maxOrderId = Number((await store.sql().get<{ m: number }>('SELECT max(id) AS m FROM orders'))!.m);
    const maxAuditId = Number((await store.sql().get<{ m: number }>('SELECT max(id) AS m FROM audit_log'))!.m);
    return { file, maxOrderId, maxAuditId };
  } finally {
    await store.close();
  }
}

/** Row counts and the audit log's last id of a PostgreSQL database, straight from the server. */
async function pgSnapshot(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1")).rows.map((r) => r.t);
    const out: Record<string, string> = {};
    for (const t of tables) out[t] = (await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t}`)).rows[0]!.n;
    return out;
  } finally {
    await c.end();
  }
}

class Sink {
  text = '';
  write(s: string) {
    this.text += s;
    return true;
  }
}
const cli = async (args: { from?: string; to?: string }, internal = {}) => {
  const out = new Sink();
  const err = new Sink();
  const code = await migrateStoreCommand(args, out as unknown as NodeJS.WritableStream, err as unknown as NodeJS.WritableStream, internal);
  return { code, out: out.text, err: err.text };
};

describe('marquee migrate-store', () => {
  let venue: Awaited<ReturnType<typeof sqliteVenue>>;
  // Generous bounds: the seeding and the child processes share two cores with other test runs.
  beforeAll(async () => {
    venue = await sqliteVenue();
  }, 180_000);

  it('copies every table with its ids; the PostgreSQL store then answers like the SQLite one, and new rows get fresh ids', async () => {
    const target = await database();
    const tables: string[] = [];
    const summary = await migrateStore({ from: `sqlite:${venue.file}`, to: target.url, onTable: (t) => tables.push(t) });
    expect(summary.migrated).toBe(true);
    expect(summary.target).toBe(describeUrl(target.url));
    expect(summary.target).not.toContain(new URL(target.url).password);

    // Reports run on a copy of the SQLite file, so the source itself stays as migrated.
    const copy = join(tempDir(), 'copy.sqlite');
    copyFileSync(venue.file, copy);
    const lite = await openStore({ file: copy });
    const pgStore = await openPgStore({ url: target.url, max: 4 });
    try {
      const liteCounts = await counts(lite);
      expect(await counts(pgStore)).toEqual(liteCounts);
      expect(summary.rows).toBe(Object.values(liteCounts).reduce((a, b) => a + b, 0));
      expect(new Set(tables)).toEqual(new Set(Object.keys(liteCounts)));
      for (const t of ['orders', 'order_items', 'payments', 'seat_holds', 'import_batches', 'partner_orders', 'audit_log', 'users', 'chart_seats', 'report_daily']) {
        expect(liteCounts[t], t).toBeGreaterThan(0);
      }
      expect(summary.auditEntries).toBe(liteCounts.audit_log);
      expect((await pgStore.sql().get<{ r: string }>("SELECT cancel_reason AS r FROM orders WHERE status = 'cancelled'"))!.r).toBe('moved\tto 東京 \\ "next"\nweek');

      // Every row, every column: ids, cents, text kept as text ("08"), flags 0/1, floats, NULLs.
      for (const t of ['tickets', 'orders', 'payments', 'audit_log', 'users', 'chart_seats', 'import_batches', 'seat_holds', 'listings']) {
        const order = t === 'seat_holds' ? 'ticket_id' : 'id';
        expect(await pgStore.sql().all(`SELECT * FROM ${t} ORDER BY ${order}`), t).toEqual(await lite.sql().all(`SELECT * FROM ${t} ORDER BY ${order}`));
      }
      expect(await auditLog(pgStore)).toEqual(await auditLog(lite));
      expect(await reports(pgStore)).toEqual(await reports(lite));
      const holds = (s: Store, id: number) => run(s, 'listHolds', { id });
      const heldEvent = (await lite.sql().get<{ e: number }>('SELECT event_id AS e FROM seat_holds LIMIT 1'))!.e;
      expect(await holds(pgStore, heldEvent)).toEqual(await holds(lite, heldEvent));

      // Identities were moved past the copied ids: a sale and its audit entry get the next ones.
      const free = (await pgStore.sql().get<{ id: number }>("SELECT id FROM tickets WHERE status = 'available' AND chart_seat_id IS NULL ORDER BY id LIMIT 1"))!;
      const sale = await run<{ order: { id: number } }>(pgStore, 'sellTicket', { id: free.id });
      expect(sale.order.id).toBe(venue.maxOrderId + 1);
      expect(Number((await pgStore.sql().get<{ m: number }>('SELECT max(id) AS m FROM audit_log'))!.m)).toBe(venue.maxAuditId + 1);
      const v = await run<{ id: number }>(pgStore, 'createVenue', { name: 'New Hall', city: 'Lyon', country: 'FR', timezone: 'Europe/Paris' });
      expect(v.id).toBe(Math.max(...(await lite.sql().all<{ id: number }>('SELECT id FROM venues')).map((r) => Number(r.id))) + 1);
    } finally {
      await pgStore.close();
      await lite.close();
    }
  });

  it('refuses a target that holds data, naming what it found, and changes nothing (exit 2)', async () => {
    const target = await database();
    await migrateStore({ from: `sqlite:${venue.file}`, to: target.url });
    const before = await pgSnapshot(target.url);
    const r = await cli({ from: `sqlite:${venue.file}`, to: target.url });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already holds data \(.*tickets: \d+ rows/);
    expect(r.out).toBe('');
    expect(await pgSnapshot(target.url)).toEqual(before);

    // Another program's tables, or another Marquee version's schema: refused as well.
    const foreign = await database();
    const c = new pg.Client({ connectionString: foreign.url });
    await c.connect();
    await c.query('CREATE TABLE payroll (id int PRIMARY KEY)');
    await c.end();
    const f = await cli({ from: `sqlite:${venue.file}`, to: foreign.url });
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/not empty: .*no Marquee schema/);
    expect(await pgSnapshot(foreign.url)).toEqual({ payroll: '0' });
  });

  it('accepts an empty database with this version’s schema (a terminal started once, nothing sold)', async () => {
    const target = await database();
    const fresh = await openPgStore({ url: target.url, max: 2 });
    await fresh.close();
    const s = await migrateStore({ from: `sqlite:${venue.file}`, to: target.url });
    expect(s.migrated).toBe(false);
    expect(s.rows).toBeGreaterThan(0);
    // The migrations' own rows were replaced by the source's, not doubled.
    expect((await pgSnapshot(target.url)).report_watermarks).toBe('2');
  });

  it('refuses a bad --from: no prefix, a missing file, not a database, not Marquee’s, another schema version (exit 2)', async () => {
    const target = await database();
    const dir = tempDir();
    const notDb = join(dir, 'notes.sqlite');
    writeFileSync(notDb, 'this is not a database, just text that is long enough to have a header'.repeat(10));
    const other = join(dir, 'other.sqlite');
    const o = new SQLite(other);
    o.exec('CREATE TABLE t (x)');
    o.close();
    const older = join(dir, 'older.sqlite');
    const lite = await openStore({ file: older });
    await lite.close();
    const od = new SQLite(older);
    const names = Object.keys(sqliteMigrations).sort();
    od.prepare('DELETE FROM kysely_migration WHERE name = ?').run(names[names.length - 1]);
    od.close();
    const newer = join(dir, 'newer.sqlite');
    copyFileSync(venue.file, newer);
    const nd = new SQLite(newer);
    nd.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('2099-01-01T0000-from-the-future', '2099-01-01')").run();
    nd.close();

    const cases: [string | undefined, RegExp][] = [
      [undefined, /--from wants sqlite:PATH/],
      [venue.file, /--from wants sqlite:PATH/],
      [`sqlite:${join(dir, 'missing.sqlite')}`, /no SQLite store at/],
      [`sqlite:${notDb}`, /not a SQLite database/],
      [`sqlite:${other}`, /not a Marquee store/],
      [`sqlite:${older}`, /older schema .*Open it once with this version/],
      [`sqlite:${newer}`, /newer Marquee .*2099-01-01T0000-from-the-future/],
    ];
    for (const [from, message] of cases) {
      const r = await cli({ from, to: target.url });
      expect(r.code, String(from)).toBe(2);
      expect(r.err, String(from)).toMatch(message);
    }
    expect((await cli({ from: `sqlite:${venue.file}`, to: 'mysql://x@y/z' })).code).toBe(2);
    // Nothing reached the target: not even the schema.
    expect(await pgSnapshot(target.url)).toEqual({});
  });

  it('fails with exit 1 and no password when the server cannot be reached', async () => {
    const r = await cli({ from: `sqlite:${venue.file}`, to: 'postgres://venue:s3cret-pw@127.0.0.1:1/marquee' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Cannot reach the PostgreSQL database at venue@127\.0\.0\.1:1\/marquee/);
    expect(r.err).not.toContain('s3cret-pw');
  });

  it('rolls everything back when the copy does not match the source, and says what differed (exit 1)', async () => {
    const target = await database();
    const r = await cli(
      { from: `sqlite:${venue.file}`, to: target.url },
      {
        beforeVerify: async (c: pg.ClientBase) => {
          await c.query('UPDATE tickets SET price_cents = price_cents + 1 WHERE id = (SELECT min(id) FROM tickets)');
          await c.query("INSERT INTO audit_log (at, operation, input_json) VALUES ('2026-12-04T00:00:00Z', 'forged', '{}')");
        },
      },
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not match the source; it was rolled back/);
    expect(r.err).toMatch(/tickets\.price_cents: sum \d+ in the source, \d+ in the target/);
    expect(r.err).toMatch(/tickets: row checksum/);
    expect(r.err).toMatch(/audit_log: \d+ rows in the source, \d+ in the target/);
    const after = await pgSnapshot(target.url);
    expect(Object.entries(after).filter(([t, n]) => n !== '0' && !(t in MIGRATION_ROWS) && !t.startsWith('kysely'))).toEqual([]);
    // What is left is this version's empty schema, which a second run accepts.
    const again = await cli({ from: `sqlite:${venue.file}`, to: target.url });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Copied .* to PostgreSQL/);
  });

  it('stops at a value PostgreSQL cannot hold, naming the table and column, and rolls back (exit 1)', async () => {
    const file = join(tempDir(), 'nul.sqlite');
    copyFileSync(venue.file, file);
    const raw = new SQLite(file);
    raw.prepare('UPDATE customers SET name = ? WHERE id = (SELECT max(id) FROM customers)').run('Ada\0Nul');
    raw.close();
    const target = await database();
    const r = await cli({ from: `sqlite:${file}`, to: target.url });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/customers\.name holds a NUL character/);
    const after = await pgSnapshot(target.url);
    expect(Object.entries(after).filter(([t, n]) => n !== '0' && !(t in MIGRATION_ROWS) && !t.startsWith('kysely'))).toEqual([]);
  });

  it('gives up, changing nothing, while another session still uses the target (exit 1)', async () => {
    const target = await database();
    await (await openPgStore({ url: target.url, max: 2 })).close();
    const other = new pg.Client({ connectionString: target.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT count(*) FROM tickets');
      const r = await cli({ from: `sqlite:${venue.file}`, to: target.url }, { lockTimeoutMs: 200 });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is in use \(.*lock timeout.*\); stop every terminal and try again/);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
    expect((await pgSnapshot(target.url)).tickets).toBe('0');
  });

  it('copies a store a terminal still has open as one snapshot, its write-ahead log included, and says it was open', async () => {
    const file = join(tempDir(), 'open.sqlite');
    copyFileSync(venue.file, file);
    const live = await openStore({ file });
    try {
      const free = (await live.sql().get<{ id: number }>("SELECT id FROM tickets WHERE status = 'available' ORDER BY id LIMIT 1"))!;
      await run(live, 'sellTicket', { id: free.id });
      const orders = Number((await live.sql().get<{ n: number }>('SELECT count(*) AS n FROM orders'))!.n);
      const target = await database();
      const r = await cli({ from: `sqlite:${file}`, to: target.url });
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/had a write-ahead log; if a terminal was still running, sales after this copy are not in it/);
      expect((await pgSnapshot(target.url)).orders).toBe(String(orders));
    } finally {
      await live.close();
    }
  });

  it('runs end to end as the marquee command, without printing the password', async () => {
    const target = await database();
    const password = decodeURIComponent(new URL(target.url).password);
    expect(password.length).toBeGreaterThan(0);
    const env = { ...process.env, MARQUEE_LOG: '0' };
    const r = spawnSync(process.execPath, [BIN, 'migrate-store', '--from', `sqlite:${venue.file}`, '--to', target.url], { encoding: 'utf8', env, timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Copied .*marquee\.sqlite to PostgreSQL .* \(schema created\):\n {2}\d+ tables, [\d,]+ rows \([\d,]+ audit entries\) in [\d.]+ s\n {2}verified before COMMIT: row counts of \d+ tables, sums of \d+ integer columns, checksums of \d+ tables\n/);
    expect(r.stdout + r.stderr).not.toContain(password);
    const again = spawnSync(process.execPath, [BIN, 'migrate-store', '--from', `sqlite:${venue.file}`, '--to', target.url], { encoding: 'utf8', env, timeout: 120_000 });
    expect(again.status).toBe(2);
    expect(again.stdout + again.stderr).not.toContain(password);
    const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', env });
    expect(help.stdout).toContain('marquee migrate-store --from sqlite:PATH --to postgres://');
  }, 180_000);
});

describe('what migrate-store derives from the schema', () => {
  it('copies parents before children: the order covers every SQLite table and respects both engines’ foreign keys', async () => {
    const d = await database('order');
    const pool = createPool(d.url, { max: 1 });
    const { error } = await new Migrator({ db: kyselyOn(pool), provider: pgMigrations }).migrateToLatest();
    expect(error).toBeUndefined();
    const client = await pool.connect();
    try {
      const tables = await targetTables(client);
      const order = foreignKeyOrder(tables.keys(), await targetForeignKeys(client));
      const store = await openStore({ file: join(tempDir(), 'schema.sqlite') });
      const liteTables = (await store.sql().all<{ t: string }>("SELECT name AS t FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'kysely%'")).map((r) => r.t);
      expect([...order].sort()).toEqual([...liteTables].sort());
      for (const t of liteTables) {
        for (const fk of await store.sql().all<{ table: string }>(`SELECT "table" FROM pragma_foreign_key_list('${t}')`)) {
          if (fk.table !== t) expect(order.indexOf(fk.table), `${fk.table} before ${t}`).toBeLessThan(order.indexOf(t));
        }
      }
      await store.close();

      // A fresh schema's only rows are the ones MIGRATION_ROWS describes (a migration seeding another table must be listed).
      for (const t of order) {
        const n = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t}`)).rows[0]!.n);
        const own = MIGRATION_ROWS[t];
        const theirs = own ? Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t} WHERE ${own}`)).rows[0]!.n) : 0;
        expect(n, t).toBe(theirs);
      }
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('refuses a cycle of foreign keys rather than copying in a wrong order', () => {
    expect(foreignKeyOrder(['a', 'b', 'c'], [{ child: 'b', parent: 'a' }, { child: 'c', parent: 'b' }, { child: 'a', parent: 'a' }])).toEqual(['a', 'b', 'c']);
    expect(() => foreignKeyOrder(['a', 'b'], [{ child: 'a', parent: 'b' }, { child: 'b', parent: 'a' }])).toThrow(/cycle among a, b/);
  });

  it('reports errors as TransferError problems the CLI maps to exit codes', async () => {
    await expect(migrateStore({ from: 'nope', to: 'postgres://x@127.0.0.1:1/db' })).rejects.toMatchObject({ problem: 'usage' });
    await expect(migrateStore({ from: 'nope', to: 'postgres://x@127.0.0.1:1/db' })).rejects.toBeInstanceOf(TransferError);
  });
});
