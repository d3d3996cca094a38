import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { operations, type OperationName } from '../../shared/operations/index.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { column, exec, rows, value } from '../support/db.js';
import { SHARED_DATA, kioskCtx, memoryStore, startServer } from '../helpers.js';

const sample = () => JSON.parse(readFileSync(new URL('test_events.json', SHARED_DATA), 'utf8')) as Record<string, unknown>[];
const CHI = { tz: 'America/Chicago' };
// After the demo data's sales (the 30 days before 2026-11-21), so only this file's orders count.
const DAY = { from: '2026-12-10', to: '2026-12-10', ...CHI };

/** Runs an op through the dispatcher and checks its output against the table's schema. */
async function run<K extends OperationName>(store: Store, name: K, input: Record<string, unknown>) {
  const out = await invoke(kioskCtx(store), FULL_ACCESS, name, input);
  expect(operations[name].output.safeParse(out).success, name).toBe(true);
  return out;
}

const at = (iso: string) => vi.setSystemTime(new Date(iso));
afterEach(() => {
  vi.useRealTimers();
});

function availableTickets(store: Store, eventId: number, n: number) {
  return rows<{ id: number; price: number; seller: number }>(
    store,
    `SELECT id, price_cents AS price, seller_id AS seller FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY id LIMIT ?`,
    [eventId, n],
  );
}

describe('reports over the brief’s ten partner events, checked by hand', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-12-10T18:00:00Z'); // received at noon in Chicago
    await run(store, 'ingestOrderEvents', { channel: 'shop', events: sample() });
    vi.useRealTimers();
  });
  afterAll(async () => store.close());

  // order_value by event: 5, 10, 25, 5, 5, 45, 35, 5, 52, 85 → 272.00 in all.
  it('revenue by day and in total', async () => {
    const r = await run(store, 'reportRevenue', { ...DAY, source: 'partner' });
    expect(r.items).toEqual([{ period: '2026-12-10', orders: 10, revenueCents: 27200, revenue: '272.00' }]);
    expect(r.total).toEqual({ orders: 10, revenueCents: 27200, revenue: '272.00' });
    const before = await run(store, 'reportRevenue', { from: '2026-12-08', to: '2026-12-09', ...CHI });
    expect(before.total.revenueCents).toBe(0);
    expect(before.items.map((i) => i.period)).toEqual(['2026-12-08', '2026-12-09']);
  });

  it('top customers: emails match whatever their case; dan 5+5+85, jim 25+52, timmy 45', async () => {
    const r = await run(store, 'reportTopCustomers', { ...DAY, limit: 3 });
    expect(r.items.map(({ rank, name, email, orders, revenueCents }) => ({ rank, name, email, orders, revenueCents }))).toEqual([
      { rank: 1, name: 'dan dyer', email: 'dan.lovevery@gmail.com', orders: 3, revenueCents: 9500 },
      { rank: 2, name: 'jim dyer', email: 'Jim.lovevery@gmail.com', orders: 2, revenueCents: 7700 },
      { rank: 3, name: 'Timmy dyer', email: 'timmy.lovevery@gmail.com', orders: 1, revenueCents: 4500 },
    ]);
    const all = await run(store, 'reportTopCustomers', { ...DAY, limit: 50 });
    expect(all.items.map((i) => i.revenueCents)).toEqual([9500, 7700, 4500, 3500, 1000, 500, 500]);
  });

  it('sales by state: billing (default) and shipping addresses, and by country', async () => {
    const pick = (items: { region: string | null; country: string | null; orders: number; revenueCents: number }[]) =>
      items.map((i) => [i.region, i.country, i.orders, i.revenueCents]);
    // billing: Maryland 5+25+35+5+52+85, Idaho 5+45, New York 10+5
    expect(pick((await run(store, 'reportSalesByRegion', DAY)).items)).toEqual([
      ['Maryland', 'United States', 6, 20700],
      ['Idaho', 'United States', 2, 5000],
      ['New York', 'United States', 2, 1500],
    ]);
    // shipping: timmy's 45 ships to Maryland
    expect(pick((await run(store, 'reportSalesByRegion', { ...DAY, address: 'shipping' })).items)).toEqual([
      ['Maryland', 'United States', 7, 25200],
      ['New York', 'United States', 2, 1500],
      ['Idaho', 'United States', 1, 500],
    ]);
    expect(pick((await run(store, 'reportSalesByRegion', { ...DAY, level: 'country' })).items)).toEqual([[null, 'United States', 10, 27200]]);
  });

  it('referral, seller, event and shift reports', async () => {
    expect((await run(store, 'reportSalesByReferral', DAY)).items).toEqual([{ referral: null, orders: 10, revenueCents: 27200, revenue: '272.00' }]);
    expect((await run(store, 'reportSellerSales', DAY)).items).toEqual([
      { sellerId: null, seller: 'partner:shop', orders: 10, tickets: 20, revenueCents: 27200, revenue: '272.00' },
    ]);
    expect((await run(store, 'reportEventSales', DAY)).items).toEqual([]);
    const shift = await run(store, 'reportShift', DAY);
    expect(shift.items).toEqual([
      { channel: 'shop', tender: null, clerk: null, orders: 10, amountCents: 27200, amount: '272.00', tenderedCents: 0, changeCents: 0 },
    ]);
    expect(shift.cashExpectedCents).toBe(0);
  });

  it('only counts orders in the report currency', async () => {
    expect((await run(store, 'reportRevenue', { ...DAY, currency: 'CAD' })).total.orders).toBe(0);
  });

  it('partner lines tied to a Marquee event count in the per-event report (from the rollups too)', async () => {
    await run(store, 'ingestOrderEvents', {
      channel: 'shop',
      events: [
        {
          event_type: 'order.created',
          event_id: 'linked-1',
          created_at: '2026-12-10T18:30:00Z',
          currency: 'USD',
          financial_status: 'paid',
          order_value: '25.00',
          line_items: [{ id: 'seat-pack', quantity: '2', price: '12.50', marquee_event_id: 164 }],
        },
      ],
    });
    // UTC whole days: read from report_daily; Chicago: the same day read from the orders.
    for (const range of [{ from: '2026-12-09', to: '2026-12-11', tz: 'UTC' }, DAY]) {
      const ev = await run(store, 'reportEventSales', range);
      expect(ev.items).toEqual([expect.objectContaining({ eventId: 164, sold: 2, revenueCents: 2500, averagePriceCents: 1250, soldNow: 0 })]);
    }
  });
});

