import { formatCents } from '../../../shared/money.js';
import type { OpOutput, OpParsedInput } from '../../../shared/operations/index.js';
import type { SqlRunner } from '../store/contract/sql.js';
import * as repo from '../store/common/reports-repo.js';
import { dayIndexOfBucket, resolveRange, weekOf, type ResolvedRange } from './time-range.js';

/** Channels of box-office orders; any other channel name is a partner channel. */
export const BOX_OFFICE_CHANNELS = new Set(['kiosk', 'api', 'import']);

type RangeInput = OpParsedInput<'reportRevenue'>;
type Meta = OpOutput<'reportRevenue'>['meta'];

export interface Prepared {
  range: ResolvedRange;
  filter: repo.SalesFilter;
  meta: Meta;
}

export interface ReportOptions {
  nowMs?: number;
  /** Read the orders only, never the rollups. */
  rawOnly?: boolean;
}

export function prepare(input: Pick<RangeInput, 'from' | 'to' | 'tz' | 'source' | 'channels' | 'currency'>, opts: ReportOptions = {}): Prepared {
  const nowMs = opts.nowMs ?? Date.now();
  const range = resolveRange(input.from, input.to, input.tz, nowMs);
  const list = input.channels ? [...new Set(input.channels.split(','))] : null;
  let box: repo.SalesFilter['boxOfficeChannels'] = input.source === 'partner' ? null : 'all';
  let partner: repo.SalesFilter['partnerChannels'] = input.source === 'box-office' ? null : 'all';
  if (list) {
    const b = list.filter((c) => BOX_OFFICE_CHANNELS.has(c));
    const p = list.filter((c) => !BOX_OFFICE_CHANNELS.has(c));
    box = box && b.length > 0 ? b : null;
    partner = partner && p.length > 0 ? p : null;
  }
  return {
    range,
    filter: { fromUtc: range.fromUtc, toUtc: range.toUtc, currency: input.currency, boxOfficeChannels: box, partnerChannels: partner, rawOnly: opts.rawOnly },
    meta: { fromUtc: range.fromUtc, toUtc: range.toUtc, tz: range.tz, currency: input.currency, source: input.source, channels: list },
  };
}

const money = (cents: number) => ({ revenueCents: cents, revenue: formatCents(cents) });
const byRevenue = <T extends { cents: number }>(key: (t: T) => string) => (a: T, b: T) => b.cents - a.cents || key(a).localeCompare(key(b));
const norm = (s: string | null) => (s === null ? '' : s.trim().toLowerCase());

/** Adds up the numeric fields of rows that share a key (case and blanks ignored), keeping the first spelling seen. */
function merge<T extends object>(rows: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const prior = m.get(k) as Record<string, unknown> | undefined;
    if (!prior) m.set(k, { ...r });
    else for (const [f, v] of Object.entries(r)) if (typeof v === 'number') prior[f] = (prior[f] as number) + v;
  }
  return [...m.values()];
}

export async function revenueReport(db: SqlRunner, input: OpParsedInput<'reportRevenue'>, opts?: ReportOptions): Promise<OpOutput<'reportRevenue'>> {
  const { range, filter, meta } = prepare(input, opts);
  const perDay = range.days.map(() => ({ n: 0, cents: 0 }));
  const dayOf = new Map<string, number>();
  for (const b of await repo.revenueBuckets(db, filter, range.bucketChars)) {
    let i = dayOf.get(b.bucket);
    if (i === undefined) dayOf.set(b.bucket, (i = dayIndexOfBucket(range, b.bucket)));
    if (i < 0) continue;
    perDay[i]!.n += b.n;
    perDay[i]!.cents += b.cents;
  }
  const periodOf = (day: string) => (input.granularity === 'day' ? day : input.granularity === 'week' ? weekOf(day) : day.slice(0, 7));
  const periods = new Map<string, { n: number; cents: number }>();
  range.days.forEach((day, i) => {
    const p = periodOf(day);
    const acc = periods.get(p) ?? { n: 0, cents: 0 };
    acc.n += perDay[i]!.n;
    acc.cents += perDay[i]!.cents;
    periods.set(p, acc);
  });
  const items = [...periods].map(([period, v]) => ({ period, orders: v.n, ...money(v.cents) }));
  const total = items.reduce((t, i) => ({ n: t.n + i.orders, cents: t.cents + i.revenueCents }), { n: 0, cents: 0 });
  return { meta, granularity: input.granularity, items, total: { orders: total.n, ...money(total.cents) } };
}

export async function topCustomersReport(db: SqlRunner, input: OpParsedInput<'reportTopCustomers'>, opts?: ReportOptions): Promise<OpOutput<'reportTopCustomers'>> {
  const { filter, meta } = prepare(input, opts);
  const rows = await repo.topCustomers(db, filter, input.limit);
  return {
    meta,
    items: rows.map((r, i) => ({ rank: i + 1, customerId: r.customerId, name: r.name, email: r.email, orders: r.n, ...money(r.cents) })),
  };
}

