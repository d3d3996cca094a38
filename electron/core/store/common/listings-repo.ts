import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../contract/store.js';
import type { Database } from '../contract/schema.js';
import type { TicketSortKey } from './tickets-repo.js';

/**
 * An event's tickets grouped by listing (issue 13): one row per listing with how many of its tickets
 * are left, grouped in SQL on both engines. A listing is one seller's section, row and price, so the
 * group's columns are the listing's own; filters, sort and the keyset cursor work on them before the
 * GROUP BY, and HAVING keeps listings with something left.
 */
export interface ListingFilter {
  eventId: number;
  section?: string;
  minPrice?: number;
  maxPrice?: number;
  minQuantity?: number;
}

type Col = 'l.price_cents' | 'l.section' | 'l.row' | 'l.id';
/** The output column each sort column is read back from, to build the next cursor. */
const OUT: Record<Col, 'price_cents' | 'section' | 'row' | 'listing_id'> = {
  'l.price_cents': 'price_cents',
  'l.section': 'section',
  'l.row': 'row',
  'l.id': 'listing_id',
};

const SORTS: Record<TicketSortKey, { cols: Col[]; desc: boolean }> = {
  price: { cols: ['l.price_cents', 'l.section', 'l.row', 'l.id'], desc: false },
  '-price': { cols: ['l.price_cents', 'l.id'], desc: true },
  section: { cols: ['l.section', 'l.row', 'l.price_cents', 'l.id'], desc: false },
  row: { cols: ['l.row', 'l.section', 'l.price_cents', 'l.id'], desc: false },
};

type Ctx = ExpressionBuilder<Database & { l: Database['listings'] }, 'l'>;

const availableCount = sql<number>`sum(case when t.status = 'available' then 1 else 0 end)`;

function grouped(db: DB, f: ListingFilter) {
  let q = db
    .selectFrom('listings as l')
    .innerJoin('tickets as t', 't.listing_id', 'l.id')
    .innerJoin('sellers as s', 's.id', 'l.seller_id')
    .where('l.event_id', '=', f.eventId)
    .where('t.status', '!=', 'void');
  if (f.section !== undefined) q = q.where('l.section', '=', f.section);
  if (f.minPrice !== undefined) q = q.where('l.price_cents', '>=', f.minPrice);
  if (f.maxPrice !== undefined) q = q.where('l.price_cents', '<=', f.maxPrice);
  return q
    .groupBy(['l.id', 'l.event_id', 'l.seller_id', 's.name', 'l.section', 'l.row', 'l.price_cents', 'l.currency'])
    .having(availableCount, '>=', Math.max(1, f.minQuantity ?? 1));
}

/** Keyset paging: the cursor is the sort-key tuple of the last listing seen. */
function afterCursor(eb: Ctx, cols: Col[], values: unknown[], desc: boolean): Expression<SqlBool> {
  const op = desc ? '<' : '>';
  const ors: Expression<SqlBool>[] = [];
  for (let i = 0; i < cols.length; i++) {
    const ands: Expression<SqlBool>[] = [];
    for (let j = 0; j < i; j++) ands.push(eb(cols[j]!, '=', values[j] as never));
    ands.push(eb(cols[i]!, op, values[i] as never));
    ors.push(eb.and(ands));
  }
  return eb.or(ors);
}

export function validListingCursor(sort: TicketSortKey, cursor: unknown[]): boolean {
  const { cols } = SORTS[sort];
  return cursor.length === cols.length && cols.every((c, i) => typeof cursor[i] === (c === 'l.section' || c === 'l.row' ? 'string' : 'number'));
}

export interface ListingGroupRow {
  listing_id: number;
  event_id: number;
  seller_id: number;
  seller_name: string;
  section: string;
  row: string;
  price_cents: number;
  currency: string;
  available: number;
  total: number;
  numbered: boolean;
  seats: { ticketId: number; seat: string }[] | null;
}

export async function pageEventListings(db: DB, f: ListingFilter, sort: TicketSortKey, limit: number, cursor: unknown[] | null) {
  const { cols, desc } = SORTS[sort];
  let q = grouped(db, f).select([
    'l.id as listing_id',
    'l.event_id',
    'l.seller_id',
    's.name as seller_name',
    'l.section',
    'l.row',
    'l.price_cents',
    'l.currency',
    availableCount.as('available'),
    (eb) => eb.fn.countAll<number>().as('total'),
    (eb) => eb.fn.count<number>('t.seat').as('seat_count'),
  ]);
  if (cursor) q = q.where((eb) => afterCursor(eb as unknown as Ctx, cols, cursor, desc));
  for (const c of cols) q = q.orderBy(c, desc ? 'desc' : 'asc');
  const rows = await q.limit(limit + 1).execute();
  const totals = await db
    .selectFrom(grouped(db, f).select(availableCount.as('available')).as('g'))
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('g.available').as('tickets')])
    .executeTakeFirstOrThrow();
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);

  // The available seats of the page's numbered listings: one query, bounded by the page.
  const numberedIds = page.filter((r) => Number(r.seat_count) > 0).map((r) => Number(r.listing_id));
  const seats = new Map<number, { ticketId: number; seat: string }[]>();
  if (numberedIds.length > 0) {
    const seatRows = await db
      .selectFrom('tickets')
      .select(['id', 'listing_id', 'seat'])
      .where('listing_id', 'in', numberedIds)
      .where('status', '=', 'available')
      .where('seat', 'is not', null)
      .orderBy('listing_id')
      .orderBy('id')
      .execute();
    for (const s of seatRows) {
      const id = Number(s.listing_id);
      const list = seats.get(id) ?? [];
      list.push({ ticketId: Number(s.id), seat: s.seat! });
      seats.set(id, list);
    }
  }

  const items: ListingGroupRow[] = page.map((r) => {
    const id = Number(r.listing_id);
    const numbered = Number(r.seat_count) > 0;
    return {
      listing_id: id,
      event_id: Number(r.event_id),
      seller_id: Number(r.seller_id),
      seller_name: r.seller_name,
      section: r.section,
      row: r.row,
      price_cents: Number(r.price_cents),
      currency: r.currency,
      available: Number(r.available),
      total: Number(r.total),
      numbered,
      seats: numbered ? (seats.get(id) ?? []) : null,
    };
  });
  const last = page.at(-1);
  const next = hasMore && last ? cols.map((c) => (OUT[c] === 'section' || OUT[c] === 'row' ? last[OUT[c]] : Number(last[OUT[c]]))) : null;
  return { items, total: Number(totals.n), ticketsAvailable: Number(totals.tickets ?? 0), next };
}

/** Whether a listing exists (for a sale's "not found" versus "not enough left"). */
export async function listingExists(db: DB, id: number) {
  return (await db.selectFrom('listings').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
