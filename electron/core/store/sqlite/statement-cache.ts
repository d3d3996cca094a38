import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver calls db.prepare(sql) for every query it runs, and compiling the statement
 * is a large part of a small query's cost (it showed as ~13 % of the HTTP server's CPU in the bench,
 * mostly the per-request token lookup). Kysely builds the same SQL text for the same query shape, so
 * the store hands Kysely this wrapper, which keeps compiled statements by SQL text. SQLite recompiles
 * a kept statement by itself if the schema changes under it.
 */
export function cachingDatabase(db: SQLite.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare: (sql: string) => {
      const kept = cache.get(sql);
      // A statement still iterating (a streamed query) cannot run twice at once: compile another.
      if (kept && !kept.busy) return kept;
      const stmt = db.prepare(sql);
      if (!kept) {
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}
