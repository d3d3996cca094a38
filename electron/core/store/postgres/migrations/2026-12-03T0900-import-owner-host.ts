// Frozen once shipped: which machine runs an import (issue 15, several terminals on one store).
// PostgreSQL twin of sqlite/migrations/2026-12-03T0900-import-owner-host.ts (rules in ../README.md).
import { sql, type Kysely } from 'kysely';

/** owner_pid alone names a process on one machine; owner_host says whose pid it is (common/import-repo.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_batches ADD COLUMN owner_host text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_batches DROP COLUMN owner_host`.execute(db);
}
