import { Kysely, Migrator, NO_MIGRATIONS, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider, migrations } from '../../electron/core/store/postgres/migrations/index.js';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres-database.js';
import { sqliteCatalog, type SqliteCatalog } from '../support/sqlite-catalog.js';

// bigint comes back as a string from node-postgres unless told otherwise; these tests compare numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

interface Migrated {
  db: Kysely<unknown>;
  pool: pg.Pool;
  migrator: Migrator;
  q: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
}

const opened: { database: TestDatabase; db: Kysely<unknown> }[] = [];

/** A fresh, empty database on the shared server, with a Migrator over PostgresDialect. */
async function freshDatabase(): Promise<Migrated> {
  const database = await freshPostgresDatabase('migr');
  const pool = new pg.Pool({ connectionString: database.url, max: 2, types });
  pool.on('error', () => {});
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  opened.push({ database, db });
  return {
    db,
    pool,
    migrator: new Migrator({ db, provider: migrationProvider }),
    q: async (text, params) => (await pool.query(text, params)).rows,
  };
}

async function migrated(): Promise<Migrated> {
  const m = await freshDatabase();
  const { error } = await m.migrator.migrateToLatest();
  if (error) throw error;
  return m;
}

afterEach(async () => {
  for (const { database, db } of opened.splice(0)) {
    await db.destroy();
    await database.drop();
  }
});

type PgError = Error & { code?: string; constraint?: string };

/** The error the statement fails with (the test fails if it succeeds). */
async function failure(m: Migrated, text: string, params?: unknown[]): Promise<PgError> {
  try {
    await m.pool.query(text, params);
  } catch (err) {
    return err as PgError;
  }
  throw new Error(`expected to fail: ${text}`);
}

const NOW = '2026-11-21T00:00:00.000Z';

/** One venue, event, seller, listing (2 tickets), order (id 1, day 2026-11-21) with its item and payment. */
async function base(m: Migrated): Promise<void> {
  await m.q(`INSERT INTO venues (id, name, city, country, timezone, created_at) VALUES (1, 'V', 'C', 'US', 'UTC', $1)`, [NOW]);
  await m.q(
    `INSERT INTO events (id, name, venue_id, starts_at, starts_at_utc, local_date, status, created_at, updated_at)
     VALUES (1, 'E', 1, '2026-12-01T19:00:00+00:00', '2026-12-01T19:00:00.000Z', '2026-12-01', 'on_sale', $1, $1)`,
    [NOW],
  );
  await m.q(`INSERT INTO sellers (id, name, created_at) VALUES (1, 'S', $1)`, [NOW]);
  await m.q(`INSERT INTO listings (id, event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at) VALUES (1, 1, 1, 'A', '1', 2, 100, 'USD', 'ui', $1)`, [NOW]);
  for (const id of [1, 2]) {
    await m.q(`INSERT INTO tickets (id, listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at) VALUES ($1, 1, 1, 1, 'A', '1', $2, 100, 'USD', $3)`, [id, String(id), NOW]);
  }
  await m.q(`INSERT INTO orders (id, code, channel, total_cents, currency, created_at) VALUES (1, 'MQ-1', 'kiosk', 100, 'USD', '2026-11-21T10:00:00.000Z')`);
  await m.q(`INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (1, 1, 100)`);
  await m.q(`INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES (1, 'card', 100, $1)`, [NOW]);
}

interface PgCatalog {
  columns: { table: string; name: string; type: string; nullable: boolean; default: string | null; identity: boolean; position: number }[];
  primaryKeys: { table: string; column: string; position: number }[];
  indexes: { name: string; table: string; def: string }[];
  uniques: { table: string; columns: string[] }[];
  foreignKeys: { table: string; from: string; refTable: string; to: string }[];
  checks: { table: string; n: number }[];
  triggers: { name: string; table: string }[];
  functions: string[];
}

