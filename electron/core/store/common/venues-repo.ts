import type { Insertable } from 'kysely';
import type { DB, Trx } from '../contract/store.js';
import type { VenuesTable } from '../contract/schema.js';

export async function insertVenue(trx: Trx, row: Insertable<VenuesTable>) {
  return trx.insertInto('venues').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listVenues(db: DB) {
  return db.selectFrom('venues').selectAll().orderBy('name').orderBy('id').execute();
}

export async function findVenue(db: Trx, id: number) {
  return db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst();
}
