import type SQLite from 'better-sqlite3';
import { Kysely, Migrator, RawNode, SqliteAdapter, SqliteDialect, type KyselyPlugin, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * Migrations that rebuild a table the way SQLite documents it (https://sqlite.org/lang_altertable.html#otheralter):
 * foreign_keys OFF, then their own BEGIN … COMMIT. Run here inside the migration's transaction, with
 * foreign keys switched off around it (the PRAGMA does nothing inside a transaction) and their
 * BEGIN/COMMIT/ROLLBACK turned into a savepoint; they check foreign_key_check themselves before COMMIT.
 */
const REBUILDS_WITH_FOREIGN_KEYS_OFF = new Set(['2026-12-04T0700-door-check-ins']);

const SAVEPOINT: Record<string, string> = {
  'BEGIN IMMEDIATE': 'SAVEPOINT marquee_migration',
  COMMIT: 'RELEASE marquee_migration',
  ROLLBACK: 'ROLLBACK TO marquee_migration',
};
const nestedAsSavepoint: KyselyPlugin = {
  transformQuery: ({ node }) => {
    if (RawNode.is(node) && node.sqlFragments.length === 1) {
      const savepoint = SAVEPOINT[node.sqlFragments[0]!.trim().toUpperCase()];
      if (savepoint) return RawNode.createWithSql(savepoint);
    }
    return node;
  },
  transformResult: async ({ result }) => result,
};

const provider: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(
      Object.entries(migrations).map(([name, m]) =>
        REBUILDS_WITH_FOREIGN_KEYS_OFF.has(name) ? [name, { ...m, up: (db: Kysely<unknown>) => m.up(db.withPlugin(nestedAsSavepoint)) }] : [name, m],
      ),
    ),
};

class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class TransactionalDdlDialect extends SqliteDialect {
  override createAdapter() {
    return new TransactionalDdlAdapter();
  }
}

/**
 * Brings the file's schema to the latest version, one migration per transaction together with its
 * kysely_migration row.
 *
 * Why not Migrator.migrateToLatest() on the store's Kysely: Kysely's SqliteAdapter reports no
 * transactional DDL, so it ran every statement of a migration in autocommit. A kill in the middle of
 * one (a kiosk's first start, an upgrade) left some of its tables behind without the row, and every
 * later open failed with "table venues already exists": the data dir could not be opened again
 * (found by test/proof/crash-consistency.test.ts). SQLite's DDL is transactional, so each migration
 * now commits whole or not at all.
 */
export async function migrateAtomically(raw: SQLite.Database): Promise<string[]> {
  // Its own Kysely on the writer connection, never destroyed (that would close the connection).
  const db = new Kysely<unknown>({ dialect: new TransactionalDdlDialect({ database: raw }) });
  const migrator = new Migrator({ db, provider });
  const applied: string[] = [];
  for (;;) {
    const next = (await migrator.getMigrations()).find((m) => m.executedAt === undefined);
    if (!next) return applied;
    const foreignKeysOff = REBUILDS_WITH_FOREIGN_KEYS_OFF.has(next.name);
    if (foreignKeysOff) raw.pragma('foreign_keys = OFF');
    try {
      const { error, results } = await migrator.migrateUp();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      applied.push(...(results ?? []).map((r) => r.migrationName));
    } finally {
      if (foreignKeysOff) raw.pragma('foreign_keys = ON');
    }
  }
}
