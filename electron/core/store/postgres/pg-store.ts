import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../../../../shared/errors.js';
import { completeAuditRow } from '../contract/audit-row.js';
import { holdNowIso } from '../contract/hold-clock.js';
import type { Database } from '../contract/schema.js';
import type { CommitInfo, SeatChange } from '../contract/shapes.js';
import type { AuthLookups, DB, Store, StoreHealth, TokenAuthRow, UserAuthRow } from '../contract/store.js';
import type { SqlRunner } from '../contract/sql.js';
import type { TaskArgs, TaskEnvelope, TaskName, TaskResult } from '../contract/tasks.js';
import { insertAudit } from '../common/audit-repo.js';
import { soldChanges } from '../common/seating-repo.js';
import { createPool, describeUrl, idleInTransaction, kyselyOn, poolSizes, type PoolOptions } from './connect.js';
import { migrationProvider } from './migrations/index.js';
import { PgSeatFeed, SEATS_CHANNEL } from './pg-feed.js';
import { busy, connectionProblem, describePgError, isConnectionError, isPoolBusy, isRetryable, unavailable } from './pg-errors.js';
import { PgListener } from './pg-listener.js';
import { PgRunner } from './pg-runner.js';
import { cancelReservationPg, holdSeatsPg, releaseSeatsPg, reservePg, sweepPg } from './pg-seating.js';
import { IdempotentTwin, sellAnyPg, sellListingPg, sellInOneStatement, sellPg, twinResponse, type SellContext } from './pg-sell.js';
import { batchable, sellBatchInOneStatement, sellBatchPg, type BatchOutcome, type SellArgs } from './pg-sell-batch.js';
import { SellLane, type Pending, type SellLaneOptions, type SellLaneStats } from './pg-sell-lane.js';
import { schemaState } from './schema-version.js';

export interface PgStoreOptions extends PoolOptions {
  url: string;
  /**
   * 'if-empty' (default): a new database gets the schema, a current one is used, any other refuses
   * to open. 'upgrade': an older schema is brought up to date (one terminal, the others stopped).
   */
  migrate?: 'if-empty' | 'upgrade';
  /** How many times a transaction that hit a deadlock or serialization failure runs again. */
  retries?: number;
  /** Walk-in sales as one statement (pg-sell.ts sellInOneStatement); default on, off runs every sale as a transaction. */
  oneStatementSales?: boolean;
  /**
   * Walk-in sales that arrive together written as one transaction (pg-sell-batch.ts); default on
   * (MARQUEE_PG_BATCH_SALES=0 turns it off), false runs each on its own. A lone sale takes the per-sale path either way.
   */
  batchSales?: boolean | SellLaneOptions;
  /** The sale and task transactions' idle_in_transaction_session_timeout (connect.ts IDLE_IN_TRANSACTION_MS). */
  idleInTransactionMs?: number;
}

/** The store could not be opened; the message says why in plain words (no password). */
export class StoreOpenError extends Error {
  constructor(
    message: string,
    readonly problem: 'unreachable' | 'schema',
  ) {
    super(message);
  }
}

// synchronous_commit levels that wait for the local WAL flush (or more) before COMMIT returns.
const DURABLE = new Set(['on', 'remote_write', 'remote_apply']);
const SALE_TASKS: ReadonlySet<TaskName> = new Set(['sell', 'sellAny', 'sellListing']);
// Sales draw their order id before they insert the order; ROW EXCLUSIVE on orders from the start
// keeps the rollups' SHARE lock waiting for them (pg-runner.ts pgDialect.lockForRollups). It does
// not conflict with itself: sales never wait for each other here.
const beginSale = (idle: string) => `BEGIN; ${idle}; LOCK TABLE orders IN ROW EXCLUSIVE MODE; SELECT current_setting('synchronous_commit') AS s`;
const beginTask = (idle: string) => `BEGIN; ${idle}; SELECT current_setting('synchronous_commit') AS s`;
// A batch of sales (pg-sell-batch.ts): as beginSale, and a savepoint to put tickets back to.
const beginSellBatch = (idle: string) => `BEGIN; ${idle}; LOCK TABLE orders IN ROW EXCLUSIVE MODE; SAVEPOINT flip; SELECT current_setting('synchronous_commit') AS s`;

