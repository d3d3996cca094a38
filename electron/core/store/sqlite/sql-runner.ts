import type SQLite from 'better-sqlite3';
import type { Dialect, SqlRunner } from '../contract/sql.js';

export const sqliteDialect: Dialect = {
  indexedBy: (index) => `INDEXED BY ${index}`,
  // BEGIN IMMEDIATE already holds the one write lock, and ids commit in order.
  lockForRollups: async () => undefined,
};

/**
 * The shared repositories' plain SQL on a better-sqlite3 connection: statements are compiled once per
 * connection and run synchronously (the promise is already settled when it is returned), so a
 * repository costs here what the prepared statements it replaced cost.
 */
export class SqliteRunner implements SqlRunner {
  readonly dialect = sqliteDialect;
  private readonly cache = new Map<string, SQLite.Statement>();

  constructor(private readonly db: SQLite.Database) {}

  private stmt(sql: string): SQLite.Statement {
    let st = this.cache.get(sql);
    if (!st || st.busy) {
      st = this.db.prepare(sql);
      if (this.cache.size >= 1000) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sql, st);
    }
    return st;
  }

  async all<T>(sql: string, args: readonly unknown[] = []): Promise<T[]> {
    return this.stmt(sql).all(...args) as T[];
  }

  async get<T>(sql: string, args: readonly unknown[] = []): Promise<T | undefined> {
    return this.stmt(sql).get(...args) as T | undefined;
  }

  async run(sql: string, args: readonly unknown[] = []): Promise<number> {
    return this.stmt(sql).run(...args).changes;
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    if (rows.length === 0) return;
    const st = this.stmt(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const r of rows) st.run(...r);
  }
}

