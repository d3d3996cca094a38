// Frozen once shipped: the SQLite twin of postgres/migrations/2026-12-03T1100-auth-notify.ts.
import type { Kysely } from 'kysely';

/**
 * Nothing to do on SQLite: one file, and PRAGMA data_version already moves with every other
 * connection's commit (sqlite/database.ts SqliteAuthLookups). The migration exists so both engines
 * keep one list of migration names, which is how a terminal tells a schema's version.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