async function postgresCatalog(m: Migrated): Promise<PgCatalog> {
  const columns = await m.q<{ table: string; name: string; type: string; nullable: string; default: string | null; identity: string; position: number }>(
    `SELECT table_name AS "table", column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS "default",
            is_identity AS identity, ordinal_position::int AS position
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
      ORDER BY table_name, ordinal_position`,
  );
  return {
    columns: columns.map((c) => ({ ...c, nullable: c.nullable === 'YES', identity: c.identity === 'YES' })),
    primaryKeys: await m.q(
      `SELECT tc.table_name AS "table", kcu.column_name AS "column", kcu.ordinal_position::int AS position
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name, table_name)
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' AND tc.table_name NOT LIKE 'kysely_%'`,
    ),
    // Indexes behind constraints (primary keys, UNIQUE) carry the constraint's name.
    indexes: await m.q(
      `SELECT indexname AS name, tablename AS "table", indexdef AS def FROM pg_indexes
        WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))`,
    ),
    uniques: await m.q(
      `SELECT c.conrelid::regclass::text AS "table",
              array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns
         FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
        WHERE s.nspname = 'public' AND c.contype = 'u'`,
    ),
    foreignKeys: await m.q(
      `SELECT c.conrelid::regclass::text AS "table", a.attname AS "from", c.confrelid::regclass::text AS "refTable", r.attname AS "to"
         FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
        WHERE s.nspname = 'public' AND c.contype = 'f'`,
    ),
    checks: await m.q(
      `SELECT c.conrelid::regclass::text AS "table", count(*)::int AS n
         FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
        WHERE s.nspname = 'public' AND c.contype = 'c' GROUP BY 1`,
    ),
    triggers: await m.q(`SELECT tgname AS name, tgrelid::regclass::text AS "table" FROM pg_trigger WHERE NOT tgisinternal`),
    functions: (await m.q<{ name: string }>(
      `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = 'public' ORDER BY 1`,
    )).map((r) => r.name),
  };
}

const byName = <T extends { table: string; name?: string }>(a: T, b: T) => `${a.table}.${a.name ?? ''}`.localeCompare(`${b.table}.${b.name ?? ''}`);
const sortedStrings = (xs: string[]) => [...xs].sort();

/** 0/1 flags are declared `INTEGER … CHECK (x IN (0,1))` in SQLite and stay `integer` in PostgreSQL. */
function isFlag(tableSql: string, column: string): boolean {
  return new RegExp(`\\b${column}\\s+INTEGER\\b[^,]*CHECK \\(${column} IN \\(0, ?1\\)\\)`, 'i').test(tableSql);
}

