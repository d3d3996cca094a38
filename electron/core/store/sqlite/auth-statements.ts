import type SQLite from 'better-sqlite3';
import type { TokenAuthRow, UserAuthRow } from '../contract/store.js';

/**
 * Who is calling, looked up on every API request (so a revoked token or a deactivated account stops
 * at once). That makes these lookups as hot as the sale itself: prepared once per connection
 * instead of built by Kysely per request. Plain SQL; only the binding is SQLite's.
 */
export type { TokenAuthRow, UserAuthRow } from '../contract/store.js';

function prepare(db: SQLite.Database) {
  return {
    token: db.prepare<[string], TokenAuthRow>('SELECT id AS token_id, revoked_at, user_id FROM api_tokens WHERE token_sha256 = ?'),
    user: db.prepare<[number], UserAuthRow>('SELECT id, username, role, seller_id, active FROM users WHERE id = ?'),
    firstAdmin: db.prepare<[], UserAuthRow>("SELECT id, username, role, seller_id, active FROM users WHERE role = 'admin' AND active = 1 ORDER BY id LIMIT 1"),
  };
}

const cache = new WeakMap<SQLite.Database, ReturnType<typeof prepare>>();
const statements = (db: SQLite.Database) => {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
};

export const tokenByHash = (db: SQLite.Database, sha256: string) => statements(db).token.get(sha256);
export const userForAuth = (db: SQLite.Database, id: number) => statements(db).user.get(id);
export const firstActiveAdminForAuth = (db: SQLite.Database) => statements(db).firstAdmin.get();
