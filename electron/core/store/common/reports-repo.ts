import type { SqlRunner } from '../contract/sql.js';

// Sales report queries, shared by both engines. A report's range is split into whole UTC days, read from the rollups
// (report_daily, report_hourly: a few rows per day instead of thousands of orders), and the partial
// days at its edges, read from the orders themselves. Rollups are folded in from orders and
// partner_orders by id above a watermark (foldRollups), so the sale path never pays for them.
// Top customers has no rollup (there is about one row per order) and reads orders through
// orders_by_customer_report / partner_orders_by_customer_report.

export interface SalesFilter {
  fromUtc: string;
  toUtc: string;
  currency: string;
  /** null: this side is left out entirely; 'all' or a non-empty list of channels. */
  boxOfficeChannels: string[] | 'all' | null;
  partnerChannels: string[] | 'all' | null;
  /** Read the orders only, never the rollups (tests compare both ways). */
  rawOnly?: boolean;
}

type Where = { sql: string; args: unknown[] };

function where(alias: string, timeCol: string, countedSql: string, channels: string[] | 'all', f: SalesFilter): Where {
  const args: unknown[] = [f.fromUtc, f.toUtc, f.currency];
  let sql = `${alias}.${timeCol} >= ? AND ${alias}.${timeCol} < ? AND ${countedSql} AND ${alias}.currency = ?`;
  if (channels !== 'all') {
    sql += ` AND ${alias}.channel IN (${channels.map(() => '?').join(',')})`;
    args.push(...channels);
  }
  return { sql, args };
}

const boxWhere = (f: SalesFilter) => where('o', 'created_at', `o.status = 'completed'`, f.boxOfficeChannels!, f);
const partnerWhere = (f: SalesFilter) => where('p', 'occurred_at', `p.counted = 1`, f.partnerChannels!, f);

async function raw<T>(db: SqlRunner, f: SalesFilter, box: ((w: Where) => string) | null, partner: ((w: Where) => string) | null): Promise<T[]> {
  const out: T[] = [];
  if (box && f.boxOfficeChannels !== null) {
    const w = boxWhere(f);
    out.push(...(await db.all<T>(box(w), w.args)));
  }
  if (partner && f.partnerChannels !== null) {
    const w = partnerWhere(f);
    out.push(...(await db.all<T>(partner(w), w.args)));
  }
  return out;
}

// --- splitting a range into rollup days and raw edges -------------------------------------------

const DAY_MS = 86400000;
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Split {
  /** Whole UTC days [first, end) served by report_daily, or null. */
  days: { first: string; end: string } | null;
  /** The partial days at the edges, read from the orders. */
  edges: SalesFilter[];
}

export function splitRange(f: SalesFilter): Split {
  const from = Date.parse(f.fromUtc);
  const to = Date.parse(f.toUtc);
  const d0 = Math.ceil(from / DAY_MS) * DAY_MS;
  const d1 = Math.floor(to / DAY_MS) * DAY_MS;
  if (d0 >= d1 || f.rawOnly) return { days: null, edges: [f] };
  const edges: SalesFilter[] = [];
  if (from < d0) edges.push({ ...f, toUtc: new Date(d0).toISOString() });
  if (d1 < to) edges.push({ ...f, fromUtc: new Date(d1).toISOString() });
  return { days: { first: dayText(d0), end: dayText(d1) }, edges };
}

function sourceChannelSql(f: SalesFilter): Where | null {
  const parts: string[] = [];
  const args: unknown[] = [];
  for (const [source, channels] of [['box', f.boxOfficeChannels], ['partner', f.partnerChannels]] as const) {
    if (channels === null) continue;
    if (channels === 'all') parts.push(`source = '${source}'`);
    else {
      parts.push(`(source = '${source}' AND channel IN (${channels.map(() => '?').join(',')}))`);
      args.push(...channels);
    }
  }
  return parts.length === 0 ? null : { sql: `(${parts.join(' OR ')})`, args };
}

export interface RollupRow {
  source: 'box' | 'partner';
  channel: string;
  key: string;
  key2: string;
  n: number;
  items: number;
  cents: number;
  tendered: number;
  change: number;
}

