// Sales reports over a large store (issue 7). `benchReports(opts)` builds (or reuses) a store with
// `orders` orders in all — box-office orders with their items, tickets and payments, plus ingested
// partner orders — and times every report over a full year and over 30 days, in America/Chicago.
// Run alone: node --import tsx bench/analytics-reports.ts [orders]
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import * as reports from '../electron/core/analytics/reports.js';
import { ensureRollups } from '../electron/core/analytics/rollups.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import { mulberry32 } from '../shared/prng.js';

export interface BenchReportsOptions {
  /** Orders in all (box office + partner). Default 1,000,000. */
  orders?: number;
  /** Share of partner orders. Default 0.3. */
  partnerShare?: number;
  /** Timed runs per report and range (after one warm-up). Default 5. */
  runs?: number;
  /** Store file; default bench/tmp/analytics-v5-<orders>.sqlite, reused when it already holds this dataset. */
  file?: string;
  rebuild?: boolean;
  /** Empty the rollups first, so the one-off catch-up of a reused dataset is measured again. */
  refold?: boolean;
  log?: (line: string) => void;
}

export interface ReportTiming {
  report: string;
  range: 'year' | '6 months' | '90 days' | '30 days';
  rows: number;
  medianMs: number;
  maxMs: number;
}

export interface BenchReportsResult {
  file: string;
  orders: number;
  boxOfficeOrders: number;
  partnerOrders: number;
  orderItems: number;
  buildSeconds: number | null;
  /** Folding every order into the rollups the first time (a one-off per database; later reports fold only new orders). */
  rollupCatchUpSeconds: number;
  timings: ReportTiming[];
}

const HERE = dirname(fileURLToPath(import.meta.url));
const YEAR = 2026;
const EVENTS = 400;
const SELLERS = 6;
const CUSTOMERS = 150_000;
const REFERRALS = ['direct', 'google', 'espn', 'facebook', 'newsletter', 'instagram', 'radio', 'partner-site'];
const STATES = ['Illinois', 'Maryland', 'New York', 'Idaho', 'Texas', 'California', 'Ohio', 'Georgia', 'Washington', 'Colorado', 'Florida', 'Oregon'];


