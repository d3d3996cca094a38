// Frozen once shipped: terminals hear each other's changes to accounts and tokens (issue 15).
// PostgreSQL only in effect; sqlite/migrations/2026-12-03T1100-auth-notify.ts is its empty twin.
import { sql, type Kysely } from 'kysely';

/**
 * The HTTP server keeps each token's caller between requests while nothing that could change it was
 * committed (AuthLookups.version). On SQLite data_version says so; on a shared server another
 * terminal may revoke a token or deactivate a user, so every statement that changes users or
 * api_tokens NOTIFYs 'marquee_auth' (delivered at COMMIT, to every listening terminal).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION marquee_auth_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('marquee_auth', TG_TABLE_NAME);
      RETURN NULL;
    END $$`.execute(db);
  for (const table of ['users', 'api_tokens']) {
    await sql
      .raw(`CREATE TRIGGER ${table}_auth_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION marquee_auth_notify()`)
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['users', 'api_tokens']) await sql.raw(`DROP TRIGGER ${table}_auth_notify ON ${table}`).execute(db);
  await sql`DROP FUNCTION marquee_auth_notify()`.execute(db);
}