type Client = pg.PoolClient;

/**
 * The shared store: every terminal of a venue connects to one PostgreSQL database. Transactions are
 * READ COMMITTED; what must not race takes row locks (guarded UPDATEs, FOR UPDATE, SKIP LOCKED) in
 * one order (pg-seating.ts), and a deadlock or serialization failure runs the transaction again a
 * bounded number of times. COMMIT is acknowledged only under a durable synchronous_commit, checked
 * in every transaction. While the server cannot be reached nothing is attempted: every write answers
 * STORE_UNAVAILABLE at once and a probe reconnects by itself.
 */
export class PgStore implements Store {
  readonly engine = 'postgres' as const;
  readonly location: string;
  readonly reader: DB;
  readonly auth: PgAuthLookups;
  readonly feed: PgSeatFeed;
  onCommit: ((info: CommitInfo) => void) | null = null;
  private readonly readerSql: PgRunner;
  private readonly onClient = new WeakMap<Client, { db: DB; sql: PgRunner }>();
  private readonly sqlOfDb = new WeakMap<DB, PgRunner>();
  private readonly listener: PgListener;
  private state: StoreHealth = { up: true, problem: null };
  private readonly healthListeners = new Set<(h: StoreHealth) => void>();
  private probeTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly retries: number;
  private readonly oneStatementSales: boolean;
  private readonly begin: { sale: string; task: string; sellBatch: string };
  private readonly sellLane: SellLane<SellArgs, TaskResult<'sell'>> | null;

  private constructor(
    readonly options: PgStoreOptions,
    /** Transactions, sales, NOTIFYs and caller lookups: the path of a sale never waits behind a read. */
    private readonly writes: pg.Pool,
    /** The reader (reports, searches, exports, seat maps). */
    private readonly reads: pg.Pool,
    private readonly sellContext: SellContext,
  ) {
    this.location = `PostgreSQL ${describeUrl(options.url)}`;
    this.retries = options.retries ?? 5;
    const idle = idleInTransaction(options.idleInTransactionMs);
    this.begin = { sale: beginSale(idle), task: beginTask(idle), sellBatch: beginSellBatch(idle) };
    this.oneStatementSales = options.oneStatementSales ?? process.env.MARQUEE_PG_ONE_STATEMENT_SALES !== '0';
    const batch = options.batchSales ?? process.env.MARQUEE_PG_BATCH_SALES !== '0';
    const envNum = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
    const laneOptions: SellLaneOptions = {
      maxBatch: envNum(process.env.MARQUEE_PG_BATCH_MAX),
      inFlight: envNum(process.env.MARQUEE_PG_BATCH_IN_FLIGHT),
      ...(typeof batch === 'object' ? batch : {}),
    };
    this.sellLane = batch === false ? null : new SellLane((b) => this.sellBatch(b), laneOptions);
    this.reader = kyselyOn(reads);
    this.readerSql = new PgRunner(reads);
    this.auth = new PgAuthLookups(writes);
    this.feed = new PgSeatFeed(
      {
        sweep: async () => {
          const now = holdNowIso();
          const any = await this.readerSql.get('SELECT 1 AS x FROM seat_holds WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT 1', [now]);
          return any ? this.task('sweepHolds', { now }) : [];
        },
        eventsOfTickets: (ids) => soldChanges(this.readerSql, ids),
      },
      (payload) => writes.query('SELECT pg_notify($1, $2)', [SEATS_CHANNEL, payload]),
      // Not durable anyway: this commit need not wait for the WAL flush (the sales it announces did).
      (payloads) =>
        writes.query({
          name: 'seat_notify_many',
          text: "SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, x) FROM unnest($2::text[]) AS x",
          values: [SEATS_CHANNEL, payloads],
        }),
    );
    this.listener = new PgListener(
      options.url,
      { [SEATS_CHANNEL]: (p) => this.feed.received(p), marquee_auth: () => this.auth.bump() },
      (up, err) => {
        this.feed.linkChanged(up);
        this.auth.linked(up);
        if (!up) this.markDown(err ?? new Error('Connection terminated'));
      },
    );
  }

