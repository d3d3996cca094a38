import { openStore } from '../../electron/core/store/sqlite/database.js';

/** What the SQLite schema looks like after every migration: the reference the PostgreSQL schema is held to. */
export interface SqliteCatalog {
  migrationNames: string[];
  tables: {
    name: string;
    /** CREATE TABLE text as SQLite keeps it (ALTER TABLE ADD COLUMN appends to it). */
    sql: string;
    columns: { name: string; type: string; notnull: boolean; dflt_value: string | null; pk: number }[];
  }[];
  /** Explicitly created indexes (not the automatic ones behind UNIQUE and PRIMARY KEY). */
  indexes: { name: string; table: string; sql: string }[];
  /** UNIQUE constraints written in CREATE TABLE, as column lists. */
  uniques: { table: string; columns: string[] }[];
  foreignKeys: { table: string; from: string; refTable: string; to: string }[];
  triggers: { name: string; table: string }[];
}

/**
 * The one place these tests read SQLite's catalog directly: a migrated in-memory store, through its
 * raw connection. When the store's internals move, only this function changes.
 */
export async function sqliteCatalog(): Promise<SqliteCatalog> {
  const store = await openStore({ file: ':memory:' });
  try {
    const raw = store.readerRaw;
    const all = <T>(q: string, ...params: unknown[]) => raw.prepare(q).all(...params) as T[];
    const tableRows = all<{ name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`,
    );
    const tables = tableRows.map((t) => ({
      ...t,
      columns: all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`SELECT * FROM pragma_table_info(?)`, t.name).map((c) => ({
        name: c.name,
        type: c.type,
        notnull: c.notnull === 1,
        dflt_value: c.dflt_value,
        pk: c.pk,
      })),
    }));
    const uniques = tableRows.flatMap((t) =>
      all<{ name: string; origin: string }>(`SELECT name, origin FROM pragma_index_list(?)`, t.name)
        .filter((i) => i.origin === 'u')
        .map((i) => ({ table: t.name, columns: all<{ name: string }>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, i.name).map((c) => c.name) })),
    );
    const foreignKeys = tableRows.flatMap((t) =>
      all<{ table: string; from: string; to: string }>(`SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`, t.name).map((f) => ({
        table: t.name,
        from: f.from,
        refTable: f.table,
        to: f.to,
      })),
    );
    return {
      migrationNames: all<{ name: string }>(`SELECT name FROM kysely_migration ORDER BY name`).map((r) => r.name),
      tables,
      indexes: all<{ name: string; table: string; sql: string }>(
        `SELECT name, tbl_name AS "table", sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`,
      ),
      uniques,
      foreignKeys,
      triggers: all<{ name: string; table: string }>(`SELECT name, tbl_name AS "table" FROM sqlite_master WHERE type = 'trigger' ORDER BY name`),
    };
  } finally {
    await store.close();
  }
}
