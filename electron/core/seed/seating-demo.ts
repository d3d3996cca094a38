import { localToOffsetDateTime, nowIso, toUtcIso } from '../../../shared/time.js';
import { SeatingChartInput } from '../../../shared/schemas/seating.js';
import { layoutChart } from '../services/chart-layout.js';
import type { Store } from '../store/contract/store.js';
import { assignChart, insertChart } from '../store/common/seating-repo.js';

/** Demo seating charts: a cinema (150 seats), a theatre (1,500) and a stadium (21,000). */
export function demoCharts() {
  const cinema = SeatingChartInput.parse({
    name: 'Lakeview Cinema, screen 1',
    sections: [
      {
        name: 'Screen 1',
        rows: 'A-J',
        seats: 15,
        shape: 'curved',
        aisleAfter: [3, 12],
        rowZones: { 'A-B': 'front', 'I-J': 'premium' },
        accessibleRows: ['J'],
      },
    ],
  });
  const theatre = SeatingChartInput.parse({
    name: 'Riverside Theatre',
    sections: [
      { name: 'Orchestra Left', rows: 'A-T', seats: 10, x: -16, y: 2, rotate: 8, rowZones: { 'A-H': 'orchestra-premium' }, zone: 'orchestra', accessibleRows: ['T'] },
      { name: 'Orchestra Centre', rows: 'A-T', seats: 18, shape: 'curved', rowZones: { 'A-H': 'orchestra-premium' }, zone: 'orchestra' },
      { name: 'Orchestra Right', rows: 'A-T', seats: 10, x: 16, y: 2, rotate: -8, rowZones: { 'A-H': 'orchestra-premium' }, zone: 'orchestra', accessibleRows: ['T'] },
      { name: 'Mezzanine', rows: 'A-J', seats: 40, y: 30, shape: 'curved', aisleAfter: [10, 30], zone: 'mezzanine' },
      { name: 'Balcony', rows: 'A-J', seats: 34, y: 46, shape: 'curved', aisleAfter: [17], zone: 'balcony', obstructedRows: ['J'] },
    ],
  });
  const stands = 28;
  const stadium = SeatingChartInput.parse({
    name: 'Superdome bowl',
    sections: Array.from({ length: stands }, (_, k) => {
      const theta = (k * 360) / stands;
      const rad = (theta * Math.PI) / 180;
      return {
        name: String(101 + k),
        rows: '1-25',
        seats: 30,
        x: Math.round(170 * Math.cos(rad) * 10) / 10,
        y: Math.round(125 * Math.sin(rad) * 10) / 10,
        rotate: theta - 90, // row 1 faces the pitch
        zone: 'middle',
        rowZones: { '1-8': 'lower', '18-25': 'upper' },
        accessibleRows: ['25'],
      };
    }),
  });
  return { cinema, theatre, stadium };
}

const PRICES = {
  cinema: { front: 900, standard: 1400, premium: 1900 },
  theatre: { 'orchestra-premium': 12500, orchestra: 8900, mezzanine: 6500, balcony: 3900 },
  stadium: { lower: 15000, middle: 9500, upper: 5500 },
};

export const DEMO_SEATED_EVENTS = {
  cinema: 'Midnight Matinee (seat map)',
  theatre: 'Hamlet at the Riverside (seat map)',
  stadium: 'Bowl Classic (seat map)',
  ga: 'Open-Air Sessions (general admission)',
};

/**
 * Charts, a charted event on each and one general-admission event (quota 500). Dated 80+ days out,
 * beyond the ten weeks of the other demo events. One transaction of prepared statements: the
 * stadium's 21,000 tickets cost well under a second.
 */
export async function seedSeatingDemo(store: Store, now: Date): Promise<{ events: number; tickets: number }> {
  const charts = demoCharts();
  return store.write(async (trx) => {
    const db = store.sql(trx);
    const created = nowIso();
    const venue = (name: string) => db.get<{ id: number; timezone: string }>('SELECT id, timezone FROM venues WHERE name = ?', [name]);
    let cinemaVenue = await venue('Lakeview Cinema');
    if (!cinemaVenue) {
      await db.run(
        "INSERT INTO venues (name, address_line1, city, region, postal_code, country, timezone, created_at) VALUES ('Lakeview Cinema', '3000 N Clark St', 'Chicago', 'IL', '60657', 'US', 'America/Chicago', ?)",
        [created],
      );
      cinemaVenue = (await venue('Lakeview Cinema'))!;
    }
    const theatreVenue = (await venue('The Riverside Theatre')) ?? cinemaVenue;
    const stadiumVenue = (await venue('Mercedes-Benz Superdome')) ?? cinemaVenue;
    const gaVenue = (await venue('Mile High Amphitheatre')) ?? cinemaVenue;
    const addEvent = async (name: string, v: { id: number; timezone: string }, days: number, hour: string, category: string, capacity: number | null) => {
      const day = new Date(now.getTime() + days * 86400000).toISOString().slice(0, 10);
      const startsAt = localToOffsetDateTime(`${day}T${hour}`, v.timezone);
      const row = await db.get<{ id: number }>(
        `INSERT INTO events (name, venue_id, starts_at, starts_at_utc, local_date, category, status, capacity, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'on_sale', ?, ?, ?) RETURNING id`,
        [name, v.id, startsAt, toUtcIso(startsAt), startsAt.slice(0, 10), category, capacity, created, created],
      );
      return Number(row!.id);
    };
    let tickets = 0;
    const charted = [
      ['cinema', cinemaVenue, 80, '23:30', 'film'],
      ['theatre', theatreVenue, 84, '19:30', 'theatre'],
      ['stadium', stadiumVenue, 88, '19:00', 'sports'],
    ] as const;
    for (const [key, v, days, hour, category] of charted) {
      const input = charts[key];
      const chartId = await insertChart(db, input.name, v.id, input, layoutChart(input), created);
      const eventId = await addEvent(DEMO_SEATED_EVENTS[key], v, days, hour, category, null);
      tickets += await assignChart(db, { eventId, chartId, sellerId: 1, prices: PRICES[key], currency: 'USD', now: created });
    }
    const gaId = await addEvent(DEMO_SEATED_EVENTS.ga, gaVenue, 90, '20:00', 'concert', 500);
    const listing = await db.get<{ id: number }>(
      "INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at) VALUES (?, 1, 'GA', 'GA', 500, 4500, 'USD', 'ui', ?) RETURNING id",
      [gaId, created],
    );
    await db.insertMany(
      'tickets',
      ['listing_id', 'event_id', 'seller_id', 'section', 'row', 'seat', 'price_cents', 'currency', 'updated_at'],
      Array.from({ length: 500 }, () => [Number(listing!.id), gaId, 1, 'GA', 'GA', null, 4500, 'USD', created]),
    );
    tickets += 500;
    return { events: charted.length + 1, tickets };
  });
}
