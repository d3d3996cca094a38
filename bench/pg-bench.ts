/**
 * The PostgreSQL phase of `npm run bench` (BENCH_POSTGRES=0 skips it): a throwaway server started
 * here (test/support/postgres-server.ts: temp dir, 127.0.0.1 on a free port, fsync on,
 * synchronous_commit on), every target figure beside a baseline measured in the same run.
 * Runnable alone for development: node --import tsx bench/pg-bench.ts (JSON on stdout).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureAdmin } from '../electron/core/auth/callers.js';
import { openPgStore } from '../electron/core/store/postgres/pg-store.js';
import type { OpContext } from '../electron/core/services/context.js';
import { FULL_ACCESS, invoke } from '../electron/core/services/dispatch.js';
import { newOrderCode } from '../electron/core/store/contract/order-code.js';
import { nowIso } from '../shared/time.js';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.js';
import { closedLoop, loopFigures, type LoopResult } from './baselines.js';
import { BENCH_TOKEN } from './config.js';
import { load, startServerChild, type LoadResult, type ServerHandle } from './http-load.js';
import { benchPgImport, type PgImportResult } from './pg-import-bench.js';
import { summariseProfile } from './profile.js';

export interface PgBenchOptions {
  connections: number;
  httpSeconds: number;
  loopSeconds: number;
  importRows: number;
  /** Connections of each terminal's pool (the product's default is 10) and of the bare loop's pool. */
  pool: number;
  tickets: number;
  log: (line: string) => void;
}

export function pgBenchOptions(env = process.env, log: (l: string) => void = () => undefined): PgBenchOptions {
  const quick = env.BENCH_QUICK === '1';
  const num = (name: string, full: number, small: number) => {
    const v = env[name];
    return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : quick ? small : full;
  };
  return {
    connections: num('BENCH_CONNECTIONS', 80, 80),
    httpSeconds: num('BENCH_PG_HTTP_SECONDS', num('BENCH_HTTP_SECONDS', 10, 2), 2),
    loopSeconds: num('BENCH_PG_LOOP_SECONDS', 4, 1),
    importRows: num('BENCH_PG_IMPORT_ROWS', 1_000_000, 20_000),
    pool: num('BENCH_PG_POOL', 10, 10),
    tickets: num('BENCH_PG_TICKETS', 400_000, 60_000),
    log,
  };
}

export interface PgSellCheck {
  sold: number;
  lines: number;
  orders: number;
  audits: number;
  soldTwice: number;
}

export interface PgBenchResult {
  server: { version: string; settings: Record<string, string> };
  options: Omit<PgBenchOptions, 'log'>;
  datasetSeconds: number;
  bareRuns: LoopResult[];
  bare: LoopResult;
  helloRuns: LoadResult[];
  hello: LoadResult;
  httpSells: LoadResult;
  httpCheck: PgSellCheck;
  /**
   * The terminal's store with no HTTP in front of it: the sells the store itself can take on this
   * machine, the ceiling of the HTTP figure (the HTTP server and autocannon share the same 2 cores).
   */
  storeAlone?: LoopResult & { errors: number; batches: number; avgBatch: number };
  /** Commits the serving terminal saw, and synchronous_commit at each (2 = on). */
  serverCommits: { commits: number; items: number; synchronousSeen: number[]; sellLane: Record<string, number> | null };
  /** CPU of the serving terminal's process during the HTTP sells, ms, and its requests. */
  serverCpuMs: number;
  oneTerminal: LoadResult;
  fourTerminals: { perTerminal: LoadResult[]; perSecond: number; requests: number; p99Ms: number; errors: number; non2xx: number };
  fourCheck: PgSellCheck;
  import: PgImportResult | { error: string };
  seconds: number;
}

/** Hands out disjoint ticket-id ranges. */
class Ranges {
  constructor(
    private cursor: number,
    private readonly last: number,
  ) {}

  take(n: number): { from: number; to: number } {
    const from = this.cursor;
    const to = Math.min(this.last, from + n - 1);
    if (to < from) throw new Error('the PostgreSQL bench has no tickets left; raise BENCH_PG_TICKETS');
    this.cursor = to + 1;
    return { from, to };
  }

  get remaining(): number {
    return this.last - this.cursor + 1;
  }
}

/** The schema and the bench's API token, as the first terminal of a venue would make them. */
export async function migrateWithAdmin(url: string): Promise<void> {
  const store = await openPgStore({ url, max: 2 });
  try {
    await ensureAdmin(store, BENCH_TOKEN);
  } finally {
    await store.close();
  }
}

