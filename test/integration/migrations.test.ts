import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrationProvider, migrations } from '../../electron/core/store/sqlite/migrations/index.js';

async function freshDb() {
  const raw = new SQLite(':memory:');
  raw.pragma('foreign_keys = ON');
  return { raw, db: new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) }) };
}

describe('migrations', () => {
  it('are named by timestamp and sorted', () => {
    const names = Object.keys(migrations);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}-[a-z0-9-]+$/);
    expect([...names].sort()).toEqual(names);
  });

  it('each applies from empty, step by step, leaves a consistent schema, and reverts', async () => {
    const { raw, db } = await freshDb();
    const migrator = new Migrator({ db, provider: migrationProvider });
    for (const name of Object.keys(migrations)) {
      const { error, results } = await migrator.migrateUp();
      expect(error).toBeUndefined();
      expect(results?.[0]?.migrationName).toBe(name);
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    }
    const tables = raw.prepare(`SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%'`).all() as { name: string; sql: string }[];
    for (const t of tables) expect(t.sql, `${t.name} is STRICT`).toMatch(/STRICT\s*$/);
    for (let i = Object.keys(migrations).length; i > 0; i--) {
      const { error } = await migrator.migrateDown();
      expect(error).toBeUndefined();
    }
    const left = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%'`.execute(db);
    expect(left.rows[0]!.n).toBe(0);
    await db.destroy();
  });

  it('the schema refuses impossible states', async () => {
    const { raw, db } = await freshDb();
    await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    const now = '2026-11-21T00:00:00.000Z';
    raw.prepare(`INSERT INTO venues (id,name,city,country,timezone,created_at) VALUES (1,'V','C','US','UTC',?)`).run(now);
    raw.prepare(`INSERT INTO events (id,name,venue_id,starts_at,starts_at_utc,local_date,status,created_at,updated_at) VALUES (1,'E',1,'2026-12-01T19:00:00+00:00','2026-12-01T19:00:00.000Z','2026-12-01','on_sale',?,?)`).run(now, now);
    raw.prepare(`INSERT INTO sellers (id,name,created_at) VALUES (1,'S',?)`).run(now);
    const listing = `INSERT INTO listings (id,event_id,seller_id,section,row,quantity,price_cents,currency,source,created_at) VALUES (?,1,1,'A','1',1,?,'USD','ui',?)`;
    expect(() => raw.prepare(listing).run(1, -100, now)).toThrow(/CHECK/);
    expect(() => raw.prepare(listing).run(1, 1.5, now)).toThrow();
    raw.prepare(listing).run(1, 100, now);
    raw.prepare(`INSERT INTO tickets (id,listing_id,event_id,seller_id,section,row,price_cents,currency,updated_at) VALUES (1,1,1,1,'A','1',100,'USD',?)`).run(now);
    expect(() => raw.prepare(`UPDATE tickets SET status='gone' WHERE id=1`).run()).toThrow(/CHECK/);
    const order = `INSERT INTO orders (id,code,channel,total_cents,currency,created_at) VALUES (?,?,'kiosk',100,'USD',?)`;
    raw.prepare(order).run(1, 'MQ-1', now);
    raw.prepare(order).run(2, 'MQ-2', now);
    raw.prepare(`INSERT INTO order_items (order_id,ticket_id,price_cents) VALUES (1,1,100)`).run();
    expect(() => raw.prepare(`INSERT INTO order_items (order_id,ticket_id,price_cents) VALUES (2,1,100)`).run()).toThrow(/UNIQUE/);
    expect(() => raw.prepare(`INSERT INTO payments (order_id,tender,amount_cents,created_at) VALUES (1,'comp',100,?)`).run(now)).toThrow(/CHECK/);
    expect(() => raw.prepare(`INSERT INTO payments (order_id,tender,amount_cents,tendered_cents,change_cents,created_at) VALUES (1,'cash',100,50,-50,?)`).run(now)).toThrow(/CHECK/);
    expect(() => raw.prepare(`INSERT INTO order_items (order_id,ticket_id,price_cents) VALUES (1,999,100)`).run()).toThrow(/FOREIGN KEY/);
    await db.destroy();
  });

  it('sale-path indexes: walk-in orders add no customer index entry, and lookups by customer still use an index', async () => {
    const { raw, db } = await freshDb();
    const migrator = new Migrator({ db, provider: migrationProvider });
    await migrator.migrateTo('2026-11-21T0640-seating');
    const indexes = () => (raw.prepare(`SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='orders'`).pluck().all() as string[]).sort();
    expect(indexes()).toContain('orders_by_customer');
    await migrator.migrateTo('2026-11-21T0700-sale-path-indexes');
    expect(indexes()).not.toContain('orders_by_customer');
    const plan = (q: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${q}`).all(1) as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan('SELECT id FROM orders WHERE customer_id = ?')).toMatch(/USING (COVERING )?INDEX orders_by_customer_report/);
    const now = '2026-11-21T00:00:00.000Z';
    raw.prepare(`INSERT INTO customers (id,name,created_at) VALUES (1,'C',?)`).run(now);
    raw.prepare(`INSERT INTO orders (id,code,customer_id,channel,total_cents,currency,created_at) VALUES (1,'MQ-1',1,'kiosk',100,'USD',?)`).run(now);
    raw.prepare(`INSERT INTO orders (id,code,channel,total_cents,currency,created_at) VALUES (2,'MQ-2','kiosk',100,'USD',?)`).run(now);
    // the foreign key still finds the customer's order through the partial index
    expect(() => raw.prepare('DELETE FROM customers WHERE id = 1').run()).toThrow(/FOREIGN KEY/);
    await migrator.migrateDown();
    expect(indexes()).toContain('orders_by_customer');
    await db.destroy();
  });

  it('door check-ins: a door role (users rebuilt with every row and reference kept), one live check-in per ticket, no way back while door accounts exist', async () => {
    const { raw, db } = await freshDb();
    const migrator = new Migrator({ db, provider: migrationProvider });
    await migrator.migrateTo('2026-12-03T1100-auth-notify');
    const now = '2026-11-21T00:00:00.000Z';
    const user = raw.prepare(`INSERT INTO users (username, display_name, role, pin_hash, created_at, updated_at) VALUES (?, ?, ?, 'h', ?, ?)`);
    expect(() => user.run('gate', 'Gate', 'door', now, now)).toThrow(/CHECK/);
    user.run('ada', 'Ada', 'admin', now, now);
    raw.prepare(`INSERT INTO api_tokens (user_id, name, token_sha256, prefix, created_at) VALUES (1, 't', ?, 'p', ?)`).run('a'.repeat(64), now);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    expect(raw.prepare('SELECT username, role FROM users').all()).toEqual([{ username: 'ada', role: 'admin' }]);
    // api_tokens still references the rebuilt users table.
    expect(() => raw.prepare(`INSERT INTO api_tokens (user_id, name, token_sha256, prefix, created_at) VALUES (99, 't', ?, 'p', ?)`).run('b'.repeat(64), now)).toThrow(/FOREIGN KEY/);
    user.run('gate', 'Gate', 'door', now, now);
    expect(() => user.run('root', 'Root', 'root', now, now)).toThrow(/CHECK/);
    raw.prepare(`INSERT INTO venues (id,name,city,country,timezone,created_at) VALUES (1,'V','C','US','UTC',?)`).run(now);
    raw.prepare(`INSERT INTO events (id,name,venue_id,starts_at,starts_at_utc,local_date,status,created_at,updated_at) VALUES (1,'E',1,'2026-12-01T19:00:00+00:00','2026-12-01T19:00:00.000Z','2026-12-01','on_sale',?,?)`).run(now, now);
    raw.prepare(`INSERT INTO sellers (id,name,created_at) VALUES (1,'S',?)`).run(now);
    raw.prepare(`INSERT INTO listings (id,event_id,seller_id,section,row,quantity,price_cents,currency,source,created_at) VALUES (1,1,1,'A','1',1,100,'USD','ui',?)`).run(now);
    raw.prepare(`INSERT INTO tickets (id,listing_id,event_id,seller_id,section,row,price_cents,currency,updated_at) VALUES (1,1,1,1,'A','1',100,'USD',?)`).run(now);
    raw.prepare(`INSERT INTO orders (id,code,channel,total_cents,currency,created_at) VALUES (1,'MQ-1','kiosk',100,'USD',?)`).run(now);
    raw.prepare(`INSERT INTO order_items (order_id,ticket_id,price_cents) VALUES (1,1,100)`).run();
    const checkIn = raw.prepare(`INSERT INTO check_ins (ticket_id, event_id, order_item_id, at, door) VALUES (1, 1, 1, ?, ?)`);
    checkIn.run(now, 'Door 1');
    expect(() => checkIn.run(now, 'Door 2')).toThrow(/UNIQUE/);
    expect(() => raw.prepare(`UPDATE check_ins SET undone_at = ?`).run(now)).toThrow(/CHECK/);
    raw.prepare(`UPDATE check_ins SET undone_at = ?, undone_by = 'ada'`).run(now);
    checkIn.run(now, 'Door 2');
    expect(() => raw.prepare(`INSERT INTO ticket_code_secret (id, secret, created_at) VALUES (2, ?, ?)`).run('a'.repeat(43), now)).toThrow(/CHECK/);
    // Down refuses (and changes nothing) while a door account exists.
    expect((await migrator.migrateDown()).error).toBeDefined();
    expect(raw.prepare(`SELECT count(*) AS n FROM check_ins`).get()).toEqual({ n: 2 });
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    raw.prepare(`DELETE FROM users WHERE role = 'door'`).run();
    expect((await migrator.migrateDown()).error).toBeUndefined();
    expect(() => user.run('gate', 'Gate', 'door', now, now)).toThrow(/CHECK/);
    expect(raw.prepare('SELECT username FROM users').pluck().all()).toEqual(['ada']);
    await db.destroy();
  });
});