async function build(file: string, orders: number, partnerShare: number, log: (s: string) => void) {
  const started = performance.now();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  mkdirSync(dirname(file), { recursive: true });
  await (await openStore({ file })).close();
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  const r = mulberry32(7);
  const now = `${YEAR}-01-01T00:00:00.000Z`;
  const yearStart = Date.UTC(YEAR, 0, 1);
  const yearMs = Date.UTC(YEAR + 1, 0, 1) - yearStart;
  const partnerOrders = Math.round(orders * partnerShare);
  const eventDay = (e: number) => yearStart + (e * 86400000 * 365) / EVENTS;
  const eventOnSale = (at: string) => {
    const t = Date.parse(at);
    const first = Math.max(1, Math.ceil(((t - yearStart) * EVENTS) / (86400000 * 365)));
    const last = Math.min(EVENTS, Math.floor(((t + 60 * 86400000 - yearStart) * EVENTS) / (86400000 * 365)));
    const e = last >= first ? first + Math.floor(r() * (last - first + 1)) : EVENTS;
    return eventDay(e) >= t ? e : EVENTS;
  };
  const boxOrders = orders - partnerOrders;

  db.transaction(() => {
    db.prepare(`INSERT INTO venues (id, name, city, country, timezone, created_at) VALUES (1, 'Bench Hall', 'Chicago', 'US', 'America/Chicago', ?)`).run(now);
    const ev = db.prepare(`INSERT INTO events (id, name, venue_id, starts_at, starts_at_utc, local_date, status, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, 'on_sale', ?, ?)`);
    for (let e = 1; e <= EVENTS; e++) {
      const day = new Date(yearStart + ((e * 86400000 * 365) / EVENTS)).toISOString().slice(0, 10);
      ev.run(e, `Bench event ${e}`, `${day}T19:30:00-06:00`, `${day}T01:30:00.000Z`, day, now, now);
    }
    const seller = db.prepare(`INSERT INTO sellers (id, name, created_at) VALUES (?, ?, ?)`);
    for (let s = 1; s <= SELLERS; s++) seller.run(s, `Seller ${s}`, now);
    for (const slug of REFERRALS) db.prepare(`INSERT INTO referral_sources (slug, created_at) VALUES (?, ?)`).run(slug, now);
    // One listing per event and seller; tickets are created per order item below.
    const listing = db.prepare(`INSERT INTO listings (id, event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at) VALUES (?, ?, ?, 'A', '1', 1, 5000, 'USD', 'api', ?)`);
    for (let e = 1; e <= EVENTS; e++) for (let s = 1; s <= SELLERS; s++) listing.run((e - 1) * SELLERS + s, e, s, now);
    const cust = db.prepare(`INSERT INTO customers (id, name, email, region, country, created_at) VALUES (?, ?, ?, ?, 'United States', ?)`);
    for (let c = 1; c <= CUSTOMERS; c++) cust.run(c, `Customer ${c}`, `c${c}@example.com`, STATES[c % STATES.length], now);
  })();
  log(`analytics bench: reference data in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const order = db.prepare(`INSERT INTO orders (id, code, customer_id, channel, referral, total_cents, currency, created_at) VALUES (?, ?, ?, ?, ?, ?, 'USD', ?)`);
  const ticket = db.prepare(`INSERT INTO tickets (id, listing_id, event_id, seller_id, section, row, seat, price_cents, currency, status, updated_at) VALUES (?, ?, ?, ?, 'A', '1', NULL, ?, 'USD', 'sold', ?)`);
  const item = db.prepare(`INSERT INTO order_items (order_id, ticket_id, price_cents) VALUES (?, ?, ?)`);
  const pay = db.prepare(`INSERT INTO payments (order_id, tender, amount_cents, tendered_cents, change_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const unsold = db.prepare(`INSERT INTO tickets (id, listing_id, event_id, seller_id, section, row, price_cents, currency, status, updated_at) VALUES (?, ?, ?, ?, 'A', '2', 5000, 'USD', 'available', ?)`);
  let ticketId = 0;
  let items = 0;
  const BATCH = 50_000;
  for (let from = 1; from <= boxOrders; from += BATCH) {
    db.transaction(() => {
      for (let id = from; id < Math.min(from + BATCH, boxOrders + 1); id++) {
        // Orders arrive in time order, as they would.
        const at = new Date(yearStart + Math.floor(((id - 1 + r()) / boxOrders) * yearMs)).toISOString();
        const n = r() < 0.6 ? 1 : r() < 0.75 ? 2 : 4;
        // Events go on sale 60 days before they happen, so each day sells some fifty of them.
        const e = eventOnSale(at);
        const s = 1 + Math.floor(r() * SELLERS);
        const price = 2000 + Math.floor(r() * 200) * 50;
        const tender = r() < 0.3 ? 'cash' : r() < 0.95 ? 'card' : 'comp';
        const each = tender === 'comp' ? 0 : price;
        const total = each * n;
        const customer = r() < 0.3 ? null : 1 + Math.floor(r() * CUSTOMERS);
        order.run(id, `B${id}`, customer, r() < 0.7 ? 'kiosk' : 'api', r() < 0.5 ? REFERRALS[Math.floor(r() * REFERRALS.length)] : null, total, at);
        for (let k = 0; k < n; k++) {
          ticket.run(++ticketId, (e - 1) * SELLERS + s, e, s, price, at);
          item.run(id, ticketId, each);
          items++;
        }
        if (tender === 'cash') pay.run(id, 'cash', total, total + 1000, 1000, at);
        else pay.run(id, tender, total, null, null, at);
        if (id % 10 === 0) unsold.run(++ticketId, (e - 1) * SELLERS + s, e, s, at);
      }
    })();
    log(`analytics bench: ${Math.min(from + BATCH - 1, boxOrders)} / ${boxOrders} box-office orders`);
  }

  const porder = db.prepare(`INSERT INTO partner_orders (id, event_id, channel, customer_id, financial_status, counted, currency, total_cents, discount_cents, tax_cents,
      item_count, billing_region, billing_country, shipping_region, shipping_country, referral, tender, clerk, occurred_at, time_source, received_at)
    VALUES (?, ?, ?, ?, 'paid', 1, 'USD', ?, 0, 0, ?, ?, 'United States', ?, 'United States', ?, ?, NULL, ?, 'event', ?)`);
  const pitem = db.prepare(`INSERT INTO partner_order_items (partner_order_id, line_no, product_id, quantity, price_cents, event_id) VALUES (?, 1, ?, ?, ?, ?)`);
  for (let from = 1; from <= partnerOrders; from += BATCH) {
    db.transaction(() => {
      for (let id = from; id < Math.min(from + BATCH, partnerOrders + 1); id++) {
        const at = new Date(yearStart + Math.floor(((id - 1 + r()) / partnerOrders) * yearMs)).toISOString();
        const qty = 1 + Math.floor(r() * 3);
        const price = 1500 + Math.floor(r() * 100) * 100;
        const state = STATES[Math.floor(r() * STATES.length)]!;
        const linked = r() < 0.1 ? eventOnSale(at) : null;
        porder.run(id, `evt-${id}`, r() < 0.6 ? 'shop' : 'resale', 1 + Math.floor(r() * CUSTOMERS), price * qty, qty, state, state,
          r() < 0.4 ? REFERRALS[Math.floor(r() * REFERRALS.length)] : null, r() < 0.8 ? 'card' : 'paypal', at, at);
        pitem.run(id, `sku-${id % 500}`, qty, price, linked);
      }
    })();
    log(`analytics bench: ${Math.min(from + BATCH - 1, partnerOrders)} / ${partnerOrders} partner orders`);
  }
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { seconds: (performance.now() - started) / 1000, items };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The dataset with `orders` orders: bench/tmp/analytics-v5-<orders>.sqlite, built when missing or stale. */
export async function ensureReportsDataset(o: { orders: number; partnerShare?: number; file?: string; rebuild?: boolean; log: (s: string) => void }) {
  const { orders, log } = o;
  // The version in the name changes whenever the dataset or the schema it needs changes.
  const file = o.file ?? join(HERE, 'tmp', `analytics-v5-${orders}.sqlite`);
  let buildSeconds: number | null = null;
  const have = () => {
    if (!existsSync(file)) return false;
    const db = new SQLite(file, { readonly: true });
    try {
      const n = (db.prepare(`SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM partner_orders)`).pluck().get() as number) ?? 0;
      const schema = db.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('report_daily_by_key', 'orders_by_customer_report', 'report_customer_totals')`).pluck().get();
      return n === orders && schema === 3;
    } catch {
      return false;
    } finally {
      db.close();
    }
  };
  if (o.rebuild || !have()) {
    log(`analytics bench: building ${orders} orders in ${file}`);
    buildSeconds = (await build(file, orders, o.partnerShare ?? 0.3, log)).seconds;
  }
  return { file, buildSeconds };
}

/** Times every sales report over `orders` orders (default 1,000,000); see the header comment. */
export async function benchReports(opts: BenchReportsOptions = {}): Promise<BenchReportsResult> {
  const orders = opts.orders ?? 1_000_000;
  const partnerShare = opts.partnerShare ?? 0.3;
  const runs = opts.runs ?? 5;
  const log = opts.log ?? ((s: string) => console.log(s));
  const { file, buildSeconds } = await ensureReportsDataset({ orders, partnerShare, file: opts.file, rebuild: opts.rebuild, log });
  // Through the real store (migrations are up to date, reader connection as the app uses it).
  const store = await openStore({ file });
  const db = store.sql();
  if (opts.refold) {
    await store.writeSync((w) => w.exec(`DELETE FROM report_daily; DELETE FROM report_hourly; DELETE FROM report_customer_totals; DELETE FROM report_dirty_days; UPDATE report_watermarks SET last_id = 0;`));
  }
  const caughtUp = performance.now();
  await ensureRollups(store);
  const rollupCatchUpSeconds = (performance.now() - caughtUp) / 1000;
  log(`analytics bench: rollups caught up in ${rollupCatchUpSeconds.toFixed(1)} s`);
  const count = async (sql: string) => Number(Object.values((await db.get<Record<string, unknown>>(sql))!)[0]);
  const result: BenchReportsResult = {
    file,
    orders,
    boxOfficeOrders: await count('SELECT count(*) FROM orders'),
    partnerOrders: await count('SELECT count(*) FROM partner_orders'),
    orderItems: await count('SELECT count(*) FROM order_items'),
    buildSeconds,
    rollupCatchUpSeconds,
    timings: [],
  };
  const ranges = {
    year: { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` },
    '6 months': { from: `${YEAR}-04-01`, to: `${YEAR}-09-30` },
    '90 days': { from: `${YEAR}-04-01`, to: `${YEAR}-06-29` },
    '30 days': { from: `${YEAR}-06-01`, to: `${YEAR}-06-30` },
  } as const;
  const base = { tz: 'America/Chicago', source: 'all', currency: 'USD' } as const;
  const cases: [string, (range: { from: string; to: string }) => Promise<{ items: unknown[] }>][] = [
    ['revenue by day', (rg) => reports.revenueReport(db, { ...base, ...rg, granularity: 'day' })],
    ['revenue by month', (rg) => reports.revenueReport(db, { ...base, ...rg, granularity: 'month' })],
    ['top 10 customers', (rg) => reports.topCustomersReport(db, { ...base, ...rg, limit: 10 })],
    ['sales by state', (rg) => reports.regionReport(db, { ...base, ...rg, level: 'region', address: 'billing' })],
    ['sales by country', (rg) => reports.regionReport(db, { ...base, ...rg, level: 'country', address: 'billing' })],
    ['sales by referral', (rg) => reports.referralReport(db, { ...base, ...rg })],
    ['per event', (rg) => reports.eventSalesReport(db, { ...base, ...rg })],
    ['by seller', (rg) => reports.sellerReport(db, { ...base, ...rg })],
    ['shift (channel/tender)', (rg) => reports.shiftReport(db, { ...base, ...rg })],
  ];
  for (const [rangeName, rg] of Object.entries(ranges) as [ReportTiming['range'], { from: string; to: string }][]) {
    for (const [name, fn] of cases) {
      await ensureRollups(store);
      const rows = (await fn(rg)).items.length; // warm-up: statement prepared, pages cached
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await ensureRollups(store); // what the handler does first: a no-op check when nothing is new
        await fn(rg);
        ms.push(performance.now() - t);
      }
      const timing = { report: name, range: rangeName, rows, medianMs: Math.round(median(ms) * 10) / 10, maxMs: Math.round(Math.max(...ms) * 10) / 10 };
      result.timings.push(timing);
      log(`analytics bench: ${name.padEnd(24)} ${rangeName.padEnd(8)} median ${String(timing.medianMs).padStart(7)} ms  max ${String(timing.maxMs).padStart(7)} ms  (${rows} rows)`);
    }
  }
  await store.close();
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const orders = process.argv[2] ? Number(process.argv[2]) : undefined;
  const res = await benchReports({ orders, rebuild: process.env.BENCH_REBUILD === '1', refold: process.env.BENCH_REFOLD === '1' });
  console.log(JSON.stringify({ ...res, timings: undefined }, null, 2));
}