/** Events of 500 tickets in listings of 10, written with set-based SQL (test data, rebuilt each run). */
export async function buildDataset(url: string, tickets: number): Promise<{ first: number; last: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const now = '2026-11-21T12:00:00.000Z';
    const events = Math.ceil(tickets / 500);
    await c.query('BEGIN');
    await c.query("SET LOCAL synchronous_commit = off");
    await c.query("INSERT INTO sellers (name, email, created_at) VALUES ('Bench seller', 'bench@example.test', $1)", [now]);
    await c.query("INSERT INTO venues (name, city, country, timezone, created_at) SELECT 'Bench Hall ' || g, 'Chicago', 'US', 'America/Chicago', $1 FROM generate_series(1, 40) g", [now]);
    await c.query(
      `INSERT INTO events (name, venue_id, starts_at, starts_at_utc, local_date, category, status, capacity, created_at, updated_at)
       SELECT 'Bench Concert ' || g, (SELECT min(id) FROM venues) + g % 40, '2027-03-01T20:00:00-06:00', '2027-03-02T02:00:00.000Z', '2027-03-01', 'concert', 'on_sale', 500, $1, $1
       FROM generate_series(1, $2::int) g`,
      [now, events],
    );
    await c.query(
      `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at)
       SELECT e.id, s.id, (100 + g % 30)::text, (1 + g % 25)::text, 10, 4599 + (g % 60) * 100, 'USD', 'ui', $1
       FROM events e, (SELECT min(id) AS id FROM sellers) s, generate_series(1, 50) g ORDER BY e.id, g`,
      [now],
    );
    await c.query(
      `INSERT INTO tickets (listing_id, event_id, seller_id, section, row, price_cents, currency, updated_at)
       SELECT l.id, l.event_id, l.seller_id, l.section, l.row, l.price_cents, 'USD', $1 FROM listings l, generate_series(1, l.quantity) u ORDER BY l.id, u`,
      [now],
    );
    await c.query('COMMIT');
    // Only the tables filled here. An ANALYZE of the still-empty order tables would record them as
    // empty, and the foreign-key checks of every sale (order_items and payments → orders, cached per
    // connection) would then be planned as sequential scans of orders, a cost that grows with every
    // order written: 20–90 ms per 80 sales by the 10,000th order, in every path measured here. A venue's
    // database never looks like that (autovacuum analyzes orders once it has rows; until then the
    // planner assumes a small table and uses the primary key), so neither does the bench's.
    await c.query('VACUUM ANALYZE sellers, venues, events, listings, tickets');
    const r = (await c.query<{ a: number; b: number }>('SELECT min(id)::int AS a, max(id)::int AS b FROM tickets')).rows[0]!;
    return { first: r.a, last: r.b };
  } finally {
    await c.end();
  }
}

/**
 * The baseline: node-postgres as a competent developer writes a sale, no tricks. One pooled client
 * per sale, BEGIN; the guarded UPDATE … WHERE status = 'available' RETURNING with its row-count
 * check; INSERT the order, its line, its payment and an audit entry; COMMIT. Plain parameterised
 * queries, `concurrency` callers in flight on a pool of `pool` connections, synchronous_commit on.
 */
