import type { Expression, ExpressionBuilder, Insertable, SqlBool } from 'kysely';
import type { DB, Trx } from '../contract/store.js';
import type { Database, ListingsTable } from '../contract/schema.js';

export interface ListingRowInput extends Omit<Insertable<ListingsTable>, 'seats_json'> {
  seats: string[] | null;
}

const TICKET_INSERT_SLICE = 1000;

/** Inserts a listing and one ticket per seat (or per unit when seats are not numbered). */
export async function insertListingWithTickets(trx: Trx, input: ListingRowInput) {
  const { seats, ...rest } = input;
  const listing = await trx
    .insertInto('listings')
    .values({ ...rest, seats_json: seats ? JSON.stringify(seats) : null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const labels: (string | null)[] = seats ?? Array.from({ length: input.quantity }, () => null);
  const tickets = [];
  // SQLite caps bound variables per statement (32,766), so large listings go in slices.
  for (let i = 0; i < labels.length; i += TICKET_INSERT_SLICE) {
    const slice = await trx
      .insertInto('tickets')
      .values(
        labels.slice(i, i + TICKET_INSERT_SLICE).map((seat) => ({
          listing_id: listing.id,
          event_id: listing.event_id,
          seller_id: listing.seller_id,
          section: listing.section,
          row: listing.row,
          seat,
          price_cents: listing.price_cents,
          currency: listing.currency,
          updated_at: listing.created_at,
        })),
      )
      .returningAll()
      .execute();
    tickets.push(...slice);
  }
  return { listing, tickets };
}

export type TicketSortKey = 'price' | '-price' | 'section' | 'row';
const SORT_COLUMNS: Record<TicketSortKey, { cols: ('price_cents' | 'section' | 'row' | 'id')[]; desc: boolean }> = {
  price: { cols: ['price_cents', 'id'], desc: false },
  '-price': { cols: ['price_cents', 'id'], desc: true },
  section: { cols: ['section', 'row', 'id'], desc: false },
  row: { cols: ['row', 'section', 'id'], desc: false },
};

export interface TicketFilter {
  eventId: number;
  section?: string;
  minPrice?: number;
  maxPrice?: number;
  minQuantity?: number;
}

function applyFilter(db: Trx, f: TicketFilter) {
  let q = db.selectFrom('tickets').where('event_id', '=', f.eventId).where('status', '=', 'available');
  if (f.section !== undefined) q = q.where('section', '=', f.section);
  if (f.minPrice !== undefined) q = q.where('price_cents', '>=', f.minPrice);
  if (f.maxPrice !== undefined) q = q.where('price_cents', '<=', f.maxPrice);
  if (f.minQuantity !== undefined && f.minQuantity > 1) {
    const n = f.minQuantity;
    q = q.where('listing_id', 'in', (eb) =>
      eb
        .selectFrom('tickets as t2')
        .select('t2.listing_id')
        .where('t2.event_id', '=', f.eventId)
        .where('t2.status', '=', 'available')
        .groupBy('t2.listing_id')
        .having((eb2) => eb2.fn.countAll(), '>=', n),
    );
  }
  return q;
}

/** Keyset paging: the cursor is the sort-key tuple of the last row seen. */
function afterCursor(eb: ExpressionBuilder<Database, 'tickets'>, cols: string[], values: unknown[], desc: boolean): Expression<SqlBool> {
  const op = desc ? '<' : '>';
  const ors: Expression<SqlBool>[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands: Expression<SqlBool>[] = [];
    for (let j = 0; j < i; j++) ands.push(eb(cols[j] as 'id', '=', values[j] as number));
    ands.push(eb(cols[i] as 'id', op, values[i] as number));
    ors.push(eb.and(ands));
  }
  return eb.or(ors);
}

export async function pageEventTickets(db: DB, f: TicketFilter, sort: TicketSortKey, limit: number, cursor: unknown[] | null) {
  const { cols, desc } = SORT_COLUMNS[sort];
  let q = applyFilter(db, f).selectAll();
  if (cursor) q = q.where((eb) => afterCursor(eb, cols, cursor, desc));
  for (const c of cols) q = q.orderBy(c, desc ? 'desc' : 'asc');
  const rows = await q.limit(limit + 1).execute();
  const total = await applyFilter(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const next = hasMore && last ? cols.map((c) => last[c]) : null;
  return { items, total: Number(total.n), next };
}

export interface CitySearch {
  city?: string;
  fromDate?: string;
  toDate?: string;
  fromUtc?: string;
  toUtc?: string;
}

/** The sort key of a city search, which is its cursor: (event start UTC, price, ticket id). */
export type CityCursor = [string, number, number];

function citySearch(db: DB, f: CitySearch) {
  let q = db
    .selectFrom('tickets as t')
    .innerJoin('events as e', 'e.id', 't.event_id')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .where('t.status', '=', 'available');
  if (f.city) q = q.where((eb) => eb(eb.fn('lower', ['v.city']), '=', f.city!.toLowerCase()));
  if (f.fromDate) q = q.where('e.local_date', '>=', f.fromDate);
  if (f.toDate) q = q.where('e.local_date', '<=', f.toDate);
  if (f.fromUtc) q = q.where('e.starts_at_utc', '>=', f.fromUtc);
  if (f.toUtc) q = q.where('e.starts_at_utc', '<=', f.toUtc);
  return q;
}

/** Keyset-paged like an event's list: each page starts after the last row's sort key, so a walk sees every ticket once. */
export async function searchTicketsAcrossEvents(db: DB, f: CitySearch & { limit: number; cursor?: CityCursor | null }) {
  let q = citySearch(db, f)
    .selectAll('t')
    .select(['e.name as e_name', 'e.starts_at as e_starts_at', 'e.starts_at_utc as e_starts_at_utc', 'v.name as v_name', 'v.city as v_city']);
  if (f.cursor) {
    const [at, price, id] = f.cursor;
    q = q.where((eb) =>
      eb.or([
        eb('e.starts_at_utc', '>', at),
        eb.and([eb('e.starts_at_utc', '=', at), eb('t.price_cents', '>', price)]),
        eb.and([eb('e.starts_at_utc', '=', at), eb('t.price_cents', '=', price), eb('t.id', '>', id)]),
      ]),
    );
  }
  const rows = await q.orderBy('e.starts_at_utc').orderBy('t.price_cents').orderBy('t.id').limit(f.limit + 1).execute();
  const total = await citySearch(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const items = rows.slice(0, f.limit);
  const last = items.at(-1);
  const next: CityCursor | null = rows.length > f.limit && last ? [last.e_starts_at_utc, Number(last.price_cents), Number(last.id)] : null;
  return { items, total: Number(total.n), next };
}

/** Listings of an event with at least `quantity` available tickets: the candidates for "best". */
export async function availableListingGroups(db: DB, eventId: number, quantity: number) {
  return db
    .selectFrom('tickets')
    .select((eb) => ['listing_id', 'section', 'row', 'price_cents', eb.fn.countAll<number>().as('available')])
    .where('event_id', '=', eventId)
    .where('status', '=', 'available')
    .groupBy(['listing_id', 'section', 'row', 'price_cents'])
    .having((eb) => eb.fn.countAll(), '>=', quantity)
    .execute();
}

export async function availableTicketsOfListing(db: DB, listingId: number) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('status', '=', 'available')
    .orderBy('id')
    .execute();
}

export async function findTicketsByIds(db: Trx, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('tickets').selectAll().where('id', 'in', ids).execute();
}

/**
 * The guarded sell: flips only tickets that are still available. The caller compares the count
 * with what it asked for and rolls back on any shortfall, so nothing is ever sold twice.
 */
export async function markSoldIfAvailable(trx: Trx, ids: number[], now: string): Promise<number> {
  const r = await trx
    .updateTable('tickets')
    .set({ status: 'sold', updated_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'available')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