  /** Connects, checks (or creates) the schema, and starts listening. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const sizes = poolSizes(options.max);
    const writes = createPool(options.url, { ...options, max: sizes.writes });
    const reads = createPool(options.url, { ...options, max: sizes.reads, applicationName: `${options.applicationName ?? 'marquee'} reads` });
    try {
      let client: Client;
      try {
        client = await writes.connect();
      } catch (err) {
        throw new StoreOpenError(`Cannot reach the shared database at ${describeUrl(options.url)}: ${plain(err)}`, 'unreachable');
      }
      try {
        // The migrator needs connections of its own beside `client`; the writes writes may have only one.
        await migrateIfAllowed(client, reads, options.migrate ?? 'if-empty');
        const seq = (await client.query<{ s: string }>("SELECT pg_get_serial_sequence('orders', 'id') AS s")).rows[0]!.s;
        const sync = (await client.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s")).rows[0]!.s;
        const store = new PgStore(options, writes, reads, { ordersSequence: seq });
        if (!DURABLE.has(sync)) {
          // The server's default would acknowledge a sale before it is on disk: every session of this store asks for more.
          writes.on('connect', (c) => void c.query('SET synchronous_commit = on').catch(() => undefined));
          reads.on('connect', (c) => void c.query('SET synchronous_commit = on').catch(() => undefined));
          await client.query('SET synchronous_commit = on');
        }
        await store.listener.start();
        return store;
      } finally {
        client.release();
      }
    } catch (err) {
      await Promise.all([writes.end().catch(() => undefined), reads.end().catch(() => undefined)]);
      throw err;
    }
  }

  sql(trx?: DB): SqlRunner {
    return (trx && this.sqlOfDb.get(trx)) ?? this.readerSql;
  }

  health(): StoreHealth {
    return { ...this.state };
  }

  onHealth(listener: (h: StoreHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  describeError(err: unknown): AppError | null {
    if (isConnectionError(err)) this.markDown(err);
    return describePgError(err);
  }

  async write<T>(fn: (trx: DB) => Promise<T>): Promise<T> {
    const result = await this.transact('BEGIN', true, (client) => fn(this.on(client).db));
    // This terminal's own change to an account or token counts before its NOTIFY comes back.
    this.auth.bump();
    return result;
  }

  async task<K extends TaskName>(name: K, args: TaskArgs<K>): Promise<TaskResult<K>> {
    try {
      if (!SALE_TASKS.has(name)) return await this.transact(this.begin.task, false, (client) => this.runTask(client, name, args, []));
      if (name === 'sell') {
        const a = args as SellArgs;
        if (this.sellLane && batchable(a)) return (await this.sellLane.submit(a)) as TaskResult<K>;
        return (await this.sellAlone(a)) as TaskResult<K>;
      }
      const sold: SeatChange[] = [];
      const result = await this.transact(this.begin.sale, false, (client) => this.runTask(client, name, args, sold));
      this.feed.soldCommitted(sold);
      return result;
    } catch (err) {
      // A concurrent request with the same Idempotency-Key committed first: answer what it answered.
      const key =
        name === 'sell' ? (args as TaskArgs<'sell'>).input.idempotencyKey : name === 'sellListing' ? (args as TaskArgs<'sellListing'>).sale.idempotencyKey : undefined;
      if (key && (err instanceof IdempotentTwin || (err instanceof AppError && err.code === 'TICKET_UNAVAILABLE'))) {
        const a = args as TaskArgs<'sell'> | TaskArgs<'sellListing'>;
        const prior = await this.readerSql.get<{ request_hash: string }>('SELECT request_hash FROM idempotency_keys WHERE key = ?', [key]);
        if (prior || err instanceof IdempotentTwin) return (await twinResponse(this.writes, key, a.requestHash)) as TaskResult<K>;
      }
      throw err;
    }
  }

  /** What the sell lane has done so far (tests, the bench). */
  sellLaneStats(): SellLaneStats | null {
    return this.sellLane ? { ...this.sellLane.stats } : null;
  }