async function rollup(db: SqlRunner, f: SalesFilter, dims: string[], days: { first: string; end: string }): Promise<RollupRow[]> {
  const sc = sourceChannelSql(f);
  if (!sc) return [];
  return db.all<RollupRow>(
    `SELECT source, channel, key, key2, sum(orders) AS n, sum(items) AS items, sum(cents) AS cents, sum(tendered) AS tendered, sum(change) AS change
     FROM report_daily WHERE dim IN (${dims.map(() => '?').join(',')}) AND day >= ? AND day < ? AND currency = ? AND ${sc.sql}
     GROUP BY source, channel, key, key2`,
    [...dims, days.first, days.end, f.currency, ...sc.args],
  );
}

/** Rollup rows for the whole days plus `rawRows` for each edge, in one list. */
async function composite<T>(db: SqlRunner, f: SalesFilter, dims: string[], fromRollup: (r: RollupRow) => T, rawRows: (edge: SalesFilter) => Promise<T[]>): Promise<T[]> {
  const { days, edges } = splitRange(f);
  const out: T[] = days ? (await rollup(db, f, dims, days)).map(fromRollup) : [];
  for (const e of edges) out.push(...(await rawRows(e)));
  return out;
}

const orNull = (s: string) => (s === '' ? null : s);

// --- reports ---------------------------------------------------------------------------------

export interface Bucket {
  bucket: string;
  n: number;
  cents: number;
}

/**
 * Orders and revenue per UTC hour (chars = 13) or minute (16); the caller folds them into local
 * days. Hour-aligned ranges read report_hourly; anything else reads the orders.
 */
export async function revenueBuckets(db: SqlRunner, f: SalesFilter, chars: 13 | 16): Promise<Bucket[]> {
  const aligned = Date.parse(f.fromUtc) % 3600000 === 0 && Date.parse(f.toUtc) % 3600000 === 0;
  const sc = sourceChannelSql(f);
  if (chars === 13 && aligned && sc && !f.rawOnly) {
    return db.all<Bucket>(
      `SELECT hour AS bucket, sum(orders) AS n, sum(cents) AS cents FROM report_hourly
       WHERE hour >= ? AND hour < ? AND currency = ? AND ${sc.sql} GROUP BY hour`,
      [f.fromUtc.slice(0, 13), f.toUtc.slice(0, 13), f.currency, ...sc.args],
    );
  }
  return raw<Bucket>(
    db,
    f,
    (w) => `SELECT substr(o.created_at, 1, ${chars}) AS bucket, count(*) AS n, sum(o.total_cents) AS cents FROM orders o WHERE ${w.sql} GROUP BY 1`,
    (w) => `SELECT substr(p.occurred_at, 1, ${chars}) AS bucket, count(*) AS n, sum(p.total_cents) AS cents FROM partner_orders p WHERE ${w.sql} GROUP BY 1`,
  );
}

export interface CustomerTotal {
  customerId: number;
  name: string | null;
  email: string | null;
  n: number;
  cents: number;
}

/** How much of the orders' time span a range covers (0..1); an empty table counts as 1. */
async function spanShare(db: SqlRunner, table: string, col: string, f: SalesFilter): Promise<number> {
  // Two subqueries: SQLite answers a lone min() or max() from the index, but not both in one SELECT.
  const span = (await db.get<{ lo: string | null; hi: string | null }>(`SELECT (SELECT min(${col}) FROM ${table}) AS lo, (SELECT max(${col}) FROM ${table}) AS hi`))!;
  if (!span.lo || !span.hi) return 1;
  const whole = Date.parse(span.hi) - Date.parse(span.lo);
  const part = Math.min(Date.parse(f.toUtc), Date.parse(span.hi)) - Math.max(Date.parse(f.fromUtc), Date.parse(span.lo));
  return whole > 0 ? Math.max(0, part) / whole : 1;
}

type Grouped = { id: number; n: number; cents: number };

/** Per-customer totals in the range, for the customers in `ids` only (index seeks). */
async function customerTotalsFor(db: SqlRunner, f: SalesFilter, ids: number[]): Promise<Map<number, Grouped>> {
  const out = new Map<number, Grouped>();
  const list = ids.map(() => '?').join(',');
  const add = (rows: Grouped[]) => {
    for (const r of rows) {
      const g = { id: Number(r.id), n: Number(r.n), cents: Number(r.cents) };
      const prior = out.get(g.id);
      if (prior) {
        prior.n += g.n;
        prior.cents += g.cents;
      } else out.set(g.id, g);
    }
  };
  if (f.boxOfficeChannels !== null) {
    const w = boxWhere(f);
    add(await db.all<Grouped>(`SELECT o.customer_id AS id, count(*) AS n, sum(o.total_cents) AS cents FROM orders o ${db.dialect.indexedBy('orders_by_customer_report')}
      WHERE o.customer_id IN (${list}) AND ${w.sql} GROUP BY o.customer_id`, [...ids, ...w.args]));
  }
  if (f.partnerChannels !== null) {
    const w = partnerWhere(f);
    add(await db.all<Grouped>(`SELECT p.customer_id AS id, count(*) AS n, sum(p.total_cents) AS cents FROM partner_orders p ${db.dialect.indexedBy('partner_orders_by_customer_report')}
      WHERE p.customer_id IN (${list}) AND ${w.sql} GROUP BY p.customer_id`, [...ids, ...w.args]));
  }
  return out;
}