/** Column list and predicate of a CREATE INDEX, in a form both engines' texts reduce to. */
function indexShape(def: string): { unique: boolean; columns: string; where: string | null } {
  const unique = /^CREATE UNIQUE INDEX/i.test(def);
  const on = def.replace(/\s+/g, ' ').replace(/ USING btree/i, '');
  const m = /\bON \S+ \((.*?)\)(?: WHERE (.*))?$/i.exec(on);
  if (!m) throw new Error(`cannot read index definition ${def}`);
  const norm = (s: string) => s.replace(/[()]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
  return { unique, columns: norm(m[1]!), where: m[2] === undefined ? null : norm(m[2]) };
}

describe('PostgreSQL migrations', () => {
  let sqlite: SqliteCatalog;
  beforeAll(async () => {
    sqlite = await sqliteCatalog();
  });

  it('are the SQLite migrations under the same names, in the same order, each with up and down', () => {
    expect(Object.keys(migrations)).toEqual(sqlite.migrationNames);
    expect([...Object.keys(migrations)].sort()).toEqual(Object.keys(migrations));
    for (const [name, m] of Object.entries(migrations)) {
      expect(typeof m.up, name).toBe('function');
      expect(typeof m.down, name).toBe('function');
    }
  });

  it('apply from empty one by one, then match SQLite table for table and column for column', async () => {
    const m = await freshDatabase();
    for (const name of Object.keys(migrations)) {
      const { error, results } = await m.migrator.migrateUp();
      expect(error).toBeUndefined();
      expect(results?.map((r) => [r.migrationName, r.status])).toEqual([[name, 'Success']]);
    }
    const pgc = await postgresCatalog(m);

    // Same tables, same columns in the same order (so SELECT * rows have the same shape).
    const pgTables = [...new Set(pgc.columns.map((c) => c.table))].sort();
    expect(pgTables).toEqual(sqlite.tables.map((t) => t.name));
    for (const t of sqlite.tables) {
      const cols = pgc.columns.filter((c) => c.table === t.name);
      expect(cols.map((c) => c.name), t.name).toEqual(t.columns.map((c) => c.name));
      const pk = t.columns.filter((c) => c.pk > 0);
      for (const [i, c] of t.columns.entries()) {
        const p = cols[i]!;
        const where = `${t.name}.${c.name}`;
        const expected = c.type === 'TEXT' ? 'text' : c.type === 'REAL' ? 'double precision' : c.type === 'INTEGER' ? (isFlag(t.sql, c.name) ? 'integer' : 'bigint') : `? ${c.type}`;
        expect(p.type, where).toBe(expected);
        // SQLite lets a rowid-table primary key column say nothing about NULL; PostgreSQL's are NOT NULL.
        if (c.pk === 0) expect(p.nullable, `${where} nullable`).toBe(!c.notnull);
        else expect(p.nullable, `${where} nullable`).toBe(false);
        expect(p.default?.replace(/::(text|bigint|integer)$/, '') ?? null, `${where} default`).toBe(c.dflt_value);
        // Generated ids exactly where SQLite's INTEGER PRIMARY KEY id is one.
        const rowidId = c.name === 'id' && c.type === 'INTEGER' && c.pk === 1 && pk.length === 1;
        expect(p.identity, `${where} identity`).toBe(rowidId);
      }
      const pgPk = pgc.primaryKeys.filter((k) => k.table === t.name).sort((a, b) => a.position - b.position).map((k) => k.column);
      expect(pgPk, `${t.name} primary key`).toEqual(pk.sort((a, b) => a.pk - b.pk).map((c) => c.name));
    }

    // Every CHECK kept (NOT NULL is no CHECK constraint in either catalog).
    for (const t of sqlite.tables) {
      const n = (t.sql.match(/\bCHECK\s*\(/gi) ?? []).length;
      expect(pgc.checks.find((c) => c.table === t.name)?.n ?? 0, `${t.name} CHECK constraints`).toBe(n);
    }
    // Every index under the same name on the same columns, unique and partial where SQLite's is.
    const sqliteIndexes = sqlite.indexes.map((i) => ({ name: i.name, table: i.table, ...indexShape(i.sql) })).sort(byName);
    const pgIndexes = pgc.indexes.map((i) => ({ name: i.name, table: i.table, ...indexShape(i.def) })).sort(byName);
    expect(pgIndexes).toEqual(sqliteIndexes);
    const key = (u: { table: string; columns: string[] }) => `${u.table}(${u.columns.join(',')})`;
    expect(sortedStrings(pgc.uniques.map(key))).toEqual(sortedStrings(sqlite.uniques.map(key)));
    const fk = (f: { table: string; from: string; refTable: string; to: string }) => `${f.table}.${f.from} -> ${f.refTable}.${f.to}`;
    expect(sortedStrings(pgc.foreignKeys.map(fk))).toEqual(sortedStrings(sqlite.foreignKeys.map(fk)));

    // SQLite's triggers under the same names, plus the ones only PostgreSQL needs (see postgres/README.md).
    const trig = (t: { name: string; table: string }) => `${t.table}.${t.name}`;
    expect(sortedStrings(pgc.triggers.map(trig))).toEqual(
      sortedStrings([
        ...sqlite.triggers.map(trig),
        'api_tokens.api_tokens_auth_notify',
        'audit_log.audit_log_no_truncate',
        'events.events_identity_past_max',
        'sellers.sellers_identity_past_max',
        'users.users_auth_notify',
        'venues.venues_identity_past_max',
      ]),
    );
    expect(await m.q(`SELECT source, last_id FROM report_watermarks ORDER BY source`)).toEqual([
      { source: 'box', last_id: 0 },
      { source: 'partner', last_id: 0 },
    ]);
  });

  it('refuse impossible states with a CHECK violation (23514), not a cast error', async () => {
    const m = await migrated();
    await base(m);
    const listing = (cols: string, vals: string) =>
      `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at${cols}) VALUES (1, 1, 'A', '1', 2, 100, 'USD', 'ui', '${NOW}'${vals})`;
    const cases: [string, string][] = [
      ['negative price', `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at) VALUES (1, 1, 'A', '1', 1, -100, 'USD', 'ui', '${NOW}')`],
      ['lower-case currency', `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at) VALUES (1, 1, 'A', '1', 1, 100, 'usd', 'ui', '${NOW}')`],
      ['seats_json not JSON', listing(', seats_json', `, '[1,2'`)],
      ['seats_json of the wrong length', listing(', seats_json', `, '["1","2","3"]'`)],
      ['seats_json not an array', listing(', seats_json', `, '{"a":1,"b":2}'`)],
      ['an imported listing without its batch', listing(', source_line', ', 3').replace(`'ui'`, `'import'`)],
      ['bad ticket status', `UPDATE tickets SET status = 'gone' WHERE id = 2`],
      ['bad event status', `UPDATE events SET status = 'maybe' WHERE id = 1`],
      ['local_date not the local start date', `UPDATE events SET local_date = '2026-12-02' WHERE id = 1`],
      ['negative capacity', `UPDATE events SET capacity = -1 WHERE id = 1`],
      ['bad order status', `UPDATE orders SET status = 'lost' WHERE id = 1`],
      ['negative order total', `UPDATE orders SET total_cents = -1 WHERE id = 1`],
      ['comp payment with an amount', `INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES (1, 'comp', 100, '${NOW}')`],
      ['cash without tendered', `INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES (1, 'cash', 100, '${NOW}')`],
      ['card with tendered', `INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) VALUES (1, 'card', 100, 100, 0, '${NOW}')`],
      ['cash short', `INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) VALUES (1, 'cash', 100, 50, -50, '${NOW}')`],
      ['wrong change', `INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) VALUES (1, 'cash', 100, 200, 50, '${NOW}')`],
      ['unknown tender', `INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES (1, 'iou', 100, '${NOW}')`],
      ['customer without name, email or phone', `INSERT INTO customers (city, created_at) VALUES ('X', '${NOW}')`],
      ['upper-case referral slug', `INSERT INTO referral_sources (slug, created_at) VALUES ('Google', '${NOW}')`],
      ['import batch errors_json not JSON', `INSERT INTO import_batches (seller_id, sha256, status, errors_json, created_at) VALUES (1, '${'a'.repeat(64)}', 'running', 'nope', '${NOW}')`],
      ['import batch short sha256', `INSERT INTO import_batches (seller_id, sha256, status, created_at) VALUES (1, 'abc', 'running', '${NOW}')`],
      ['import batch cancel_requested 2', `INSERT INTO import_batches (seller_id, sha256, status, cancel_requested, created_at) VALUES (1, '${'a'.repeat(64)}', 'running', 2, '${NOW}')`],
      ['idempotency response not JSON', `INSERT INTO idempotency_keys (key, operation, request_hash, response_json, created_at) VALUES ('k', 'sell', 'h', '{', '${NOW}')`],
      ['audit input not JSON', `INSERT INTO audit_log (at, operation, input_json) VALUES ('${NOW}', 'sell', '{"a":')`],
      ['audit before not JSON', `INSERT INTO audit_log (at, operation, input_json, before_json) VALUES ('${NOW}', 'sell', '{}', 'x')`],
      ['app setting not JSON', `INSERT INTO app_settings (key, value_json, updated_at) VALUES ('k', '', '${NOW}')`],
      ['upper-case username', `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES ('Ada', 'Ada', 'admin', 'h', '${NOW}', '${NOW}')`],
      ['user active 2', `INSERT INTO users (username, display_name, role, active, password_hash, created_at, updated_at) VALUES ('ada', 'Ada', 'admin', 2, 'h', '${NOW}', '${NOW}')`],
      ['user without password or PIN', `INSERT INTO users (username, display_name, role, created_at, updated_at) VALUES ('ada', 'Ada', 'admin', '${NOW}', '${NOW}')`],
      ['unknown role', `INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at) VALUES ('ada', 'Ada', 'root', 'h', '${NOW}', '${NOW}')`],
      ['partner order counted 2', `INSERT INTO partner_orders (event_id, channel, financial_status, counted, currency, total_cents, discount_cents, tax_cents, item_count, occurred_at, time_source, received_at) VALUES ('e1', 'web', 'paid', 2, 'USD', 0, 0, 0, 0, '${NOW}', 'event', '${NOW}')`],
      ['partner order upper-case channel', `INSERT INTO partner_orders (event_id, channel, financial_status, counted, currency, total_cents, discount_cents, tax_cents, item_count, occurred_at, time_source, received_at) VALUES ('e1', 'Web', 'paid', 1, 'USD', 0, 0, 0, 0, '${NOW}', 'event', '${NOW}')`],
      ['seating chart description not JSON', `INSERT INTO seating_charts (name, description_json, seat_count, width, height, created_at) VALUES ('C', '[', 0, 1, 1, '${NOW}')`],
      ['seating chart zero width', `INSERT INTO seating_charts (name, description_json, seat_count, width, height, created_at) VALUES ('C', '{}', 0, 0, 1, '${NOW}')`],
      ['bad reservation status', `INSERT INTO reservations (event_id, holder, quantity, status, created_at, updated_at) VALUES (1, 't1', 1, 'pending', '${NOW}', '${NOW}')`],
      ['report source', `INSERT INTO report_hourly (hour, source, channel, currency, orders, cents) VALUES ('2026-11-21T10', 'elsewhere', 'kiosk', 'USD', 1, 1)`],
    ];
    for (const [what, statement] of cases) {
      const err = await failure(m, statement);
      expect(`${what}: ${err.code} ${err.message}`).toMatch(/^[^:]+: 23514 /);
    }
    // Valid JSON, NULL where allowed, and matching seats pass.
    await m.q(listing(', seats_json', `, '["1","2"]'`));
    await m.q(`INSERT INTO audit_log (at, operation, input_json, before_json, after_json) VALUES ($1, 'sell', '{"a":[1,2,{"b":null}]}', NULL, '"x"')`, [NOW]);
    await m.q(`INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) VALUES (1, 'cash', 100, 200, 100, $1)`, [NOW]);
    await m.q(`INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES (1, 'comp', 0, $1)`, [NOW]);

    // Not integers, missing rows and duplicates fail too, each with its own code.
    expect((await failure(m, listing('', '').replace(', 100,', ', $1,'), [1.5])).code).toBe('22P02');
    expect((await failure(m, `INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (1, 999, 100)`)).code).toBe('23503');
    await m.q(`INSERT INTO customers (email, created_at) VALUES ('Ada@Example.com', $1)`, [NOW]);
    const dupEmail = await failure(m, `INSERT INTO customers (email, created_at) VALUES ('ada@example.COM', $1)`, [NOW]);
    expect([dupEmail.code, dupEmail.constraint]).toEqual(['23505', 'customers_by_email']);
    expect((await failure(m, `INSERT INTO orders (code, channel, total_cents, currency, created_at) VALUES ('MQ-1', 'kiosk', 0, 'USD', $1)`, [NOW])).code).toBe('23505');
    // Money totals beyond 2^31 cents fit.
    await m.q(`UPDATE orders SET total_cents = 5000000000 WHERE id = 1`);
    expect(await m.q(`SELECT total_cents FROM orders WHERE id = 1`)).toEqual([{ total_cents: 5_000_000_000 }]);
  });

  it('allow one live order item per ticket; a voided one frees the ticket', async () => {
    const m = await migrated();
    await base(m); // order 1 holds ticket 1
    await m.q(`INSERT INTO orders (id, code, channel, total_cents, currency, created_at) VALUES (2, 'MQ-2', 'kiosk', 100, 'USD', $1)`, [NOW]);
    const twice = await failure(m, `INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (2, 1, 100)`);
    expect([twice.code, twice.constraint]).toEqual(['23505', 'order_items_one_live_order_per_ticket']);
    await m.q(`UPDATE order_items SET voided_at = $1 WHERE order_id = 1`, [NOW]);
    await m.q(`INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (2, 1, 100)`);
    expect(await m.q(`SELECT order_id, voided_at IS NULL AS live FROM order_items WHERE ticket_id = 1 ORDER BY order_id`)).toEqual([
      { order_id: 1, live: false },
      { order_id: 2, live: true },
    ]);
    // Two tickets of one listing cannot have the same seat. (Explicit id: base() wrote tickets 1 and 2
    // with theirs, and only events, venues and sellers move their sequence past explicit ids.)
    expect((await failure(m, `INSERT INTO tickets (id, listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at) VALUES (3, 1, 1, 1, 'A', '1', '1', 100, 'USD', $1)`, [NOW])).constraint).toBe(
      'tickets_unique_seat_per_listing',
    );
  });

  it('triggers: a sold held ticket loses its hold, a reservation completes with its last hold', async () => {
    const m = await migrated();
    await base(m);
    for (const id of [3, 4, 5]) {
      await m.q(`INSERT INTO tickets (id, listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at) VALUES ($1, 1, 1, 1, 'A', '1', $2, 100, 'USD', $3)`, [id, String(id), NOW]);
    }
    // A plain hold (ticket 2): touching the ticket while it stays held keeps it; selling it removes it.
    await m.q(`UPDATE tickets SET status = 'held' WHERE id IN (2, 3, 4, 5)`);
    await m.q(`INSERT INTO seat_holds (ticket_id, event_id, holder, expires_at, created_at) VALUES (2, 1, 't1', $1, $1)`, [NOW]);
    await m.q(`UPDATE tickets SET updated_at = $1 WHERE id = 2`, ['2026-11-21T00:01:00.000Z']);
    expect(await m.q(`SELECT ticket_id FROM seat_holds`)).toEqual([{ ticket_id: 2 }]);
    await m.q(`UPDATE tickets SET status = 'sold' WHERE id = 2`);
    expect(await m.q(`SELECT ticket_id FROM seat_holds`)).toEqual([]);

    // A reservation of tickets 3 and 4: active after the first sale, completed (at the last ticket's time) after the second.
    const [r] = await m.q<{ id: number }>(`INSERT INTO reservations (event_id, holder, quantity, status, created_at, updated_at) VALUES (1, 't1', 2, 'active', $1, $1) RETURNING id`, [NOW]);
    for (const t of [3, 4]) {
      await m.q(`INSERT INTO seat_holds (ticket_id, event_id, holder, reservation_id, created_at) VALUES ($1, 1, 't1', $2, $3)`, [t, r!.id, NOW]);
    }
    await m.q(`UPDATE tickets SET status = 'sold', updated_at = '2026-11-21T00:02:00.000Z' WHERE id = 3`);
    expect(await m.q(`SELECT status, updated_at FROM reservations WHERE id = $1`, [r!.id])).toEqual([{ status: 'active', updated_at: NOW }]);
    await m.q(`UPDATE tickets SET status = 'sold', updated_at = '2026-11-21T00:03:00.000Z' WHERE id = 4`);
    expect(await m.q(`SELECT status, updated_at FROM reservations WHERE id = $1`, [r!.id])).toEqual([{ status: 'completed', updated_at: '2026-11-21T00:03:00.000Z' }]);

    // Both holds of a reservation sold in one statement complete it too; a cancelled one stays cancelled.
    await m.q(`UPDATE tickets SET status = 'held' WHERE id IN (3, 4)`);
    const [r2] = await m.q<{ id: number }>(`INSERT INTO reservations (event_id, holder, quantity, status, created_at, updated_at) VALUES (1, 't2', 2, 'active', $1, $1) RETURNING id`, [NOW]);
    const [r3] = await m.q<{ id: number }>(`INSERT INTO reservations (event_id, holder, quantity, status, created_at, updated_at) VALUES (1, 't3', 1, 'cancelled', $1, $1) RETURNING id`, [NOW]);
    await m.q(`INSERT INTO seat_holds (ticket_id, event_id, holder, reservation_id, created_at) VALUES (3, 1, 't2', $1, $3), (4, 1, 't2', $1, $3), (5, 1, 't3', $2, $3)`, [r2!.id, r3!.id, NOW]);
    await m.q(`UPDATE tickets SET status = 'sold' WHERE id IN (3, 4, 5)`);
    expect(await m.q(`SELECT id, status FROM reservations WHERE id IN ($1, $2) ORDER BY id`, [r2!.id, r3!.id])).toEqual([
      { id: r2!.id, status: 'completed' },
      { id: r3!.id, status: 'cancelled' },
    ]);
    expect(await m.q(`SELECT count(*) AS n FROM seat_holds`)).toEqual([{ n: 0 }]);
  });

  it('triggers: audit_log is append-only (UPDATE, DELETE and TRUNCATE refused)', async () => {
    const m = await migrated();
    await m.q(`INSERT INTO audit_log (at, operation, input_json) VALUES ($1, 'sell', '{}')`, [NOW]);
    for (const statement of [`UPDATE audit_log SET operation = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`]) {
      const err = await failure(m, statement);
      expect([statement, err.code, err.message]).toEqual([statement, '23000', 'audit_log is append-only']);
    }
    expect(await m.q(`SELECT operation FROM audit_log`)).toEqual([{ operation: 'sell' }]);
  });

  it('triggers: changing an order already folded into the reports marks its day dirty, a newer one does not', async () => {
    const m = await migrated();
    await base(m); // order 1 on 2026-11-21
    await m.q(`INSERT INTO orders (id, code, channel, total_cents, currency, created_at) VALUES (2, 'MQ-2', 'kiosk', 100, 'USD', '2026-11-22T10:00:00.000Z')`);
    await m.q(`INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (2, 2, 100)`);
    const dirty = async () => (await m.q<{ day: string }>(`SELECT day FROM report_dirty_days ORDER BY day`)).map((r) => r.day);

    await m.q(`UPDATE orders SET status = 'refunded' WHERE id = 1`); // watermark 0: nothing folded yet
    expect(await dirty()).toEqual([]);
    await m.q(`UPDATE report_watermarks SET last_id = 1 WHERE source = 'box'`);
    await m.q(`UPDATE orders SET status = 'refunded' WHERE id = 2`); // above the watermark
    await m.q(`UPDATE order_items SET voided_at = $1 WHERE order_id = 2`, [NOW]);
    expect(await dirty()).toEqual([]);
    await m.q(`UPDATE order_items SET voided_at = $1 WHERE order_id = 1`, [NOW]);
    expect(await dirty()).toEqual(['2026-11-21']);
    await m.q(`UPDATE orders SET status = 'cancelled' WHERE id = 1`); // already dirty: no conflict error
    await m.q(`DELETE FROM payments WHERE order_id = 1`);
    expect(await dirty()).toEqual(['2026-11-21']);
    // An UPDATE that moves a folded order marks the old and the new day.
    await m.q(`UPDATE orders SET created_at = '2026-11-25T09:00:00.000Z' WHERE id = 1`);
    expect(await dirty()).toEqual(['2026-11-21', '2026-11-25']);

    // Partner orders against their own watermark.
    const partner = (id: number, day: string) =>
      m.q(
        `INSERT INTO partner_orders (id, event_id, channel, financial_status, counted, currency, total_cents, discount_cents, tax_cents, item_count, occurred_at, time_source, received_at)
         VALUES ($1, $2, 'web', 'paid', 1, 'USD', 100, 0, 0, 1, $3, 'event', $3)`,
        [id, `evt-${id}`, `${day}T12:00:00.000Z`],
      );
    await partner(1, '2026-10-01');
    await partner(2, '2026-10-02');
    await m.q(`INSERT INTO partner_order_items (partner_order_id, line_no, product_id, quantity, price_cents, event_id) VALUES (1, 1, 'p', 1, 100, 1), (2, 1, 'p', 1, 100, 1)`);
    await m.q(`UPDATE report_watermarks SET last_id = 1 WHERE source = 'partner'`);
    await m.q(`UPDATE partner_order_items SET quantity = 2`);
    await m.q(`UPDATE partner_orders SET counted = 0 WHERE id = 2`);
    expect(await dirty()).toEqual(['2026-10-01', '2026-11-21', '2026-11-25']);
    await m.q(`DELETE FROM partner_order_items WHERE partner_order_id = 1`);
    await m.q(`DELETE FROM partner_orders WHERE id = 1`);
    expect(await dirty()).toEqual(['2026-10-01', '2026-11-21', '2026-11-25']);
    // Inserts never mark anything, even below the watermark.
    await m.q(`DELETE FROM report_dirty_days`);
    await partner(0, '2026-09-30');
    expect(await dirty()).toEqual([]);
  });

  it('explicit ids on events, venues and sellers move the generated ids past them, never backwards', async () => {
    const m = await migrated();
    const venue = (id: number | null) =>
      m.q<{ id: number }>(
        id === null
          ? `INSERT INTO venues (name, city, country, timezone, created_at) VALUES ('V', 'C', 'US', 'UTC', $1) RETURNING id`
          : `INSERT INTO venues (id, name, city, country, timezone, created_at) VALUES (${id}, 'V', 'C', 'US', 'UTC', $1) RETURNING id`,
        [NOW],
      );
    const event = (id: number | null) =>
      m.q<{ id: number }>(
        `INSERT INTO events (${id === null ? '' : 'id, '}name, venue_id, starts_at, starts_at_utc, local_date, status, created_at, updated_at)
         VALUES (${id === null ? '' : `${id}, `}'E', 1, '2026-12-01T19:00:00+00:00', '2026-12-01T19:00:00.000Z', '2026-12-01', 'on_sale', $1, $1) RETURNING id`,
        [NOW],
      );
    expect(await venue(null)).toEqual([{ id: 1 }]);
    expect(await event(500)).toEqual([{ id: 500 }]);
    expect(await event(null)).toEqual([{ id: 501 }]);
    expect(await event(250)).toEqual([{ id: 250 }]); // below the sequence: it stays where it is
    expect(await event(null)).toEqual([{ id: 502 }]);
    expect(await venue(40)).toEqual([{ id: 40 }]);
    expect(await venue(null)).toEqual([{ id: 41 }]);
    // Several explicit ids in one statement, as the demo seed writes them.
    await m.q(`INSERT INTO sellers (id, name, created_at) VALUES (7, 'a', $1), (9, 'b', $1), (8, 'c', $1)`, [NOW]);
    expect(await m.q(`INSERT INTO sellers (name, created_at) VALUES ('d', $1) RETURNING id`, [NOW])).toEqual([{ id: 10 }]);
    // The other tables have no explicit-id writer; their identities are plain.
    expect(await m.q(`INSERT INTO referral_sources (slug, created_at) VALUES ('google', $1) RETURNING slug`, [NOW])).toEqual([{ slug: 'google' }]);
  });

  it('door check-ins (2026-12-04T0700): a door role, one live check-in per ticket, and no way back while door accounts exist', async () => {
    const m = await freshDatabase();
    await m.migrator.migrateTo('2026-12-03T1100-auth-notify');
    const doorUser = `INSERT INTO users (username, display_name, role, pin_hash, created_at, updated_at) VALUES ('gate', 'Gate', 'door', 'h', '${NOW}', '${NOW}')`;
    expect((await failure(m, doorUser)).code).toBe('23514');
    const { error } = await m.migrator.migrateToLatest();
    expect(error).toBeUndefined();
    await base(m);
    await m.q(doorUser);
    expect((await failure(m, doorUser.replace("'door'", "'root'").replace("'gate'", "'gate2'"))).code).toBe('23514');
    const checkIn = (door: string) => `INSERT INTO check_ins (ticket_id, event_id, order_item_id, at, door) VALUES (1, 1, 1, '${NOW}', '${door}')`;
    await m.q(checkIn('Door 1'));
    const twice = await failure(m, checkIn('Door 2'));
    expect([twice.code, twice.constraint]).toEqual(['23505', 'check_ins_one_live']);
    expect((await failure(m, `UPDATE check_ins SET undone_at = '${NOW}'`)).code).toBe('23514');
    await m.q(`UPDATE check_ins SET undone_at = $1, undone_by = 'admin'`, [NOW]);
    await m.q(checkIn('Door 2'));
    expect((await failure(m, `INSERT INTO ticket_code_secret (id, secret, created_at) VALUES (2, '${'a'.repeat(43)}', '${NOW}')`)).code).toBe('23514');
    const { error: downError } = await m.migrator.migrateDown();
    expect(downError).toBeDefined();
    await m.q(`DELETE FROM users WHERE role = 'door'`);
    expect((await m.migrator.migrateDown()).error).toBeUndefined();
    expect((await failure(m, doorUser)).code).toBe('23514');
  });

  it('revert one by one in reverse order to an empty database (only Kysely’s own tables), then apply again', async () => {
    const m = await migrated();
    await base(m);
    const names = Object.keys(migrations);
    for (const name of [...names].reverse()) {
      const { error, results } = await m.migrator.migrateDown();
      expect(error).toBeUndefined();
      expect(results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([[name, 'Down', 'Success']]);
    }
    const tables = await m.q<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.name)).toEqual(['kysely_migration', 'kysely_migration_lock']);
    const left = await postgresCatalog(m);
    expect(left.functions).toEqual([]);
    expect(left.triggers).toEqual([]);
    expect(await m.q(`SELECT relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public' AND relkind = 'S'`)).toEqual([]);

    const { error, results } = await m.migrator.migrateToLatest();
    expect(error).toBeUndefined();
    expect(results?.map((r) => r.migrationName)).toEqual(names);
    await base(m);
    const { error: downError } = await m.migrator.migrateTo(NO_MIGRATIONS);
    expect(downError).toBeUndefined();
  });
});