describe('box-office and partner orders together', () => {
  let store: Store;
  let a: { id: number; price: number; seller: number }[];
  let b: { id: number; price: number; seller: number }[];
  let A: number;
  let B: number;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-12-10T18:00:00Z');
    await run(store, 'ingestOrderEvents', { channel: 'shop', events: sample() });
    at('2026-12-10T20:00:00Z');
    a = await availableTickets(store, 107, 2);
    b = await availableTickets(store, 162, 1);
    A = a[0]!.price + a[1]!.price;
    B = b[0]!.price;
    await run(store, 'createOrder', {
      ticketIds: a.map((t) => t.id),
      customer: { name: 'Dan Dyer', email: 'DAN.lovevery@gmail.com', region: 'Maryland', country: 'United States' },
      referral: 'google',
      payment: { tender: 'cash', tenderedCents: A + 1000 },
    });
    await run(store, 'createOrder', { ticketIds: b.map((t) => t.id), channel: 'api' });
    vi.useRealTimers();
  });
  afterAll(async () => store.close());

  it('revenue merges both sources and filters by source and channel', async () => {
    expect((await run(store, 'reportRevenue', DAY)).total).toMatchObject({ orders: 12, revenueCents: 27200 + A + B });
    expect((await run(store, 'reportRevenue', { ...DAY, source: 'box-office' })).total).toMatchObject({ orders: 2, revenueCents: A + B });
    expect((await run(store, 'reportRevenue', { ...DAY, channels: 'kiosk' })).total).toMatchObject({ orders: 1, revenueCents: A });
    expect((await run(store, 'reportRevenue', { ...DAY, channels: 'api,shop' })).total).toMatchObject({ orders: 11, revenueCents: 27200 + B });
    expect((await run(store, 'reportRevenue', { ...DAY, source: 'box-office', channels: 'shop' })).total.orders).toBe(0);
  });

  it('the kiosk buyer and the partner buyer with the same email are one customer', async () => {
    const top = await run(store, 'reportTopCustomers', { ...DAY, limit: 1 });
    expect(top.items[0]).toMatchObject({ email: 'dan.lovevery@gmail.com', orders: 4, revenueCents: 9500 + A });
  });

  it('regions: the box-office customer’s address; a walk-in has none', async () => {
    const r = await run(store, 'reportSalesByRegion', DAY);
    expect(r.items).toContainEqual(expect.objectContaining({ region: 'Maryland', country: 'United States', orders: 7, revenueCents: 20700 + A }));
    expect(r.items).toContainEqual(expect.objectContaining({ region: null, country: null, orders: 1, revenueCents: B }));
  });

  it('referrals, per event, sellers and the shift', async () => {
    const ref = await run(store, 'reportSalesByReferral', DAY);
    expect(ref.items.map((i) => [i.referral, i.orders, i.revenueCents])).toEqual(
      [
        [null, 11, 27200 + B],
        ['google', 1, A],
      ].sort((x, y) => (y[2] as number) - (x[2] as number)),
    );

    const ev = await run(store, 'reportEventSales', DAY);
    const listed = await value(store, `SELECT count(*) AS n FROM tickets WHERE event_id = ? AND status <> 'void'`, [107]);
    expect(await value(store, `SELECT count(*) AS n FROM tickets WHERE event_id = ? AND status = 'sold'`, [107])).toBe(2);
    expect(ev.items.find((i) => i.eventId === 107)).toMatchObject({ sold: 2, revenueCents: A, averagePriceCents: Math.round(A / 2), listed, soldNow: 2, sellThrough: 2 / listed });
    expect(ev.items.find((i) => i.eventId === 162)).toMatchObject({ sold: 1, revenueCents: B, averagePriceCents: B, soldNow: 1 });

    const sellers = await run(store, 'reportSellerSales', DAY);
    const expected = new Map<number, { tickets: number; cents: number; orders: Set<string> }>();
    for (const [order, tickets] of [['A', a], ['B', b]] as const) {
      for (const t of tickets) {
        const e = expected.get(t.seller) ?? { tickets: 0, cents: 0, orders: new Set<string>() };
        e.tickets++;
        e.cents += t.price;
        e.orders.add(order);
        expected.set(t.seller, e);
      }
    }
    for (const [sellerId, e] of expected) {
      expect(sellers.items).toContainEqual(expect.objectContaining({ sellerId, tickets: e.tickets, orders: e.orders.size, revenueCents: e.cents }));
    }
    expect(sellers.items).toContainEqual(expect.objectContaining({ sellerId: null, seller: 'partner:shop', revenueCents: 27200 }));

    const shift = await run(store, 'reportShift', { from: '2026-12-10T19:00:00Z', to: '2026-12-10T21:00:00Z', tz: 'America/Chicago' });
    expect(shift.items).toEqual([
      { channel: 'api', tender: 'card', clerk: null, orders: 1, amountCents: B, amount: expect.any(String), tenderedCents: 0, changeCents: 0 },
      { channel: 'kiosk', tender: 'cash', clerk: null, orders: 1, amountCents: A, amount: expect.any(String), tenderedCents: A + 1000, changeCents: 1000 },
    ]);
    expect(shift.cashExpectedCents).toBe(A);
  });

  it('exports a report as CSV, over HTTP too, with spreadsheet formulas defused', async () => {
    const csv = await run(store, 'exportReport', { report: 'top-customers', ...DAY, limit: 2 });
    const lines = csv.csv.split('\r\n');
    expect(lines[0]).toBe('rank,customerId,name,email,orders,revenueCents,revenue');
    expect(lines[1]).toMatch(new RegExp(`^1,\\d+,Dan Dyer,dan.lovevery@gmail.com,4,${9500 + A},`));
    expect(csv).toMatchObject({ rows: 2, fileName: 'marquee-top-customers-2026-12-10-to-2026-12-10.csv' });

    await run(store, 'ingestOrderEvents', {
      events: [{ event_type: 'order.created', event_id: 'evil', first_name: '=HYPERLINK("x")', currency: 'USD', financial_status: 'paid', order_value: 100000, line_items: [{ id: 'a', quantity: 1 }] }],
    });
    const evil = await run(store, 'exportReport', { report: 'top-customers', limit: 1, tz: 'UTC' }); // the last 30 days, received just now
    expect(evil.csv).toContain(`"'=HYPERLINK(""x"")"`);

    const s = await startServer(store);
    try {
      const r = await s.api('/api/v1/reports/revenue/csv?from=2026-12-10&to=2026-12-10&tz=America/Chicago&source=box-office');
      expect(r.status).toBe(200);
      const body = (await r.json()) as { csv: string };
      expect(body.csv.split('\r\n')).toEqual(['period,orders,revenueCents,revenue', `2026-12-10,2,${A + B},${((A + B) / 100).toFixed(2)}`]);
      const bad = await s.api('/api/v1/reports/revenue?tz=Mars/Olympus');
      expect(bad.status).toBe(400);
      const reversed = await s.api('/api/v1/reports/revenue?from=2026-11-21&to=2026-11-20');
      expect(reversed.status).toBe(400);
    } finally {
      await s.app.close();
    }
  });
});