const byCentsThenId = (a: Grouped, b: Grouped) => b.cents - a.cents || a.id - b.id;

/**
 * Long ranges: customers are visited in order of their all-time spend (report_customer_totals, an
 * upper bound of any range's spend) and totalled for the range by index seeks, until no customer
 * left could still enter the top N. Exact, and it usually stops after a few hundred customers.
 */
async function topCustomersPruned(db: SqlRunner, f: SalesFilter, limit: number, budget: number): Promise<Grouped[] | null> {
  const top: Grouped[] = [];
  // Keyset pages (a statement cannot stay open while others run on the connection).
  const page = `SELECT customer_id, cents FROM report_customer_totals WHERE currency = ? AND (cents < ? OR (cents = ? AND customer_id < ?))
     ORDER BY cents DESC, customer_id DESC LIMIT ?`;
  let after: [number, number] = [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  let visited = 0;
  for (let chunk = 64; ; chunk = Math.min(chunk * 2, 1024)) {
    // A short range keeps many customers in the running; past the budget a scan by time is cheaper.
    if (visited >= budget) return null;
    const rows = (await db.all<{ customer_id: number; cents: number }>(page, [f.currency, after[1], after[1], after[0], chunk])).map((r) => [Number(r.customer_id), Number(r.cents)] as [number, number]);
    if (rows.length === 0) break;
    // Nobody from here on can spend more in the range than this all-time total.
    const bound = rows[0]![1];
    if (top.length === limit && top[limit - 1]!.cents > bound) break;
    // Padding keeps the number of distinct statements small (one per chunk size).
    const ids = [...rows.map((r) => r[0]), ...Array<number>(chunk - rows.length).fill(-1)];
    for (const g of (await customerTotalsFor(db, f, ids)).values()) top.push(g);
    top.sort(byCentsThenId);
    top.length = Math.min(top.length, limit);
    after = rows[rows.length - 1]!;
    visited += rows.length;
    if (rows.length < chunk) break;
  }
  return top;
}

/** Box-office and partner orders meet in the one customers table (partner buyers are matched by email). */
export async function topCustomers(db: SqlRunner, f: SalesFilter, limit: number): Promise<CustomerTotal[]> {
  const share = Math.max(
    f.boxOfficeChannels !== null ? await spanShare(db, 'orders', 'created_at', f) : 0,
    f.partnerChannels !== null ? await spanShare(db, 'partner_orders', 'occurred_at', f) : 0,
  );
  // Long ranges prune by all-time spend; short ones (under ~15% of the orders, e.g. a month of a
  // year) keep too many customers in the running, so they scan their orders by time.
  let top = f.rawOnly || share < 0.15 ? null : await topCustomersPruned(db, f, limit, share >= 0.3 ? Infinity : 8192);
  if (!top) {
    // A short range reads its orders by time (SQLite's own estimate picks the customer index here, wrongly).
    const parts: string[] = [];
    const args: unknown[] = [];
    if (f.boxOfficeChannels !== null) {
      const w = boxWhere(f);
      parts.push(`SELECT o.customer_id AS id, count(*) AS n, sum(o.total_cents) AS cents FROM orders o ${db.dialect.indexedBy('orders_by_created')} WHERE o.customer_id IS NOT NULL AND ${w.sql} GROUP BY o.customer_id`);
      args.push(...w.args);
    }
    if (f.partnerChannels !== null) {
      const w = partnerWhere(f);
      parts.push(`SELECT p.customer_id AS id, count(*) AS n, sum(p.total_cents) AS cents FROM partner_orders p ${db.dialect.indexedBy('partner_orders_report')} WHERE p.customer_id IS NOT NULL AND ${w.sql} GROUP BY p.customer_id`);
      args.push(...w.args);
    }
    if (parts.length === 0) return [];
    const grouped = parts.length === 1 ? parts[0]! : `SELECT id, sum(n) AS n, sum(cents) AS cents FROM (${parts.join(' UNION ALL ')}) u GROUP BY id`;
    top = (await db.all<Grouped>(`${grouped} ORDER BY cents DESC, id ASC LIMIT ?`, [...args, limit])).map((g) => ({ id: Number(g.id), n: Number(g.n), cents: Number(g.cents) }));
  }
  if (top.length === 0) return [];
  const people = new Map(
    (await db.all<{ id: number; name: string | null; email: string | null }>(`SELECT id, name, email FROM customers WHERE id IN (${top.map(() => '?').join(',')})`, top.map((t) => t.id))).map((c) => [
      Number(c.id),
      c,
    ]),
  );
  return top.map((t) => ({ customerId: t.id, name: people.get(t.id)?.name ?? null, email: people.get(t.id)?.email ?? null, n: t.n, cents: t.cents }));
}

export interface PlaceTotal {
  region: string | null;
  country: string | null;
  n: number;
  cents: number;
}

/** Box office: the customer's address (walk-ins have none); partner: the billing or shipping address. */
export function salesByPlace(db: SqlRunner, f: SalesFilter, address: 'billing' | 'shipping'): Promise<PlaceTotal[]> {
  return composite<PlaceTotal>(
    db,
    f,
    ['region', `region:${address}`],
    (r) => ({ region: orNull(r.key), country: orNull(r.key2), n: r.n, cents: r.cents }),
    (e) =>
      raw<PlaceTotal>(
        db,
        e,
        (w) => `SELECT c.region AS region, c.country AS country, count(*) AS n, sum(o.total_cents) AS cents
          FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE ${w.sql} GROUP BY 1, 2`,
        (w) => `SELECT p.${address}_region AS region, p.${address}_country AS country, count(*) AS n, sum(p.total_cents) AS cents
          FROM partner_orders p WHERE ${w.sql} GROUP BY 1, 2`,
      ),
  );
}

export interface ReferralTotal {
  referral: string | null;
  n: number;
  cents: number;
}

export function salesByReferral(db: SqlRunner, f: SalesFilter): Promise<ReferralTotal[]> {
  return composite<ReferralTotal>(
    db,
    f,
    ['referral'],
    (r) => ({ referral: orNull(r.key), n: r.n, cents: r.cents }),
    (e) =>
      raw<ReferralTotal>(
        db,
        e,
        (w) => `SELECT o.referral AS referral, count(*) AS n, sum(o.total_cents) AS cents FROM orders o WHERE ${w.sql} GROUP BY 1`,
        (w) => `SELECT p.referral AS referral, count(*) AS n, sum(p.total_cents) AS cents FROM partner_orders p WHERE ${w.sql} GROUP BY 1`,
      ),
  );
}

export interface EventTotal {
  eventId: number;
  sold: number;
  cents: number;
}

export function salesByEvent(db: SqlRunner, f: SalesFilter): Promise<EventTotal[]> {
  return composite<EventTotal>(
    db,
    f,
    ['event'],
    (r) => ({ eventId: Number(r.key), sold: r.items, cents: r.cents }),
    (e) =>
      raw<EventTotal>(
        db,
        e,
        (w) => `SELECT t.event_id AS "eventId", count(*) AS sold, sum(i.price_cents) AS cents
          FROM orders o JOIN order_items i ON i.order_id = o.id AND i.voided_at IS NULL JOIN tickets t ON t.id = i.ticket_id
          WHERE ${w.sql} GROUP BY t.event_id`,
        (w) => `SELECT it.event_id AS "eventId", sum(it.quantity) AS sold, sum(it.quantity * it.price_cents) AS cents
          FROM partner_orders p JOIN partner_order_items it ON it.partner_order_id = p.id
          WHERE it.event_id IS NOT NULL AND ${w.sql} GROUP BY it.event_id`,
      ),
  );
}

/**
 * Box-office tickets sold per event over all time, from the rollups only (call after they are
 * current); report_daily_by_key covers it, so only those events' rows are read.
 */
export async function eventSoldEver(db: SqlRunner, eventIds: number[], currency: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < eventIds.length; i += 200) {
    const keys = eventIds.slice(i, i + 200).map(String);
    const padded = [...keys, ...Array<string>(200 - keys.length).fill('')];
    const rows = await db.all<{ key: string; sold: number }>(
      `SELECT key, sum(items) AS sold FROM report_daily ${db.dialect.indexedBy('report_daily_by_key')}
       WHERE dim = 'event' AND key IN (${padded.map(() => '?').join(',')}) AND source = 'box' AND currency = ? GROUP BY key`,
      [...padded, currency],
    );
    for (const r of rows) out.set(Number(r.key), Number(r.sold));
  }
  return out;
}

