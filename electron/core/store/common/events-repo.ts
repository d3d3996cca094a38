import { sql, type Insertable, type Updateable } from 'kysely';
import type { Trx } from '../contract/store.js';
import type { EventsTable } from '../contract/schema.js';

export interface EventFilter {
  ids?: number[];
  q?: string;
  city?: string;
  fromDate?: string;
  toDate?: string;
  fromUtc?: string;
  toUtc?: string;
  status?: string;
  limit: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Events joined with their venue and live availability (count and cheapest available ticket). */
export function selectEventsWithAvailability(db: Trx) {
  return db
    .selectFrom('events as e')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .selectAll('e')
    .select([
      'v.name as v_name',
      'v.address_line1 as v_address_line1',
      'v.address_line2 as v_address_line2',
      'v.address_line3 as v_address_line3',
      'v.city as v_city',
      'v.region as v_region',
      'v.postal_code as v_postal_code',
      'v.country as v_country',
      'v.timezone as v_timezone',
      (eb) =>
        eb
          .selectFrom('tickets as t')
          .select((eb2) => eb2.fn.countAll<number>().as('n'))
          .whereRef('t.event_id', '=', 'e.id')
          .where('t.status', '=', 'available')
          .as('tickets_available'),
      (eb) =>
        eb
          .selectFrom('tickets as t')
          .select((eb2) => eb2.fn.min<number>('t.price_cents').as('p'))
          .whereRef('t.event_id', '=', 'e.id')
          .where('t.status', '=', 'available')
          .as('min_price_cents'),
    ]);
}
export type EventWithAvailabilityRow = Awaited<ReturnType<ReturnType<typeof selectEventsWithAvailability>['executeTakeFirstOrThrow']>>;

export async function searchEvents(db: Trx, f: EventFilter) {
  let q = selectEventsWithAvailability(db);
  if (f.ids) q = q.where('e.id', 'in', f.ids);
  if (f.q) {
    const pattern = `%${likeEscape(f.q.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['e.name']), 'like', sql<string>`${pattern} escape '\\'`),
        eb(eb.fn('lower', ['v.name']), 'like', sql<string>`${pattern} escape '\\'`),
        eb(eb.fn('lower', ['v.city']), 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  if (f.city) q = q.where((eb) => eb(eb.fn('lower', ['v.city']), '=', f.city!.toLowerCase()));
  if (f.fromDate) q = q.where('e.local_date', '>=', f.fromDate);
  if (f.toDate) q = q.where('e.local_date', '<=', f.toDate);
  if (f.fromUtc) q = q.where('e.starts_at_utc', '>=', f.fromUtc);
  if (f.toUtc) q = q.where('e.starts_at_utc', '<=', f.toUtc);
  if (f.status) q = q.where('e.status', '=', f.status);
  return q.orderBy('e.starts_at_utc').orderBy('e.id').limit(f.limit).execute();
}

export async function findEvent(db: Trx, id: number) {
  return selectEventsWithAvailability(db).where('e.id', '=', id).executeTakeFirst();
}

export async function insertEvent(trx: Trx, row: Insertable<EventsTable>) {
  return trx.insertInto('events').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateEvent(trx: Trx, id: number, patch: Updateable<EventsTable>) {
  const r = await trx.updateTable('events').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function eventExists(db: Trx, id: number) {
  return (await db.selectFrom('events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