describe('time-zone edges', () => {
  let store: Store;
  let price: number;
  const ev = (id: string, createdAt: string, cents: number) => ({
    event_type: 'order.created',
    event_id: id,
    email: `${id}@example.com`,
    currency: 'USD',
    financial_status: 'paid',
    order_value: cents / 100,
    created_at: createdAt,
    line_items: [{ id: 'x', quantity: '1' }],
  });
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
    await run(store, 'ingestOrderEvents', {
      events: [
        ev('chi-2330', '2026-12-10T23:30:00-06:00', 1000), // 05:30Z on the 11th
        ev('ist-2345', '2026-12-10T18:15:00Z', 1), // 23:45 in Kolkata on the 10th
        ev('ist-0015', '2026-12-10T18:45:00Z', 2), // 00:15 in Kolkata on the 11th: same UTC hour as the one above
        ev('dst-a', '2027-03-14T05:30:00Z', 100), // 23:30 CST Mar 13
        ev('dst-b', '2027-03-15T04:30:00Z', 200), // 23:30 CDT Mar 14 (a 23-hour day)
        ev('dst-c', '2027-03-15T05:30:00Z', 400), // 00:30 CDT Mar 15
        ev('fall-a', '2027-11-07T05:30:00Z', 1000), // 00:30 CDT Nov 7 (a 25-hour day)
        ev('fall-b', '2027-11-08T05:30:00Z', 2000), // 23:30 CST Nov 7
      ],
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    at('2026-12-11T05:45:00Z'); // 23:45 in Chicago on the 10th
    const [t] = await availableTickets(store, 107, 1);
    price = t!.price;
    await run(store, 'createOrder', { ticketIds: [t!.id] });
    vi.useRealTimers();
  });
  afterAll(async () => store.close());

  const byDay = async (input: Record<string, unknown>) =>
    Object.fromEntries((await run(store, 'reportRevenue', input)).items.map((i) => [i.period, i.revenueCents]));

  it('an order at 23:30 local belongs to that local day, not the UTC one', async () => {
    expect(await byDay({ from: '2026-12-10', to: '2026-12-11', tz: 'America/Chicago' })).toEqual({ '2026-12-10': 1000 + 1 + 2 + price, '2026-12-11': 0 });
    expect(await byDay({ from: '2026-12-10', to: '2026-12-11', tz: 'UTC' })).toEqual({ '2026-12-10': 3, '2026-12-11': 1000 + price });
    expect((await run(store, 'reportRevenue', { from: '2026-12-11', to: '2026-12-11', tz: 'America/Chicago' })).total.orders).toBe(0);
  });

  it('half-hour zones split a UTC hour between two local days', async () => {
    expect(await byDay({ from: '2026-12-10', to: '2026-12-11', tz: 'Asia/Kolkata', source: 'partner' })).toEqual({ '2026-12-10': 1, '2026-12-11': 2 + 1000 });
  });

  it('DST days of 23 and 25 hours', async () => {
    expect(await byDay({ from: '2027-03-13', to: '2027-03-15', tz: 'America/Chicago' })).toEqual({ '2027-03-13': 100, '2027-03-14': 200, '2027-03-15': 400 });
    expect(await byDay({ from: '2027-11-06', to: '2027-11-07', tz: 'America/Chicago' })).toEqual({ '2027-11-06': 0, '2027-11-07': 3000 });
  });

  it('weeks start on Monday, months are calendar months, both in local time', async () => {
    const weeks = await run(store, 'reportRevenue', { from: '2026-12-01', to: '2026-12-20', tz: 'America/Chicago', granularity: 'week' });
    expect(weeks.items.map((i) => [i.period, i.revenueCents])).toEqual([
      ['2026-11-30', 0],
      ['2026-12-07', 1003 + price],
      ['2026-12-14', 0],
    ]);
    const fall = await run(store, 'reportRevenue', { from: '2027-11-01', to: '2027-11-14', tz: 'America/Chicago', granularity: 'week' });
    expect(fall.items.map((i) => [i.period, i.revenueCents])).toEqual([
      ['2027-11-01', 3000],
      ['2027-11-08', 0],
    ]);
    const months = await run(store, 'reportRevenue', { from: '2027-03-01', to: '2027-11-30', tz: 'America/Chicago', granularity: 'month' });
    expect(months.items).toHaveLength(9);
    expect(months.items.find((i) => i.period === '2027-03')!.revenueCents).toBe(700);
    expect(months.total.revenueCents).toBe(700 + 3000);
  });
});

