import type { DB, Trx } from '../contract/store.js';

export async function listSellers(db: DB) {
  return db.selectFrom('sellers').select(['id', 'name', 'email']).orderBy('id').execute();
}

export async function sellerExists(db: Trx, id: number) {
  return (await db.selectFrom('sellers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertSeller(trx: Trx, name: string, email: string | null, now: string, id?: number) {
  const row = await trx
    .insertInto('sellers')
    .values({ ...(id === undefined ? {} : { id }), name, email, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findSellerByEmail(db: Trx, email: string) {
  return db.selectFrom('sellers').select('id').where('email', '=', email).executeTakeFirst();
}
