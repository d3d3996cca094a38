import { rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { openStore } from '../electron/core/store/sqlite/database.js';

/** Ids of what the dataset holds, so each phase can take its own tickets. */
export interface Dataset {
  file: string;
  catalogEvents: number;
  catalogTickets: number;
  /** [first, last] ticket id of the catalogue (sequential). */
  firstTicketId: number;
  lastTicketId: number;
  scenarioEventIds: number[];
  cities: string[];
  buildSeconds: number;
}

const CITIES = ['Chicago', 'Boston', 'Denver', 'Austin', 'Seattle', 'Portland', 'Atlanta', 'Miami', 'Phoenix', 'Detroit',
  'Nashville', 'Oakland', 'Tampa', 'Omaha', 'Tulsa', 'Fresno', 'Mesa', 'Raleigh', 'Boise', 'Reno'];
const TICKETS_PER_EVENT = 500;
const TICKETS_PER_LISTING = 10;

/**
 * A migrated store file with `catalogTickets` tickets over events spread across a year and 20 cities,
 * plus the brief's on-sale scenario (N events × quota). Built with bare prepared statements
 * (synchronous=OFF: it is test data, rebuilt each run).
 */
export async function buildDataset(file: string, catalogTickets: number, scenarioEvents: number, scenarioQuota: number): Promise<Dataset> {
  const started = performance.now();
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  const store = await openStore({ file });
  await store.close();
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date('2026-11-21T12:00:00Z').toISOString();
  const venue = db.prepare(
    "INSERT INTO venues (name, city, country, timezone, created_at) VALUES (?, ?, 'US', 'America/Chicago', ?)",
  );
  const event = db.prepare(
    `INSERT INTO events (name, venue_id, starts_at, starts_at_utc, local_date, category, status, capacity, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'concert', 'on_sale', ?, ?, ?)`,
  );
  const listing = db.prepare(
    `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, created_at)
     VALUES (?, 1, ?, ?, ?, ?, 'USD', 'ui', ?)`,
  );
  const ticket = db.prepare(
    `INSERT INTO tickets (listing_id, event_id, seller_id, section, row, price_cents, currency, updated_at)
     VALUES (?, ?, 1, ?, ?, ?, 'USD', ?)`,
  );
  let rand = 0x2545f491;
  const next = () => {
    rand ^= rand << 13;
    rand ^= rand >>> 17;
    rand ^= rand << 5;
    return (rand >>> 0) / 4294967296;
  };
  const addEvent = (name: string, venueId: number, dayOffset: number, tickets: number) => {
    const d = new Date(Date.UTC(2027, 0, 1) + dayOffset * 86_400_000 + (19 + (dayOffset % 3)) * 3_600_000);
    const local = d.toISOString().slice(0, 19);
    const startsAt = `${local}-06:00`;
    const utc = new Date(Date.parse(startsAt)).toISOString();
    const eventId = Number(event.run(name, venueId, startsAt, utc, local.slice(0, 10), tickets, now, now).lastInsertRowid);
    for (let made = 0; made < tickets; made += TICKETS_PER_LISTING) {
      const qty = Math.min(TICKETS_PER_LISTING, tickets - made);
      const level = 1 + Math.floor(next() * 3);
      const section = String(level * 100 + 1 + Math.floor(next() * 30));
      const row = String(1 + Math.floor(next() * 25));
      const price = (200 - level * 45) * 100 + Math.floor(next() * 60) * 100 + 99;
      const listingId = Number(listing.run(eventId, section, row, qty, price, now).lastInsertRowid);
      for (let i = 0; i < qty; i++) ticket.run(listingId, eventId, section, row, price, now);
    }
    return eventId;
  };
  let firstTicketId = 0;
  let lastTicketId = 0;
  const catalogEvents = Math.ceil(catalogTickets / TICKETS_PER_EVENT);
  const scenarioEventIds: number[] = [];
  db.transaction(() => {
    db.prepare("INSERT INTO sellers (name, email, created_at) VALUES ('Bench seller', 'bench@example.test', ?)").run(now);
    for (let v = 0; v < 40; v++) venue.run(`Bench Hall ${v + 1}`, CITIES[v % CITIES.length], now);
    firstTicketId = 1;
    for (let e = 0; e < catalogEvents; e++) {
      const n = Math.min(TICKETS_PER_EVENT, catalogTickets - e * TICKETS_PER_EVENT);
      addEvent(`Bench Concert ${e + 1}`, 1 + (e % 40), Math.floor((e * 365) / catalogEvents), n);
    }
    lastTicketId = Number(db.prepare('SELECT max(id) FROM tickets').pluck().get());
    for (let s = 0; s < scenarioEvents; s++) scenarioEventIds.push(addEvent(`On-sale rush ${s + 1}`, 1 + s, 200 + s, scenarioQuota));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return {
    file,
    catalogEvents,
    catalogTickets: lastTicketId - firstTicketId + 1,
    firstTicketId,
    lastTicketId,
    scenarioEventIds,
    cities: [...new Set(CITIES)],
    buildSeconds: (performance.now() - started) / 1000,
  };
}

/** Hands out disjoint ticket-id ranges so no phase sells a ticket another phase sold. */
export class TicketRanges {
  private cursor: number;
  constructor(private readonly ds: Dataset) {
    this.cursor = ds.firstTicketId;
  }

  take(count: number): { from: number; to: number } {
    const from = this.cursor;
    const to = Math.min(this.ds.lastTicketId, from + count - 1);
    if (to < from) throw new Error('the bench dataset has no tickets left for this phase; raise BENCH_CATALOG_TICKETS');
    this.cursor = to + 1;
    return { from, to };
  }

  get remaining(): number {
    return this.ds.lastTicketId - this.cursor + 1;
  }
}
