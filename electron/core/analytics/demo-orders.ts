import type { Store } from '../store/contract/store.js';
import { insertOrder, upsertCustomer } from '../store/common/orders-repo.js';
import { ensureReferralSource } from '../store/common/referrals-repo.js';
import { markSoldIfAvailable } from '../store/common/tickets-repo.js';
import { ingestEvents } from './ingest.js';
import { mulberry32 } from '../../../shared/prng.js';

// Demo sales so the dashboard has something to show: box-office orders and partner order.created
// events spread over the 30 days before `now`. Deterministic (fixed PRNG seed, order by id), so
// screenshots and tests see the same numbers on every machine.


const PEOPLE: [string, string, string, string][] = [
  ['Ava', 'Johnson', 'Illinois', 'Chicago'],
  ['Liam', 'Martinez', 'Illinois', 'Evanston'],
  ['Mia', 'Thompson', 'Louisiana', 'New Orleans'],
  ['Noah', 'Garcia', 'Washington', 'Seattle'],
  ['Emma', 'Robinson', 'New York', 'Brooklyn'],
  ['Lucas', 'Clark', 'California', 'San Francisco'],
  ['Zoe', 'Lewis', 'Colorado', 'Denver'],
  ['Ethan', 'Walker', 'Texas', 'Austin'],
  ['Chloe', 'Hall', 'Illinois', 'Oak Park'],
  ['Owen', 'Young', 'Wisconsin', 'Milwaukee'],
  ['Grace', 'King', 'Louisiana', 'Baton Rouge'],
  ['Leo', 'Wright', 'Washington', 'Tacoma'],
  ['Ruby', 'Scott', 'Indiana', 'Gary'],
  ['Jack', 'Green', 'Michigan', 'Detroit'],
  ['Ivy', 'Baker', 'California', 'Oakland'],
  ['Finn', 'Adams', 'Ontario', 'Toronto'],
];
const country = (region: string) => (region === 'Ontario' ? 'Canada' : 'United States');
const REFERRALS = ['direct', 'google', 'google', 'espn', 'newsletter', 'instagram'];
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface DemoOrdersSummary {
  boxOfficeOrders: number;
  partnerOrders: number;
}

export async function seedDemoOrders(store: Store, now = new Date()): Promise<DemoOrdersSummary> {
  const r = mulberry32(7070);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const nowMs = now.getTime();
  // Past instants, more of them recent, never in the future.
  const pastIso = () => new Date(nowMs - Math.floor(Math.pow(r(), 1.3) * 30 * 86400000) - 60000).toISOString();
  const upcoming = (
    await store
      .sql()
      .all<{ id: number; eventId: number }>(
        `SELECT t.id, t.event_id AS "eventId" FROM tickets t JOIN events e ON e.id = t.event_id
         WHERE t.status = 'available' AND e.starts_at_utc > ? AND t.currency = 'USD' ORDER BY t.id`,
        [now.toISOString()],
      )
  ).map((t) => ({ id: Number(t.id), eventId: Number(t.eventId) }));
  if (upcoming.length === 0) return { boxOfficeOrders: 0, partnerOrders: 0 };

  const taken = new Set<number>();
  const times = Array.from({ length: 90 }, pastIso).sort();
  let boxOfficeOrders = 0;
  await store.write(async (trx) => {
    for (const slug of new Set(REFERRALS)) await ensureReferralSource(trx, slug, now.toISOString());
    for (const at of times) {
      // Two to four seats of one event, as a counter sale usually is.
      let start = Math.floor(r() * upcoming.length);
      while (taken.has(upcoming[start]!.id)) start = (start + 1) % upcoming.length;
      const eventId = upcoming[start]!.eventId;
      const want = 1 + Math.floor(r() * 3);
      const ids = upcoming.filter((t) => t.eventId === eventId && !taken.has(t.id)).slice(0, want).map((t) => t.id);
      if (ids.length === 0 || (await markSoldIfAvailable(trx, ids, at)) !== ids.length) continue;
      ids.forEach((id) => taken.add(id));
      const prices = await trx.selectFrom('tickets').select(['id', 'price_cents']).where('id', 'in', ids).execute();
      const items = ids.map((id) => ({ ticketId: id, priceCents: prices.find((p) => p.id === id)!.price_cents }));
      const total = items.reduce((n, i) => n + i.priceCents, 0);
      const walkIn = r() < 0.25;
      const [first, last, region, city] = pick(PEOPLE);
      const customerId = walkIn
        ? null
        : await upsertCustomer(
            trx,
            {
              name: `${first} ${last}`,
              email: `${first}.${last}@example.com`.toLowerCase(),
              phone: null,
              address_line1: null,
              address_line2: null,
              city,
              region,
              postal_code: null,
              country: country(region),
            },
            at,
          );
      const cash = r() < 0.35;
      const tendered = cash ? Math.ceil(total / 2000) * 2000 : null;
      let code = 'MQ-';
      for (let i = 0; i < 8; i++) code += (i === 4 ? '-' : '') + ALPHABET[Math.floor(r() * ALPHABET.length)];
      await insertOrder(trx, {
        code,
        customerId,
        channel: r() < 0.75 ? 'kiosk' : 'api',
        referral: r() < 0.7 ? pick(REFERRALS) : null,
        totalCents: total,
        currency: 'USD',
        now: at,
        items,
        payment: { tender: cash ? 'cash' : 'card', amountCents: total, tenderedCents: tendered, changeCents: tendered === null ? null : tendered - total },
      });
      boxOfficeOrders++;
    }
  });

  const events = Array.from({ length: 60 }, (_, i) => {
    const [first, last, region, city] = pick(PEOPLE);
    const ship = r() < 0.15 ? pick(PEOPLE) : null;
    const address = (p: [string, string, string, string]) => ({
      first_name: p[0],
      last_name: p[1],
      address1: `${100 + Math.floor(r() * 900)} Main St`,
      address2: '',
      city: p[3],
      province: p[2],
      country: country(p[2]),
      zip: String(10000 + Math.floor(r() * 89999)),
    });
    const bill = address([first, last, region, city]);
    const quantity = 1 + Math.floor(r() * 4);
    const unit = 20 + Math.floor(r() * 12) * 5;
    return {
      event_type: 'order.created',
      event_id: `demo-${String(i + 1).padStart(4, '0')}`,
      event_version: '1.0.0',
      created_at: pastIso(),
      email: `${first}.${last}@example.com`.toLowerCase(),
      first_name: first,
      last_name: last,
      billing_address: bill,
      shipping_address: ship ? address(ship) : bill,
      currency: 'USD',
      financial_status: r() < 0.93 ? 'paid' : 'refunded',
      order_value: `${quantity * unit}.${r() < 0.5 ? '00' : '50'}`,
      total_discounts: 0,
      total_tax: 0,
      referral: r() < 0.6 ? pick(REFERRALS) : undefined,
      gateway: 'card',
      line_items: [{ id: `sku-${1000 + Math.floor(r() * 40)}`, title: 'Partner ticket bundle', quantity: String(quantity) }],
    };
  });
  const report = await ingestEvents(store, 'shop', events, now.toISOString());
  return { boxOfficeOrders, partnerOrders: report.created };
}