  /** One sale on its own: a walk-in as one statement if it can be, else (or if refused there) as a transaction. */
  private async sellAlone(a: SellArgs): Promise<TaskResult<'sell'>> {
    let sold: SeatChange[] = [];
    if (this.oneStatementSales) {
      const quick = await this.statement((client) => sellInOneStatement(client, this.sellContext, a, (sold = [])));
      if (quick) {
        this.feed.soldCommitted(sold);
        return quick;
      }
    }
    const result = await this.transact(this.begin.sale, false, (client) => this.runTask(client, 'sell', a, (sold = [])));
    this.feed.soldCommitted(sold);
    return result;
  }

  /**
   * The sell lane's batch (pg-sell-batch.ts): one transaction for every sale in it, then each caller
   * answered. A sale the batch did not take runs on its own after COMMIT; if the batch failed (not for
   * a lost connection or a closed store, which every sale of it is told), every sale runs on its own.
   */
  private async sellBatch(batch: Pending<SellArgs, TaskResult<'sell'>>[]): Promise<void> {
    const alone = (p: Pending<SellArgs, TaskResult<'sell'>>) => {
      this.sellAlone(p.args).then(p.resolve, p.reject);
    };
    if (batch.length === 1) {
      // Nothing to share a commit with: the per-sale path as it is.
      await this.sellAlone(batch[0]!.args).then(batch[0]!.resolve, batch[0]!.reject);
      return;
    }
    const args = batch.map((p) => p.args);
    const written = (r: BatchOutcome[] | null) => (r ? r.filter((o) => o.kind === 'sold').length : 0);
    let outcomes: BatchOutcome[] | null;
    try {
      // Two round trips when nothing changed under the batch; else the transaction, which decides sale by sale.
      outcomes = this.oneStatementSales ? await this.statement((client) => sellBatchInOneStatement(client, this.sellContext, args), written) : null;
      if (outcomes) this.sellLane!.stats.oneStatement++;
      else {
        outcomes = await this.transact(this.begin.sellBatch, false, (client) => sellBatchPg(client, this.sellContext, args), written);
        this.sellLane!.stats.transaction++;
      }
    } catch (err) {
      if (err instanceof AppError && (err.code === 'STORE_UNAVAILABLE' || err.code === 'TOO_MANY_REQUESTS')) {
        for (const p of batch) p.reject(err);
        return;
      }
      this.sellLane!.stats.fellBack++;
      batch.forEach(alone);
      return;
    }
    const sold: SeatChange[] = [];
    for (const o of outcomes) if (o.kind === 'sold') sold.push(...o.sold);
    this.feed.soldCommitted(sold);
    outcomes.forEach((o, k) => {
      const p = batch[k]!;
      if (o.kind === 'sold') p.resolve(o.result);
      else if (o.kind === 'refused') p.reject(o.error);
      else {
        this.sellLane!.stats.alone++;
        alone(p);
      }
    });
  }

  private async runTask<K extends TaskName>(client: Client, name: K, args: TaskArgs<K>, sold: SeatChange[]): Promise<TaskResult<K>> {
    const a = args as TaskArgs<K> & TaskEnvelope;
    let result: unknown;
    switch (name) {
      case 'sell':
        // The sale writes its own audit entry, in the statement that writes the order.
        return (await sellPg(client, this.sellContext, a as TaskArgs<'sell'> & TaskEnvelope, sold)) as TaskResult<K>;
      case 'sellAny':
        return (await sellAnyPg(client, this.sellContext, a as TaskArgs<'sellAny'> & TaskEnvelope, sold)) as TaskResult<K>;
      case 'sellListing':
        return (await sellListingPg(client, this.sellContext, a as TaskArgs<'sellListing'> & TaskEnvelope, sold)) as TaskResult<K>;
      case 'holdSeats':
        result = await holdSeatsPg(client, a as TaskArgs<'holdSeats'>);
        break;
      case 'releaseSeats':
        result = await releaseSeatsPg(client, a as TaskArgs<'releaseSeats'>);
        break;
      case 'reserveTickets':
        result = await reservePg(client, a as TaskArgs<'reserveTickets'>);
        break;
      case 'cancelReservation':
        result = await cancelReservationPg(client, a as TaskArgs<'cancelReservation'>);
        break;
      case 'sweepHolds':
        result = await sweepPg(client, (a as TaskArgs<'sweepHolds'>).now);
        break;
      default:
        throw new Error(`unknown task ${String(name)}`);
    }
    if (a.audit) await insertAudit(this.on(client).db, completeAuditRow(a.audit, result));
    return result as TaskResult<K>;
  }