describe('rollups (whole UTC days) agree with the orders themselves', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore({ seed: true }); // demo sales over the 30 days before 2026-11-21T12:00Z
  });
  afterAll(async () => store.close());

  const REPORTS = ['reportRevenue', 'reportTopCustomers', 'reportSalesByRegion', 'reportSalesByReferral', 'reportEventSales', 'reportSellerSales', 'reportShift'] as const;
  const both = async (input: Record<string, unknown>) => {
    const { ensureRollups } = await import('../../electron/core/analytics/rollups.js');
    const reports = await import('../../electron/core/analytics/reports.js');
    await ensureRollups(store);
    const fns = {
      reportRevenue: reports.revenueReport,
      reportTopCustomers: reports.topCustomersReport,
      reportSalesByRegion: reports.regionReport,
      reportSalesByReferral: reports.referralReport,
      reportEventSales: reports.eventSalesReport,
      reportSellerSales: reports.sellerReport,
      reportShift: reports.shiftReport,
    } as const;
    for (const name of REPORTS) {
      const shape = (operations[name].input as unknown as { shape: Record<string, unknown> }).shape;
      const parsed = operations[name].input.parse(Object.fromEntries(Object.entries(input).filter(([k]) => k in shape))) as never;
      const viaRollups = await fns[name](store.sql(), parsed);
      const viaOrders = await fns[name](store.sql(), parsed, { rawOnly: true });
      expect(viaRollups, `${name} ${JSON.stringify(input)}`).toEqual(viaOrders);
    }
  };

  it('the demo data has sales on most days', async () => {
    const r = await run(store, 'reportRevenue', { from: '2026-10-22', to: '2026-11-21', tz: 'UTC' });
    expect(r.total.orders).toBeGreaterThan(100);
    expect(r.items.filter((i) => i.orders > 0).length).toBeGreaterThan(15);
  });

  it.each([
    { from: '2026-10-22', to: '2026-11-21', tz: 'UTC' },
    { from: '2026-10-22', to: '2026-11-21', tz: 'America/Chicago' },
    { from: '2026-10-25', to: '2026-11-18', tz: 'Asia/Kolkata', granularity: 'week' },
    { from: '2026-10-25', to: '2026-11-18', tz: 'Pacific/Chatham', granularity: 'month', address: 'shipping', level: 'country' },
    { from: '2026-10-22T13:15:00-05:00', to: '2026-11-20T02:00:00Z', tz: 'America/New_York', channels: 'kiosk,shop' },
    { from: '2026-10-22', to: '2026-11-21', tz: 'Europe/London', source: 'box-office' },
    { from: '2026-10-22', to: '2026-11-21', tz: 'Europe/London', source: 'partner' },
  ])('%o', async (input) => {
    await both(input);
  });

  it('folding in many small batches gives the same rollups as one', async () => {
    const { foldRollups } = await import('../../electron/core/store/common/reports-repo.js');
    const snapshot = async () => [
      await rows(store, `SELECT * FROM report_daily ORDER BY dim, day, source, channel, currency, key, key2`),
      await rows(store, `SELECT * FROM report_hourly ORDER BY hour, source, channel, currency`),
      await rows(store, `SELECT * FROM report_customer_totals ORDER BY customer_id, currency`),
    ];
    await run(store, 'reportRevenue', { tz: 'UTC' });
    const once = await snapshot();
    expect(once[0]!.length).toBeGreaterThan(100);
    expect(once[2]!.length).toBeGreaterThan(10);
    for (const q of ['DELETE FROM report_daily', 'DELETE FROM report_hourly', 'DELETE FROM report_customer_totals', 'UPDATE report_watermarks SET last_id = 0']) await exec(store, q);
    let batches = 0;
    while (await store.write((trx) => foldRollups(store.sql(trx), 7))) batches++;
    expect(batches).toBeGreaterThan(10);
    expect(await snapshot()).toEqual(once);
  });

  it('a change to an order already folded in rebuilds its day', async () => {
    const range = { from: '2026-10-22', to: '2026-11-21', tz: 'UTC' };
    await run(store, 'reportRevenue', range); // fold everything
    const [o] = await rows<{ id: number; cents: number; at: string }>(store, `SELECT id, total_cents AS cents, created_at AS at FROM orders WHERE status = 'completed' ORDER BY id LIMIT 1`);
    if (!o) throw new Error('the demo data has completed orders');
    const before = await run(store, 'reportRevenue', range);
    await exec(store, `UPDATE orders SET status = 'refunded' WHERE id = ?`, [o.id]);
    expect(await column(store, `SELECT day FROM report_dirty_days`)).toEqual([o.at.slice(0, 10)]);
    const after = await run(store, 'reportRevenue', range);
    expect(after.total.revenueCents).toBe(before.total.revenueCents - o.cents);
    expect(after.total.orders).toBe(before.total.orders - 1);
    await both(range);
    expect(await value(store, `SELECT count(*) AS n FROM report_dirty_days`)).toBe(0);
  });
});

