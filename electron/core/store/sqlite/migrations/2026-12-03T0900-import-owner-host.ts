// Frozen once shipped: which machine runs an import (issue 15, several terminals on one store).
import { sql, type Kysely } from 'kysely';

/**
 * owner_pid alone names a process on this machine. On a store several terminals share, a batch left
 * 'running' by another terminal must not be taken for an orphan because its pid is not alive here:
 * owner_host says whose pid it is (see common/import-repo.ts orphanedBatches).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_batches ADD COLUMN owner_host TEXT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_batches DROP COLUMN owner_host`.execute(db);
}