  /**
   * One transaction on one pooled connection: `begin` (which reads synchronous_commit), fn, the
   * durability check, COMMIT. A deadlock or serialization failure rolls back and runs fn again; a
   * lost connection is STORE_UNAVAILABLE and is never retried (a COMMIT that got no answer may or may
   * not have happened; the caller is told nothing was confirmed).
   */
  private async transact<T>(begin: string, checkBeforeCommit: boolean, fn: (client: Client) => Promise<T>, items: (r: T) => number = () => 1): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new AppError('STORE_UNAVAILABLE', 'The store is closed');
      if (!this.state.up) throw unavailable(this.state.problem ?? 'the database server cannot be reached');
      let client: Client;
      try {
        client = await this.writes.connect();
      } catch (err) {
        if (isPoolBusy(err)) throw busy();
        this.markDown(err);
        throw unavailable(connectionProblem(err));
      }
      let broken: unknown = null;
      try {
        const began = await client.query(begin);
        let sync = settingOf(began);
        const result = await fn(client);
        if (checkBeforeCommit || sync === null) sync = (await client.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s")).rows[0]!.s;
        if (!DURABLE.has(sync)) throw new Error(`refusing to commit: synchronous_commit is ${sync}, the store requires on`);
        await client.query('COMMIT');
        const n = items(result);
        this.onCommit?.({ kind: n > 1 ? 'group' : 'write', items: n, synchronous: 2 });
        return result;
      } catch (err) {
        if (isConnectionError(err)) broken = err;
        else await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
        if (broken) {
          this.markDown(broken);
          throw unavailable(connectionProblem(broken));
        }
        if (isRetryable(err) && attempt <= this.retries) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw err;
      } finally {
        client.release(broken ? (broken as Error) : undefined);
      }
    }
  }

  /**
   * One autocommit statement (or a read and one) on one pooled connection, with transact's rules: a
   * deadlock or serialization failure runs fn again, a lost connection is STORE_UNAVAILABLE. fn's
   * writing statement checks in itself that its commit is durable.
   */
  private async statement<T>(fn: (client: Client) => Promise<T>, items: (r: T) => number = () => 1): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new AppError('STORE_UNAVAILABLE', 'The store is closed');
      if (!this.state.up) throw unavailable(this.state.problem ?? 'the database server cannot be reached');
      let client: Client;
      try {
        client = await this.writes.connect();
      } catch (err) {
        // Every connection busy is not an outage (as in transact): nothing was begun.
        if (isPoolBusy(err)) throw busy();
        this.markDown(err);
        throw unavailable(connectionProblem(err));
      }
      let broken: unknown = null;
      try {
        const result = await fn(client);
        const n = result === null ? 0 : items(result);
        if (n > 0) this.onCommit?.({ kind: n > 1 ? 'group' : 'write', items: n, synchronous: 2 });
        return result;
      } catch (err) {
        if (isConnectionError(err)) {
          broken = err;
          this.markDown(err);
          throw unavailable(connectionProblem(err));
        }
        if (isRetryable(err) && attempt <= this.retries) {
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw err;
      } finally {
        client.release(broken ? (broken as Error) : undefined);
      }
    }
  }

  /** A Kysely and a runner bound to one pooled connection, for the statements of its transaction. */
  private on(client: Client): { db: DB; sql: PgRunner } {
    let o = this.onClient.get(client);
    if (!o) {
      const facade = { query: client.query.bind(client), release: () => undefined };
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => facade, end: async () => undefined } as never }) });
      o = { db, sql: new PgRunner(client) };
      this.onClient.set(client, o);
      this.sqlOfDb.set(db, o.sql);
    }
    return o;
  }

  private setHealth(h: StoreHealth): void {
    if (h.up === this.state.up && h.problem === this.state.problem) return;
    this.state = h;
    for (const l of this.healthListeners) l({ ...h });
  }

  private markDown(err: unknown): void {
    if (this.closed) return;
    this.setHealth({ up: false, problem: connectionProblem(err) });
    this.startProbe();
  }

  /** Every half second while down: one SELECT 1 on a fresh connection; up again when it answers. */
  private startProbe(): void {
    if (this.probeTimer || this.closed) return;
    this.probeTimer = setInterval(() => {
      this.writes.query('SELECT 1').then(
        () => {
          if (this.probeTimer) clearInterval(this.probeTimer);
          this.probeTimer = null;
          this.setHealth({ up: true, problem: null });
        },
        (err: unknown) => this.setHealth({ up: false, problem: connectionProblem(err) }),
      );
    }, 500);
    this.probeTimer.unref();
  }

  /**
   * A session advisory lock on a connection of its own, outside both pools, held while fn runs: fn
   * reads and writes through the pools, which may have a single connection each.
   */
  async startupLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: `${this.options.applicationName ?? 'marquee'} startup` });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('marquee.startup'))");
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('marquee.startup'))").catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.feed.close();
    await this.listener.close();
    // The reader's Kysely ends the reads pool.
    await Promise.all([this.reader.destroy(), this.writes.end()]);
  }
}