describe('the shift report names the clerk who rang a sale up (from the audit log)', () => {
  it('a signed-in clerk’s sales carry the clerk; token and system sales carry none', async () => {
    const { seedDemoUsers } = await import('../../electron/core/seed/demo-users.js');
    const { callerForUser } = await import('../../electron/core/auth/callers.js');
    const store = await memoryStore({ seed: true });
    try {
      await seedDemoUsers(store);
      const carlId = await value(store, `SELECT id FROM users WHERE username = 'carl'`);
      const carl = (await callerForUser(store.auth, carlId, { terminal: 'test:till-1', via: 'session' }))!;
      vi.useFakeTimers({ toFake: ['Date'] });
      at('2026-12-20T15:00:00Z');
      const [t1, t2] = await availableTickets(store, 164, 2);
      await invoke(kioskCtx(store), carl, 'createOrder', { ticketIds: [t1!.id], payment: { tender: 'cash', tenderedCents: t1!.price + 500 } });
      await invoke(kioskCtx(store), FULL_ACCESS, 'createOrder', { ticketIds: [t2!.id], payment: { tender: 'cash' } });
      vi.useRealTimers();
      // A shift (instants: read from the orders) and whole UTC days (read from the rollups) agree.
      for (const range of [{ from: '2026-12-20T14:00:00Z', to: '2026-12-20T16:00:00Z' }, { from: '2026-12-19', to: '2026-12-21' }]) {
        const shift = await run(store, 'reportShift', { ...range, tz: 'UTC' });
        expect(shift.items).toEqual([
          expect.objectContaining({ channel: 'kiosk', tender: 'cash', clerk: null, orders: 1, amountCents: t2!.price, changeCents: 0 }),
          expect.objectContaining({ channel: 'kiosk', tender: 'cash', clerk: 'carl', orders: 1, amountCents: t1!.price, changeCents: 500 }),
        ]);
        expect(shift.cashExpectedCents).toBe(t1!.price + t2!.price);
      }
    } finally {
      vi.useRealTimers();
      await store.close();
    }
  });
});
