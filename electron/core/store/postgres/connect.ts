import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../contract/schema.js';

// bigint (ids, money sums, count(*)) and numeric (sum() of bigint) arrive as strings unless told:
// every value the store keeps is an integer well below 2^53, and both engines hand out numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** What a postgres:// URL names, for people: never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}`;
  } catch {
    return 'an unreadable PostgreSQL URL';
  }
}

export function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

export interface PoolOptions {
  /** Connections this terminal keeps, reads and writes together (poolSizes); default 10. */
  max?: number;
  /** Name shown in pg_stat_activity, so a venue's IT can tell terminals apart. */
  applicationName?: string;
  connectionTimeoutMillis?: number;
  /**
   * How long a statement waits for a row or table lock before giving up (PostgreSQL lock_timeout);
   * default 5 s. A terminal that froze in the middle of a transaction (a laptop lid closed, a VM
   * paused, a cable pulled without a reset) keeps its row locks until the server notices, which with
   * TCP keepalive can take hours; without this, every other terminal that wanted one of those seats
   * would hang with it. With it they answer 409 CONFLICT (retryable) and go on selling the rest.
   */
  lockTimeoutMs?: number;
}

/**
 * A terminal's connections, split: sales and other writes (and the caller lookups in front of them)
 * never wait behind reads. Reports, exports and seat-map loads of this terminal, or of a client of its
 * HTTP API holding every read open, could otherwise take every connection and leave a walk-in sale
 * waiting for one until it is refused. Writes get two fifths (10 → 4 writes, 6 reads): the sell lane
 * keeps at most two batches in flight, and holds, imports and account changes are short; the total
 * stays `max` because a venue's server counts every terminal's connections against max_connections.
 */
export function poolSizes(max = 10): { reads: number; writes: number } {
  const total = Math.max(2, Math.floor(max));
  const writes = Math.max(1, Math.floor((total * 2) / 5));
  return { reads: total - writes, writes };
}

/**
 * The store's own transactions (sales, holds, reservations, the rollups' fold) are statements only,
 * never waiting on anything outside the database between two of them; one that sits idle this long
 * belongs to a terminal that froze mid-way, and the server ends its session so that its row locks,
 * and the SHARE lock of a fold, stop holding up every other terminal. (Not for store.write in
 * general: an import's transaction reads the upload between its statements.)
 */
export const IDLE_IN_TRANSACTION_MS = 10_000;

export const idleInTransaction = (ms = IDLE_IN_TRANSACTION_MS) => `SET LOCAL idle_in_transaction_session_timeout = ${Math.max(1, Math.round(ms))}`;

export function createPool(url: string, o: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max ?? 10,
    application_name: o.applicationName ?? 'marquee',
    connectionTimeoutMillis: o.connectionTimeoutMillis ?? 5000,
    // A startup parameter, so it holds from the first statement of every connection, at no round trip.
    options: `-c lock_timeout=${Math.max(1, Math.round(o.lockTimeoutMs ?? 5000))}`,
    idleTimeoutMillis: 30_000,
    // A terminal's connection to the venue's server may cross a switch that drops idle flows.
    keepAlive: true,
  });
  // An idle client losing its connection (server restart) is reported here; without a listener it would crash the process.
  pool.on('error', () => undefined);
  // A checked-out client has no pool listener: a server shutdown (57P01) arriving between two
  // statements of a transaction would be an unhandled 'error' and end the terminal. With this one the
  // client is only marked broken; its next statement fails as a lost connection (STORE_UNAVAILABLE),
  // and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function kyselyOn(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