function settingOf(r: pg.QueryResult | pg.QueryResult[]): string | null {
  const last = Array.isArray(r) ? r[r.length - 1] : r;
  const s = (last?.rows[0] as { s?: unknown } | undefined)?.s;
  return typeof s === 'string' ? s : null;
}

function plain(err: unknown): string {
  if (isConnectionError(err)) return connectionProblem(err);
  const code = (err as { code?: string }).code;
  if (code === '28P01') return 'wrong user name or password';
  if (code === '28000') return 'the server does not let this user in (pg_hba.conf)';
  if (code === '3D000') return 'the database does not exist';
  return (err as Error).message ?? String(err);
}

async function migrateIfAllowed(client: Client, pool: pg.Pool, mode: 'if-empty' | 'upgrade'): Promise<void> {
  const s = await schemaState(client);
  if (s.state === 'current') return;
  if (s.state === 'empty' || (s.state === 'older' && mode === 'upgrade')) {
    const db = kyselyOn(pool);
    // Kysely's migrator takes an advisory lock and runs in one transaction: terminals starting together migrate once.
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    const after = await schemaState(client);
    if (after.state !== 'current') throw new StoreOpenError(`The shared database's schema could not be brought up to date (${after.state})`, 'schema');
    return;
  }
  throw new StoreOpenError(s.message, 'schema');
}

/**
 * Who is calling, a round trip each (named statements: parsed once per connection). `version` moves
 * with every NOTIFY 'marquee_auth' (triggers on users and api_tokens, any terminal) and with every
 * reconnect of the LISTEN link (notifications may have been missed); null while the link is down,
 * so callers are then looked up on every request.
 */
class PgAuthLookups implements AuthLookups {
  private counter = 0;
  private up = false;

  constructor(private readonly pool: pg.Pool) {}

  bump(): void {
    this.counter++;
  }

  linked(up: boolean): void {
    this.up = up;
    this.counter++;
  }

  async tokenByHash(sha256: string): Promise<TokenAuthRow | undefined> {
    return (await this.pool.query<TokenAuthRow>({ name: 'auth_token', text: 'SELECT id AS token_id, revoked_at, user_id FROM api_tokens WHERE token_sha256 = $1', values: [sha256] })).rows[0];
  }

  async user(id: number): Promise<UserAuthRow | undefined> {
    return (await this.pool.query<UserAuthRow>({ name: 'auth_user', text: 'SELECT id, username, role, seller_id, active FROM users WHERE id = $1', values: [id] })).rows[0];
  }

  async firstAdmin(): Promise<UserAuthRow | undefined> {
    return (
      await this.pool.query<UserAuthRow>({
        name: 'auth_first_admin',
        text: "SELECT id, username, role, seller_id, active FROM users WHERE role = 'admin' AND active = 1 ORDER BY id LIMIT 1",
      })
    ).rows[0];
  }

  version(): number | null {
    return this.up ? this.counter : null;
  }
}

export const openPgStore = (options: PgStoreOptions) => PgStore.open(options);