export interface EventInfo {
  id: number;
  name: string;
  startsAt: string;
  /** Box-office tickets available or held now. */
  unsold: number;
}

export async function eventInfo(db: SqlRunner, eventIds: number[]): Promise<EventInfo[]> {
  const out: EventInfo[] = [];
  // Bounded IN lists keep the statement cache small and stay under SQLite's variable limit.
  for (let i = 0; i < eventIds.length; i += 100) {
    const ids = eventIds.slice(i, i + 100);
    const rows = await db.all<{ id: number; name: string; starts_at: string; unsold: number }>(
      `SELECT e.id, e.name, e.starts_at,
         (SELECT count(*) FROM tickets t WHERE t.event_id = e.id AND t.status IN ('available', 'held')) AS unsold
       FROM events e WHERE e.id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    out.push(...rows.map((r) => ({ id: Number(r.id), name: r.name, startsAt: r.starts_at, unsold: Number(r.unsold) })));
  }
  return out;
}

export interface SellerTotal {
  sellerId: number | null;
  seller: string;
  orders: number;
  tickets: number;
  cents: number;
}

export async function salesBySeller(db: SqlRunner, f: SalesFilter): Promise<SellerTotal[]> {
  const rows = await composite<{ source: string; key: string; orders: number; tickets: number; cents: number }>(
    db,
    f,
    ['seller'],
    (r) => ({ source: r.source, key: r.key, orders: r.n, tickets: r.items, cents: r.cents }),
    (e) =>
      raw(
        db,
        e,
        (w) => `SELECT 'box' AS source, CAST(t.seller_id AS TEXT) AS key, count(DISTINCT o.id) AS orders, count(*) AS tickets, sum(i.price_cents) AS cents
          FROM orders o JOIN order_items i ON i.order_id = o.id AND i.voided_at IS NULL JOIN tickets t ON t.id = i.ticket_id
          WHERE ${w.sql} GROUP BY t.seller_id`,
        (w) => `SELECT 'partner' AS source, p.channel AS key, count(*) AS orders, sum(p.item_count) AS tickets, sum(p.total_cents) AS cents
          FROM partner_orders p WHERE ${w.sql} GROUP BY p.channel`,
      ),
  );
  const merged = new Map<string, SellerTotal>();
  const boxIds = [...new Set(rows.filter((r) => r.source === 'box').map((r) => Number(r.key)))];
  const names = new Map(
    boxIds.length === 0
      ? []
      : (await db.all<{ id: number; name: string }>(`SELECT id, name FROM sellers WHERE id IN (${boxIds.map(() => '?').join(',')})`, boxIds)).map((s) => [Number(s.id), s.name]),
  );
  for (const r of rows) {
    const k = `${r.source}|${r.key}`;
    const prior = merged.get(k);
    if (prior) {
      prior.orders += r.orders;
      prior.tickets += r.tickets;
      prior.cents += r.cents;
    } else if (r.source === 'box') {
      merged.set(k, { sellerId: Number(r.key), seller: names.get(Number(r.key)) ?? `seller ${r.key}`, orders: r.orders, tickets: r.tickets, cents: r.cents });
    } else {
      merged.set(k, { sellerId: null, seller: `partner:${r.key}`, orders: r.orders, tickets: r.tickets, cents: r.cents });
    }
  }
  return [...merged.values()];
}

/**
 * Who rang a box-office order up: the signed-in account of the order's first audit entry (the
 * sale; issue 6 audits every mutating call with subject order:<code>). Token and system calls have
 * no account, so no clerk.
 */
const CLERK_SQL = `(SELECT CASE WHEN a.user_id IS NULL THEN NULL ELSE a.username END FROM audit_log a
  WHERE a.subject = 'order:' || o.code ORDER BY a.id LIMIT 1)`;

export interface ShiftTotal {
  channel: string;
  tender: string | null;
  clerk: string | null;
  n: number;
  amountCents: number;
  tenderedCents: number;
  changeCents: number;
}

export function shiftTotals(db: SqlRunner, f: SalesFilter): Promise<ShiftTotal[]> {
  return composite<ShiftTotal>(
    db,
    f,
    ['tender'],
    (r) => ({ channel: r.channel, tender: orNull(r.key), clerk: orNull(r.key2), n: r.n, amountCents: r.cents, tenderedCents: r.tendered, changeCents: r.change }),
    (e) =>
      raw<ShiftTotal>(
        db,
        e,
        // The clerk is a subquery per order, grouped in an outer query (PostgreSQL groups no correlated subquery).
        (w) => `SELECT channel, tender, clerk, count(*) AS n, sum(amount_cents) AS "amountCents",
            coalesce(sum(tendered_cents), 0) AS "tenderedCents", coalesce(sum(change_cents), 0) AS "changeCents"
          FROM (SELECT o.channel AS channel, pay.tender AS tender, ${CLERK_SQL} AS clerk, pay.amount_cents, pay.tendered_cents, pay.change_cents
                FROM orders o JOIN payments pay ON pay.order_id = o.id WHERE ${w.sql}) x
          GROUP BY channel, tender, clerk`,
        (w) => `SELECT p.channel AS channel, p.tender AS tender, p.clerk AS clerk, count(*) AS n, sum(p.total_cents) AS "amountCents",
            0 AS "tenderedCents", 0 AS "changeCents"
          FROM partner_orders p WHERE ${w.sql} GROUP BY 1, 2, 3`,
      ),
  );
}

// --- folding orders into the rollups -----------------------------------------------------------

type Acc = { daily: Map<string, number[]>; hourly: Map<string, number[]>; customers: Map<string, number> };
const SEP = '\u0001';

function addDaily(acc: Acc, dim: string, at: string, source: string, channel: string, currency: string, key: string | number | null, key2: string | null, v: number[]) {
  const k = [dim, at.slice(0, 10), source, channel, currency, key === null ? '' : String(key), key2 ?? ''].join(SEP);
  const cur = acc.daily.get(k);
  if (cur) for (let i = 0; i < 5; i++) cur[i]! += v[i]!;
  else acc.daily.set(k, [...v]);
}

function addHourly(acc: Acc, at: string, source: string, channel: string, currency: string, cents: number) {
  const k = [at.slice(0, 13), source, channel, currency].join(SEP);
  const cur = acc.hourly.get(k);
  if (cur) {
    cur[0]!++;
    cur[1]! += cents;
  } else acc.hourly.set(k, [1, cents]);
}

function addCustomer(acc: Acc, customerId: number | null, currency: string, cents: number) {
  if (customerId === null) return;
  const k = `${customerId}${SEP}${currency}`;
  acc.customers.set(k, (acc.customers.get(k) ?? 0) + cents);
}

type Row = (string | number | null)[];
/** Rows as arrays, in the order of the SELECT list (the folds below destructure them). */
const rows = async (db: SqlRunner, sql: string, args: unknown[]) => (await db.all<Record<string, string | number | null>>(sql, args)).map((r) => Object.values(r) as Row);

async function aggregateBox(db: SqlRunner, cond: string, args: unknown[], acc: Acc) {
  const base = `FROM orders o`;
  for (const [customerId, at, channel, currency, total, referral, region, country] of (await rows(
    db,
    `SELECT o.customer_id, o.created_at, o.channel, o.currency, o.total_cents, o.referral, c.region, c.country ${base}
     LEFT JOIN customers c ON c.id = o.customer_id WHERE o.status = 'completed' AND ${cond}`,
    args,
  )) as unknown as [number | null, string, string, string, number, string | null, string | null, string | null][]) {
    addHourly(acc, at, 'box', channel, currency, total);
    addCustomer(acc, customerId, currency, total);
    addDaily(acc, 'referral', at, 'box', channel, currency, referral, null, [1, 0, total, 0, 0]);
    addDaily(acc, 'region', at, 'box', channel, currency, region, country, [1, 0, total, 0, 0]);
  }
  const sellerOrders = new Set<string>();
  for (const [id, at, channel, currency, eventId, sellerId, price] of (await rows(
    db,
    `SELECT o.id, o.created_at, o.channel, o.currency, t.event_id, t.seller_id, i.price_cents ${base}
     JOIN order_items i ON i.order_id = o.id AND i.voided_at IS NULL JOIN tickets t ON t.id = i.ticket_id
     WHERE o.status = 'completed' AND ${cond}`,
    args,
  )) as unknown as [number, string, string, string, number, number, number][]) {
    addDaily(acc, 'event', at, 'box', channel, currency, eventId, null, [0, 1, price, 0, 0]);
    const first = !sellerOrders.has(`${id}|${sellerId}`);
    if (first) sellerOrders.add(`${id}|${sellerId}`);
    addDaily(acc, 'seller', at, 'box', channel, currency, sellerId, null, [first ? 1 : 0, 1, price, 0, 0]);
  }
  for (const [at, channel, currency, tender, amount, tendered, change, clerk] of (await rows(
    db,
    `SELECT o.created_at, o.channel, o.currency, pay.tender, pay.amount_cents, pay.tendered_cents, pay.change_cents, ${CLERK_SQL} ${base}
     JOIN payments pay ON pay.order_id = o.id WHERE o.status = 'completed' AND ${cond}`,
    args,
  )) as unknown as [string, string, string, string, number, number | null, number | null, string | null][]) {
    addDaily(acc, 'tender', at, 'box', channel, currency, tender, clerk, [1, 0, amount, tendered ?? 0, change ?? 0]);
  }
}

async function aggregatePartner(db: SqlRunner, cond: string, args: unknown[], acc: Acc) {
  for (const [at, channel, currency, total, itemCount, customerId, referral, bRegion, bCountry, sRegion, sCountry, tender, clerk] of (await rows(
    db,
    `SELECT p.occurred_at, p.channel, p.currency, p.total_cents, p.item_count, p.customer_id, p.referral, p.billing_region, p.billing_country,
       p.shipping_region, p.shipping_country, p.tender, p.clerk
     FROM partner_orders p WHERE p.counted = 1 AND ${cond}`,
    args,
  )) as unknown as [string, string, string, number, number, number | null, ...(string | null)[]][]) {
    addHourly(acc, at, 'partner', channel, currency, total);
    addCustomer(acc, customerId, currency, total);
    addDaily(acc, 'referral', at, 'partner', channel, currency, referral ?? null, null, [1, 0, total, 0, 0]);
    addDaily(acc, 'region:billing', at, 'partner', channel, currency, bRegion ?? null, bCountry ?? null, [1, 0, total, 0, 0]);
    addDaily(acc, 'region:shipping', at, 'partner', channel, currency, sRegion ?? null, sCountry ?? null, [1, 0, total, 0, 0]);
    addDaily(acc, 'seller', at, 'partner', channel, currency, channel, null, [1, itemCount, total, 0, 0]);
    addDaily(acc, 'tender', at, 'partner', channel, currency, tender ?? null, clerk ?? null, [1, 0, total, 0, 0]);
  }
  for (const [at, channel, currency, eventId, qty, price] of (await rows(
    db,
    `SELECT p.occurred_at, p.channel, p.currency, it.event_id, it.quantity, it.price_cents
     FROM partner_orders p JOIN partner_order_items it ON it.partner_order_id = p.id
     WHERE p.counted = 1 AND it.event_id IS NOT NULL AND ${cond}`,
    args,
  )) as unknown as [string, string, string, number, number, number][]) {
    addDaily(acc, 'event', at, 'partner', channel, currency, eventId, null, [0, qty, qty * price, 0, 0]);
  }
}

async function flush(db: SqlRunner, acc: Acc) {
  // Table-qualified on the right: PostgreSQL would find a bare column name ambiguous beside excluded.
  const daily = `INSERT INTO report_daily (dim, day, source, channel, currency, key, key2, orders, items, cents, tendered, change)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dim, day, source, channel, currency, key, key2) DO UPDATE SET orders = report_daily.orders + excluded.orders,
       items = report_daily.items + excluded.items, cents = report_daily.cents + excluded.cents,
       tendered = report_daily.tendered + excluded.tendered, change = report_daily.change + excluded.change`;
  for (const [k, v] of acc.daily) await db.run(daily, [...k.split(SEP), ...v]);
  const hourly = `INSERT INTO report_hourly (hour, source, channel, currency, orders, cents) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (hour, source, channel, currency) DO UPDATE SET orders = report_hourly.orders + excluded.orders, cents = report_hourly.cents + excluded.cents`;
  for (const [k, v] of acc.hourly) await db.run(hourly, [...k.split(SEP), ...v]);
  const customers = `INSERT INTO report_customer_totals (customer_id, currency, cents) VALUES (?, ?, ?)
     ON CONFLICT (customer_id, currency) DO UPDATE SET cents = report_customer_totals.cents + excluded.cents`;
  for (const [k, cents] of acc.customers) {
    const [id, currency] = k.split(SEP);
    await db.run(customers, [Number(id), currency, cents]);
  }
}

/** Exact all-time totals again for the customers of a rebuilt day (folded orders only). */
async function recomputeCustomers(db: SqlRunner, day: string, next: string, s: RollupState) {
  const ids = await db.all<{ customer_id: number }>(
    `SELECT customer_id FROM orders WHERE created_at >= ? AND created_at < ? AND id <= ? AND customer_id IS NOT NULL
     UNION SELECT customer_id FROM partner_orders WHERE occurred_at >= ? AND occurred_at < ? AND id <= ? AND customer_id IS NOT NULL`,
    [day, next, s.box, day, next, s.partner],
  );
  for (const { customer_id } of ids) {
    const id = Number(customer_id);
    await db.run(`DELETE FROM report_customer_totals WHERE customer_id = ?`, [id]);
    await db.run(
      `INSERT INTO report_customer_totals (customer_id, currency, cents)
       SELECT CAST(? AS BIGINT), currency, sum(cents) FROM (
         SELECT currency, total_cents AS cents FROM orders WHERE customer_id = ? AND status = 'completed' AND id <= ?
         UNION ALL SELECT currency, total_cents FROM partner_orders WHERE customer_id = ? AND counted = 1 AND id <= ?
       ) t GROUP BY currency`,
      [id, id, s.box, id, s.partner],
    );
  }
}

export interface RollupState {
  box: number;
  partner: number;
  maxBox: number;
  maxPartner: number;
  dirtyDays: number;
}

export async function rollupState(db: SqlRunner): Promise<RollupState> {
  const r = (await db.get<RollupState>(
    `SELECT (SELECT last_id FROM report_watermarks WHERE source = 'box') AS box,
       (SELECT last_id FROM report_watermarks WHERE source = 'partner') AS partner,
       coalesce((SELECT max(id) FROM orders), 0) AS "maxBox",
       coalesce((SELECT max(id) FROM partner_orders), 0) AS "maxPartner",
       (SELECT count(*) FROM report_dirty_days) AS "dirtyDays"`,
  ))!;
  return { box: Number(r.box), partner: Number(r.partner), maxBox: Number(r.maxBox), maxPartner: Number(r.maxPartner), dirtyDays: Number(r.dirtyDays) };
}

export const rollupBehind = (s: RollupState) => s.dirtyDays > 0 || s.box < s.maxBox || s.partner < s.maxPartner;

/**
 * One step of keeping the rollups current; call inside a write transaction, after the engine's
 * lockForRollups, until it returns false. Dirty days are rebuilt from the orders already folded
 * (id ≤ watermark); then up to `batch` new orders of each source are folded in and the watermarks move.
 */
export async function foldRollups(db: SqlRunner, batch = 5_000): Promise<boolean> {
  const s = await rollupState(db);
  const acc: Acc = { daily: new Map(), hourly: new Map(), customers: new Map() };
  for (const { day } of await db.all<{ day: string }>(`SELECT day FROM report_dirty_days`)) {
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    await db.run(`DELETE FROM report_daily WHERE day = ?`, [day]);
    await db.run(`DELETE FROM report_hourly WHERE hour > ? AND hour < ?`, [day, `${day}U`]);
    const dayAcc: Acc = { daily: new Map(), hourly: new Map(), customers: new Map() };
    await aggregateBox(db, `o.created_at >= ? AND o.created_at < ? AND o.id <= ?`, [day, next, s.box], dayAcc);
    await aggregatePartner(db, `p.occurred_at >= ? AND p.occurred_at < ? AND p.id <= ?`, [day, next, s.partner], dayAcc);
    // Customer totals are all-time, not per day: recompute those of the day's customers instead.
    dayAcc.customers.clear();
    await flush(db, dayAcc);
    await recomputeCustomers(db, day, next, s);
    await db.run(`DELETE FROM report_dirty_days WHERE day = ?`, [day]);
  }
  const boxTo = Math.min(s.maxBox, s.box + batch);
  const partnerTo = Math.min(s.maxPartner, s.partner + batch);
  if (boxTo > s.box) await aggregateBox(db, `o.id > ? AND o.id <= ?`, [s.box, boxTo], acc);
  if (partnerTo > s.partner) await aggregatePartner(db, `p.id > ? AND p.id <= ?`, [s.partner, partnerTo], acc);
  await flush(db, acc);
  await db.run(`UPDATE report_watermarks SET last_id = ? WHERE source = ?`, [boxTo, 'box']);
  await db.run(`UPDATE report_watermarks SET last_id = ? WHERE source = ?`, [partnerTo, 'partner']);
  return boxTo < s.maxBox || partnerTo < s.maxPartner;
}