export async function barePgLoop(url: string, range: { from: number; to: number }, seconds: number, concurrency: number, poolSize: number): Promise<LoopResult> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => undefined);
  const sync = (await pool.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s")).rows[0]!.s;
  if (sync !== 'on') throw new Error(`bare pg loop: synchronous_commit is ${sync}`);
  const run = await closedLoop(range, seconds, concurrency, async (id) => {
    const c = await pool.connect();
    try {
      const now = nowIso();
      await c.query('BEGIN');
      const t = await c.query<{ price_cents: number; currency: string }>(
        "UPDATE tickets SET status = 'sold', updated_at = $2 WHERE id = $1 AND status = 'available' RETURNING price_cents, currency",
        [id, now],
      );
      if (t.rowCount !== 1) throw new Error(`ticket ${id} not available`);
      const { price_cents: price, currency } = t.rows[0]!;
      const code = newOrderCode();
      const o = await c.query<{ id: number }>(
        "INSERT INTO orders (code, channel, total_cents, currency, created_at) VALUES ($1, 'api', $2, $3, $4) RETURNING id",
        [code, price, currency, now],
      );
      const orderId = o.rows[0]!.id;
      await c.query('INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES ($1, $2, $3)', [orderId, id, price]);
      await c.query("INSERT INTO payments (order_id, tender, amount_cents, created_at) VALUES ($1, 'card', $2, $3)", [orderId, price, now]);
      await c.query(
        "INSERT INTO audit_log (at, operation, subject, input_json, after_json) VALUES ($1, 'bench.bareSale', $2, $3, $4)",
        [now, `ticket ${id}`, JSON.stringify({ id }), JSON.stringify({ orderId, code })],
      );
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  });
  await pool.end();
  if (run.errors > 0) throw new Error(`bare pg loop: ${run.errors} sales failed`);
  return {
    label: `bare node-postgres loop, BEGIN; guarded UPDATE … RETURNING; INSERT order, line, payment, audit; COMMIT; ${concurrency} in flight on ${poolSize} connections, synchronous_commit=on`,
    ...loopFigures(run),
  };
}

/** openPgStore + invoke('sellTicket', {id}) with `concurrency` in flight: the HTTP path minus HTTP. */
async function storeAloneLoop(url: string, range: { from: number; to: number }, seconds: number, concurrency: number, poolSize: number): Promise<NonNullable<PgBenchResult['storeAlone']>> {
  const store = await openPgStore({ url, max: poolSize, applicationName: 'marquee-bench-store-alone' });
  try {
    const ctx: OpContext = { store, channel: 'api', version: 'bench' };
    const before = store.sellLaneStats();
    const run = await closedLoop(range, seconds, concurrency, (id) => invoke(ctx, FULL_ACCESS, 'sellTicket', { id }));
    const after = store.sellLaneStats();
    const batches = (after?.batches ?? 0) - (before?.batches ?? 0);
    const items = (after?.items ?? 0) - (before?.items ?? 0);
    return {
      label: `the terminal's store without HTTP (invoke('sellTicket') in the bench's process, sell lane), ${concurrency} in flight, pool ${poolSize}`,
      ...loopFigures(run),
      batches,
      avgBatch: batches > 0 ? items / batches : 0,
    };
  } finally {
    await store.close();
  }
}

async function checkSales(url: string, ranges: { from: number; to: number }[]): Promise<PgSellCheck> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: PgSellCheck = { sold: 0, lines: 0, orders: 0, audits: 0, soldTwice: 0 };
    for (const r of ranges) {
      const q = async (sql: string) => Number((await c.query<{ n: number }>(sql, [r.from, r.to])).rows[0]!.n);
      out.sold += await q("SELECT count(*) AS n FROM tickets WHERE id BETWEEN $1 AND $2 AND status = 'sold'");
      out.lines += await q('SELECT count(*) AS n FROM order_items WHERE ticket_id BETWEEN $1 AND $2');
      out.orders += await q('SELECT count(DISTINCT order_id) AS n FROM order_items WHERE ticket_id BETWEEN $1 AND $2');
    }
    // Cumulative: every sale the terminals made so far has its entry (the bare loop logs under another name).
    out.audits = Number((await c.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE operation = 'sellTicket'")).rows[0]!.n);
    out.soldTwice = Number((await c.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT ticket_id FROM order_items GROUP BY ticket_id HAVING count(*) > 1) x')).rows[0]!.n);
    return out;
  } finally {
    await c.end();
  }
}

function mergeLoops(a: LoopResult, b: LoopResult): LoopResult {
  const seconds = a.seconds + b.seconds;
  return { ...a, sales: a.sales + b.sales, seconds, perSecond: (a.sales + b.sales) / seconds, p50Ms: (a.p50Ms + b.p50Ms) / 2, p99Ms: Math.max(a.p99Ms, b.p99Ms) };
}

function mergeLoads(a: LoadResult, b: LoadResult): LoadResult {
  const seconds = a.seconds + b.seconds;
  return { ...a, seconds, requests: a.requests + b.requests, perSecond: (a.requests + b.requests) / seconds, p50Ms: (a.p50Ms + b.p50Ms) / 2, p99Ms: Math.max(a.p99Ms, b.p99Ms), maxMs: Math.max(a.maxMs, b.maxMs) };
}

/** autocannon PUT /api/v1/tickets/:id/sold, each request the next ticket of `range`; returns the ids sent. */
export async function sellStorm(title: string, server: ServerHandle, range: { from: number; to: number }, seconds: number, connections: number) {
  let next = range.from;
  const result = await load({
    title,
    url: `${server.base}/`,
    connections,
    seconds,
    amount: range.to - range.from + 1,
    method: 'PUT',
    auth: true,
    path: () => `/api/v1/tickets/${next++}/sold`,
  });
  return { result, sent: { from: range.from, to: Math.min(range.to, next - 1) } };
}

export async function benchPostgres(o: PgBenchOptions): Promise<PgBenchResult> {
  const t0 = performance.now();
  const log = o.log;
  let server: PostgresServer | null = null;
  const children: ServerHandle[] = [];
  try {
    // Durable as in production (fsync, synchronous_commit on: the defaults startPostgres keeps);
    // room for 4 terminals' pools, and WAL room for the million-row import.
    server = await startPostgres({ settings: { max_connections: 300, shared_buffers: '256MB', max_wal_size: '4GB', checkpoint_timeout: '30min' } });
    const url = await server.createDatabase('bench');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    const settings: Record<string, string> = {};
    for (const s of ['fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'shared_buffers', 'commit_delay']) {
      settings[s] = (await admin.query<{ v: string }>(`SELECT current_setting('${s}') AS v`)).rows[0]!.v;
    }
    await admin.end();
    log(`PostgreSQL ${version} on port ${server.port} (${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(', ')})`);

    await migrateWithAdmin(url);
    const d0 = performance.now();
    const ids = await buildDataset(url, o.tickets);
    const datasetSeconds = (performance.now() - d0) / 1000;
    log(`  ${ids.last - ids.first + 1} tickets in ${datasetSeconds.toFixed(1)} s`);
    const ranges = new Ranges(ids.first, ids.last);
    const share = (f: number) => Math.floor((ids.last - ids.first + 1) * f);

    log(`bare node-postgres sell loop (${o.connections} in flight, pool ${o.pool})`);
    const bareA = await barePgLoop(url, ranges.take(share(0.05)), o.loopSeconds, o.connections, o.pool);
    log(`  ${bareA.perSecond.toFixed(0)}/s`);

    // The terminals' pools (server-child.ts reads it), the same size as the bare loop's.
    process.env.BENCH_PG_POOL = String(o.pool);
    const terminal = await startServerChild('marquee', url);
    children.push(terminal);
    const hello = await startServerChild('hello');
    children.push(hello);
    const helloA = await load({ title: 'Fastify hello-world', url: `${hello.base}/`, connections: o.connections, seconds: o.httpSeconds / 2 });
    log(`Fastify hello-world ${helloA.perSecond.toFixed(0)} req/s`);

    log(`HTTP sells on PostgreSQL, ${o.connections} connections × ${o.httpSeconds} s`);
    type Stats = { commits: number; committedItems: number; synchronousSeen: number[]; cpuMs: number; sellLane: Record<string, number> | null };
    const before = await terminal.request<Stats>({ type: 'stats' }, 'stats');
    const http = await sellStorm('HTTP sells on PostgreSQL', terminal, ranges.take(share(0.3)), o.httpSeconds, o.connections);
    const after = await terminal.request<Stats>({ type: 'stats' }, 'stats');
    const laneDelta = after.sellLane && before.sellLane ? Object.fromEntries(Object.entries(after.sellLane).map(([k, v]) => [k, k === 'largest' ? v : v - (before.sellLane![k] ?? 0)])) : null;
    log(`  ${http.result.perSecond.toFixed(0)} req/s, p99 ${http.result.p99Ms} ms`);
    const helloB = await load({ title: 'Fastify hello-world', url: `${hello.base}/`, connections: o.connections, seconds: o.httpSeconds / 2 });
    await hello.close();
    log(`Fastify hello-world ${helloB.perSecond.toFixed(0)} req/s`);
    const bareB = await barePgLoop(url, ranges.take(share(0.05)), o.loopSeconds, o.connections, o.pool);
    log(`bare loop again ${bareB.perSecond.toFixed(0)}/s`);
    const httpCheck = await checkSales(url, [http.sent]);
    const termSeconds = Math.max(1, Math.round(o.httpSeconds / 2));
    log(`the same store without HTTP: invoke('sellTicket') in this process, ${o.connections} in flight × ${termSeconds} s`);
    const storeAlone = await storeAloneLoop(url, ranges.take(share(0.2)), termSeconds, o.connections, o.pool);
    log(`  ${storeAlone.perSecond.toFixed(0)}/s`);

    log(`one terminal, then 4 terminals on one PostgreSQL (${o.connections} connections in all) × ${termSeconds} s`);
    const one = await sellStorm('one terminal', terminal, ranges.take(share(0.1)), termSeconds, o.connections);
    // BENCH_PG_PROFILE=FILE: a CPU profile of the terminal over a further 3 s storm, summarised here, written to FILE.
    if (process.env.BENCH_PG_PROFILE) {
      await terminal.request({ type: 'profile-start' }, 'profile-started');
      const profiled = await sellStorm('one terminal (profiled)', terminal, ranges.take(share(0.05)), 3, o.connections);
      const { profile } = await terminal.request<{ profile: Parameters<typeof summariseProfile>[0] }>({ type: 'profile-stop' }, 'profile');
      writeFileSync(process.env.BENCH_PG_PROFILE, JSON.stringify(profile));
      const sum = summariseProfile(profile);
      log(`  profiled: ${profiled.result.perSecond.toFixed(0)} req/s; ${sum.areas.map((a) => `${a.area} ${(a.share * 100).toFixed(1)}%`).join('; ')}`);
      log(`  top: ${sum.top.slice(0, 25).map((f) => `${f.fn} ${(f.share * 100).toFixed(1)}%`).join('; ')}`);
    }
    const others = await Promise.all([1, 2, 3].map(() => startServerChild('marquee', url)));
    children.push(...others);
    // Fresh processes: a short storm each first, so JIT and each connection's named statements are warm, as in terminal 1.
    await Promise.all(others.map((t) => sellStorm('warm-up', t, ranges.take(2000), 1, 10)));
    const four = [terminal, ...others];
    const per = Math.floor(o.connections / four.length);
    const slice = share(0.25) / four.length;
    const runs = await Promise.all(four.map((t, i) => sellStorm(`terminal ${i + 1} of 4`, t, ranges.take(Math.floor(slice)), termSeconds, per)));
    for (const c of four) await c.close();
    const fourCheck = await checkSales(url, runs.map((r) => r.sent));
    const fourReq = runs.reduce((s, r) => s + r.result.requests, 0);
    const fourSec = Math.max(...runs.map((r) => r.result.seconds));
    const fourTerminals = {
      perTerminal: runs.map((r) => r.result),
      requests: fourReq,
      perSecond: runs.reduce((s, r) => s + r.result.perSecond, 0),
      p99Ms: Math.max(...runs.map((r) => r.result.p99Ms)),
      errors: runs.reduce((s, r) => s + r.result.errors + r.result.timeouts, 0),
      non2xx: runs.reduce((s, r) => s + r.result.non2xx, 0),
    };
    log(`  one ${one.result.perSecond.toFixed(0)} req/s, four ${fourTerminals.perSecond.toFixed(0)} req/s (${fourReq} in ${fourSec.toFixed(1)} s)`);

    log(`import on PostgreSQL, ${o.importRows} rows, against a bare COPY`);
    let importResult: PgImportResult | { error: string };
    try {
      if (o.importRows <= 0) throw new Error('skipped: BENCH_PG_IMPORT_ROWS=0');
      importResult = await benchPgImport(server, o.importRows, log);
    } catch (err) {
      importResult = { error: String((err as Error).stack ?? err) };
      log(`  import failed: ${(err as Error).message}`);
    }

    return {
      server: { version, settings },
      options: { connections: o.connections, httpSeconds: o.httpSeconds, loopSeconds: o.loopSeconds, importRows: o.importRows, pool: o.pool, tickets: o.tickets },
      datasetSeconds,
      bareRuns: [bareA, bareB],
      bare: mergeLoops(bareA, bareB),
      helloRuns: [helloA, helloB],
      hello: mergeLoads(helloA, helloB),
      httpSells: http.result,
      httpCheck,
      storeAlone,
      serverCommits: { commits: after.commits - before.commits, items: after.committedItems - before.committedItems, synchronousSeen: after.synchronousSeen, sellLane: laneDelta },
      serverCpuMs: after.cpuMs - before.cpuMs,
      oneTerminal: one.result,
      fourTerminals,
      fourCheck,
      import: importResult,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    for (const c of children) await c.close().catch(() => undefined);
    if (server) await server.destroy().catch(() => undefined);
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const log = (l: string) => process.stderr.write(`[pg-bench ${new Date().toISOString().slice(11, 19)}] ${l}\n`);
  benchPostgres(pgBenchOptions(process.env, log)).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
