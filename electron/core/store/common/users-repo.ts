import type { Insertable, Updateable } from 'kysely';
import type { DB, Trx } from '../contract/store.js';
import type { ApiTokensTable, UsersTable } from '../contract/schema.js';

export type UserRow = Awaited<ReturnType<typeof findUserById>> & object;

export async function findUserById(db: Trx, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Trx, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function firstActiveAdmin(db: Trx) {
  return db.selectFrom('users').selectAll().where('role', '=', 'admin').where('active', '=', 1).orderBy('id').executeTakeFirst();
}

export async function countUsers(db: Trx): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(db: DB) {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export async function insertUser(trx: Trx, row: Insertable<UsersTable>) {
  return trx.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(trx: Trx, id: number, patch: Updateable<UsersTable>) {
  return trx.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

const tokenColumns = [
  'api_tokens.id',
  'api_tokens.user_id',
  'users.username',
  'api_tokens.name',
  'api_tokens.prefix',
  'api_tokens.created_at',
  'api_tokens.last_used_at',
  'api_tokens.revoked_at',
] as const;

export async function insertToken(trx: Trx, row: Insertable<ApiTokensTable>) {
  return trx.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function findToken(db: Trx, id: number) {
  return db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(tokenColumns).where('api_tokens.id', '=', id).executeTakeFirst();
}

export async function listTokens(db: Trx, userId: number | null) {
  let q = db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(tokenColumns);
  if (userId !== null) q = q.where('api_tokens.user_id', '=', userId);
  return q.orderBy('api_tokens.id', 'desc').execute();
}

/** The token's row and its user, by hash; revoked tokens are returned too so the caller can say so. */
export async function findTokenByHash(db: Trx, sha256: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.revoked_at', 'api_tokens.name as token_name', 'users.id as user_id'])
    .where('api_tokens.token_sha256', '=', sha256)
    .executeTakeFirst();
}

export async function revokeToken(trx: Trx, id: number, now: string): Promise<boolean> {
  const r = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function getSetting(db: Trx, key: string): Promise<unknown> {
  const r = await db.selectFrom('app_settings').select('value_json').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.value_json) as unknown) : undefined;
}

export async function putSetting(trx: Trx, key: string, value: unknown, now: string) {
  await trx
    .insertInto('app_settings')
    .values({ key, value_json: JSON.stringify(value), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: JSON.stringify(value), updated_at: now }))
    .execute();
}
