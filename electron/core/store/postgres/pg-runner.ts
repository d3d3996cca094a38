import type pg from 'pg';
import type { Dialect, SqlRunner } from '../contract/sql.js';
import { idleInTransaction } from './connect.js';

export const pgDialect: Dialect = {
  indexedBy: () => '',
  /**
   * The rollups move a watermark of order ids, so no order below the newest may still be in flight.
   * The advisory lock keeps two terminals from folding at once; SHARE on the order tables waits for
   * every transaction that is writing them (the sell task takes ROW EXCLUSIVE on orders before it
   * draws an order id) and holds off new ones until this fold commits.
   */
  lockForRollups: async (sql) => {
    // A terminal frozen mid-fold would otherwise keep every terminal from selling (connect.ts).
    await sql.run(idleInTransaction());
    await sql.get("SELECT pg_advisory_xact_lock(hashtext('marquee.rollups'))");
    await sql.run('LOCK TABLE orders, order_items, payments IN SHARE MODE');
  },
};

const converted = new Map<string, string>();

/**
 * `?` placeholders (the shared repositories' dialect) to `$1…$n`, skipping quoted text and
 * identifiers. Cached: the repositories send the same few hundred statements over and over.
 */
export function toNumbered(sql: string): string {
  let out = converted.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quote: string | null = null;
  out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  if (converted.size < 5000) converted.set(sql, out);
  return out;
}

/** What a runner needs: a pool (each statement on any connection) or one client (inside a transaction). */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

// PostgreSQL's wire protocol takes at most 65,535 parameters per statement.
const MAX_PARAMS = 60_000;

export class PgRunner implements SqlRunner {
  readonly dialect = pgDialect;

  constructor(private readonly q: Queryable) {}

  async all<T>(sql: string, args: readonly unknown[] = []): Promise<T[]> {
    return (await this.q.query(toNumbered(sql), args as unknown[])).rows as T[];
  }

  async get<T>(sql: string, args: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.q.query(toNumbered(sql), args as unknown[])).rows[0] as T | undefined;
  }

  async run(sql: string, args: readonly unknown[] = []): Promise<number> {
    return (await this.q.query(toNumbered(sql), args as unknown[])).rowCount ?? 0;
  }

  /** Multi-row VALUES, as many rows per statement as the parameter limit allows. */
  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    if (rows.length === 0) return;
    const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    for (let at = 0; at < rows.length; at += per) {
      const chunk = rows.slice(at, at + per);
      const values: unknown[] = [];
      const tuples = chunk.map((r) => {
        const start = values.length;
        values.push(...r);
        return `(${columns.map((_, i) => `$${start + i + 1}`).join(', ')})`;
      });
      await this.q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    }
  }
}