export async function regionReport(db: SqlRunner, input: OpParsedInput<'reportSalesByRegion'>, opts?: ReportOptions): Promise<OpOutput<'reportSalesByRegion'>> {
  const { filter, meta } = prepare(input, opts);
  let rows = await repo.salesByPlace(db, filter, input.address);
  if (input.level === 'country') rows = rows.map((r) => ({ ...r, region: null }));
  const merged = merge(rows, (r) => `${norm(r.country)}|${norm(r.region)}`).sort(byRevenue((r) => `${r.country}|${r.region}`));
  return {
    meta,
    level: input.level,
    items: merged.map((r) => ({ country: r.country, region: r.region, orders: r.n, ...money(r.cents) })),
  };
}

export async function referralReport(db: SqlRunner, input: OpParsedInput<'reportSalesByReferral'>, opts?: ReportOptions): Promise<OpOutput<'reportSalesByReferral'>> {
  const { filter, meta } = prepare(input, opts);
  const merged = merge(await repo.salesByReferral(db, filter), (r) => norm(r.referral)).sort(byRevenue((r) => r.referral ?? ''));
  return { meta, items: merged.map((r) => ({ referral: r.referral, orders: r.n, ...money(r.cents) })) };
}

export async function eventSalesReport(db: SqlRunner, input: OpParsedInput<'reportEventSales'>, opts?: ReportOptions): Promise<OpOutput<'reportEventSales'>> {
  const { filter, meta } = prepare(input, opts);
  const totals = new Map<number, { sold: number; cents: number }>();
  for (const r of await repo.salesByEvent(db, filter)) {
    const t = totals.get(r.eventId) ?? { sold: 0, cents: 0 };
    t.sold += r.sold;
    t.cents += r.cents;
    totals.set(r.eventId, t);
  }
  const ids = [...totals.keys()];
  // Sell-through is about the inventory, not the range: box-office tickets sold at any time against
  // those sold, available or held now.
  let soldEver: Map<number, number>;
  if (filter.rawOnly) {
    const allTime = { ...filter, fromUtc: '0001-01-01T00:00:00.000Z', toUtc: '9999-12-31T00:00:00.000Z', boxOfficeChannels: 'all' as const, partnerChannels: null };
    soldEver = new Map();
    for (const r of await repo.salesByEvent(db, allTime)) soldEver.set(r.eventId, (soldEver.get(r.eventId) ?? 0) + r.sold);
  } else soldEver = await repo.eventSoldEver(db, ids, input.currency);
  const items = (await repo.eventInfo(db, ids)).map((e) => {
    const t = totals.get(e.id)!;
    const soldNow = soldEver.get(e.id) ?? 0;
    const listed = soldNow + e.unsold;
    return {
      eventId: e.id,
      eventName: e.name,
      startsAt: e.startsAt,
      sold: t.sold,
      ...money(t.cents),
      averagePriceCents: t.sold > 0 ? Math.round(t.cents / t.sold) : null,
      listed,
      soldNow,
      sellThrough: listed > 0 ? soldNow / listed : null,
    };
  });
  items.sort((a, b) => b.revenueCents - a.revenueCents || a.eventId - b.eventId);
  return { meta, items };
}

export async function sellerReport(db: SqlRunner, input: OpParsedInput<'reportSellerSales'>, opts?: ReportOptions): Promise<OpOutput<'reportSellerSales'>> {
  const { filter, meta } = prepare(input, opts);
  const rows = (await repo.salesBySeller(db, filter)).sort(byRevenue((r) => r.seller));
  return { meta, items: rows.map((r) => ({ sellerId: r.sellerId, seller: r.seller, orders: r.orders, tickets: r.tickets, ...money(r.cents) })) };
}

export async function shiftReport(db: SqlRunner, input: OpParsedInput<'reportShift'>, opts?: ReportOptions): Promise<OpOutput<'reportShift'>> {
  const { filter, meta } = prepare(input, opts);
  const rows = merge(await repo.shiftTotals(db, filter), (r) => `${r.channel}|${r.tender ?? ''}|${r.clerk ?? ''}`).sort(
    (a, b) => a.channel.localeCompare(b.channel) || (a.tender ?? '').localeCompare(b.tender ?? '') || (a.clerk ?? '').localeCompare(b.clerk ?? ''),
  );
  const cash = rows.filter((r) => BOX_OFFICE_CHANNELS.has(r.channel) && r.tender === 'cash').reduce((n, r) => n + r.amountCents, 0);
  return {
    meta,
    items: rows.map((r) => ({
      channel: r.channel,
      tender: r.tender,
      clerk: r.clerk,
      orders: r.n,
      amountCents: r.amountCents,
      amount: formatCents(r.amountCents),
      tenderedCents: r.tenderedCents,
      changeCents: r.changeCents,
    })),
    cashExpectedCents: cash,
    cashExpected: formatCents(cash),
  };
}
