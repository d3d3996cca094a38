import catalog from '../../../data/demo-catalog.json' with { type: 'json' };
import { localToOffsetDateTime, nowIso, toUtcIso } from '../../../shared/time.js';
import { seedDemoOrders } from '../analytics/demo-orders.js';
import { importListings } from '../import/csv-import.js';
import { seedSeatingDemo } from './seating-demo.js';
import type { Store } from '../store/contract/store.js';
import { insertEvent } from '../store/common/events-repo.js';
import { insertSeller } from '../store/common/sellers-repo.js';
import { insertListingWithTickets } from '../store/common/tickets-repo.js';
import { insertVenue } from '../store/common/venues-repo.js';
import { mulberry32 } from '../../../shared/prng.js';


type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** Rows in the shape of the brief's CSV: eventId,section,quantity,price,row. */
function listingRows(r: Rand, eventId: number, category: string, count: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    let section: string;
    let row: string;
    let base: number;
    if (category === 'theatre' || category === 'classical' || category === 'comedy') {
      section = pick(r, ['ORCH', 'MEZZ', 'BALC']);
      row = String.fromCharCode(65 + int(r, 0, 15));
      base = section === 'ORCH' ? 140 : section === 'MEZZ' ? 95 : 55;
    } else if (category === 'concert' && r() < 0.4) {
      section = pick(r, ['GA', 'GA1', 'PIT']);
      row = section === 'PIT' ? 'PIT' : 'GA';
      base = section === 'PIT' ? 160 : 70;
    } else {
      const level = pick(r, [1, 1, 2, 2, 3, 3, 3]);
      section = String(level * 100 + int(r, 1, 30));
      row = String(int(r, 1, 25)).padStart(r() < 0.1 ? 2 : 1, '0');
      base = level === 1 ? 180 : level === 2 ? 110 : 60;
    }
    const price = Math.max(15, Math.round(base * (0.6 + r() * 0.9)));
    rows.push(`${eventId},${section},${int(r, 1, 8)},${price}.${pick(r, ['00', '50', '99'])},${row}`);
  }
  return rows;
}

export interface SeedSummary {
  venues: number;
  events: number;
  listings: number;
  tickets: number;
}

/** Demo data: the brief's venues and events plus generated upcoming events, listed via the import pipeline. */
export async function seedDemoData(store: Store, now = new Date()): Promise<SeedSummary> {
  const r = mulberry32(20261121);
  const events: { id: number; category: string }[] = [];
  await store.write(async (trx) => {
    const created = nowIso();
    for (const [i, s] of catalog.sellers.entries()) await insertSeller(trx, s.name, s.email, created, i + 1);
    for (const v of catalog.venues) {
      await insertVenue(trx, {
        id: v.id,
        name: v.name,
        address_line1: v.addressLine1 ?? null,
        address_line2: null,
        address_line3: null,
        city: v.city,
        region: v.region,
        postal_code: v.postalCode ?? null,
        country: v.country,
        timezone: v.timezone,
        created_at: created,
      });
    }
    const tzOf = (venueId: number) => catalog.venues.find((v) => v.id === venueId)!.timezone;
    const addEvent = async (e: { id?: number; name: string; local: string; venueId: number; category: string }) => {
      const startsAt = localToOffsetDateTime(e.local, tzOf(e.venueId));
      const { id } = await insertEvent(trx, {
        ...(e.id === undefined ? {} : { id: e.id }),
        name: e.name,
        venue_id: e.venueId,
        starts_at: startsAt,
        starts_at_utc: toUtcIso(startsAt),
        local_date: startsAt.slice(0, 10),
        category: e.category,
        status: 'on_sale',
        capacity: null,
        created_at: created,
        updated_at: created,
      });
      events.push({ id, category: e.category });
    };
    for (const e of catalog.briefEvents) await addEvent(e);
    // Two dates for each template, spread over the next ten weeks, so date-range search has something to find.
    let n = 0;
    for (const round of [0, 1]) {
      for (const t of catalog.upcoming) {
        const day = new Date(now.getTime() + (3 + round * 35 + (n++ % 30)) * 86400000);
        const local = `${day.toISOString().slice(0, 10)}T${String(t.hour).padStart(2, '0')}:${pick(r, ['00', '30'])}`;
        await addEvent({ name: round === 0 ? t.name : `${t.name} (second night)`, local, venueId: t.venueId, category: t.category });
      }
    }
  });

  for (const sellerId of [1, 2, 3, 4]) {
    const lines = ['eventId,section,quantity,price,row'];
    for (const e of events) lines.push(...listingRows(r, e.id, e.category, int(r, 6, 18)));
    await importListings(store, {
      csv: lines.join('\r\n'),
      sellerId,
      dryRun: false,
      force: true,
      fileName: `demo-seller-${sellerId}.csv`,
      listingSource: 'seed',
      importedBy: 'seed',
    });
  }
  // A few listings with numbered seats, so "N together" has adjacent seats to find.
  await store.write(async (trx) => {
    for (const e of events.slice(3, 9)) {
      for (const [section, row, from, price] of [['101', '3', 1, 21500], ['205', '12', 5, 9900]] as const) {
        const seats = Array.from({ length: 8 }, (_, k) => String(from + k));
        await insertListingWithTickets(trx, {
          event_id: e.id, seller_id: 1, section, row, seats, quantity: seats.length, price_cents: price,
          currency: 'USD', source: 'ui', import_batch_id: null, source_line: null, created_at: nowIso(),
        });
      }
    }
  });
  await seedDemoOrders(store, now); // sales for the dashboard (issue 7)
  await seedSeatingDemo(store, now); // seat maps and general admission (issue 4)
  // Counted from the store, so the summary includes what the seating and order demos added.
  const count = async (table: 'venues' | 'events' | 'listings' | 'tickets') => Number((await store.sql().get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
  return { venues: await count('venues'), events: await count('events'), listings: await count('listings'), tickets: await count('tickets') };
}

export async function isEmpty(store: Store): Promise<boolean> {
  const row = await store.reader.selectFrom('venues').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
