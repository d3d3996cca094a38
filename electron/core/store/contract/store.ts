import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { CommitInfo, SeatChange } from './shapes.js';
import type { SqlRunner } from './sql.js';
import type { TaskArgs, TaskName, TaskResult } from './tasks.js';

export type DB = Kysely<Database>;
/** A transaction (inside Store.write) or the reader: the repositories take either. */
export type Trx = DB;

export type Engine = 'sqlite' | 'postgres';

/** The rows the callers of every request are looked up from (users, api_tokens). */
export interface UserAuthRow {
  id: number;
  username: string;
  role: string;
  seller_id: number | null;
  active: number;
}

export interface TokenAuthRow {
  token_id: number;
  revoked_at: string | null;
  user_id: number;
}

/**
 * Who is calling, looked up on every API request. As hot as a sale: SQLite answers synchronously from
 * prepared statements, PostgreSQL with a round trip; the caller awaits either.
 */
export interface AuthLookups {
  tokenByHash(sha256: string): TokenAuthRow | undefined | Promise<TokenAuthRow | undefined>;
  user(id: number): UserAuthRow | undefined | Promise<UserAuthRow | undefined>;
  firstAdmin(): UserAuthRow | undefined | Promise<UserAuthRow | undefined>;
  /**
   * A number that moves whenever anything is committed that could change a lookup's answer, by any
   * process on this store; null means the engine cannot tell right now (then callers look up every
   * time). Lets the HTTP server keep callers between requests without ever serving a revoked token.
   */
  version(): number | null;
}

/** Committed seat changes, for seat maps: this process's own and (on a shared store) every other terminal's. */
export interface SeatFeed {
  /** After a COMMIT: tell every seat map following the event (on a shared store, every terminal's). */
  publish(change: SeatChange): void;
  /** After a committed sale: the sold tickets' events are looked up only if somebody could be listening. */
  publishSold(ticketIds: readonly number[]): void;
  /** Every change, or only one event's; returns the unsubscribe function. */
  subscribe(listener: (change: SeatChange) => void, eventId?: number): () => void;
  /** Hears "the feed missed changes, read the seat map again" (a shared store's notification link came back). */
  onResync(listener: () => void): () => void;
  readonly listening: boolean;
  close(): void;
}

export interface StoreHealth {
  /** False while the store cannot be reached (a shared server down): nothing is sold, writes answer STORE_UNAVAILABLE. */
  up: boolean;
  /** In plain words, why not. */
  problem: string | null;
}

/**
 * The store contract. Handlers, the HTTP server and the core host see only this: which engine runs
 * under it (embedded SQLite, or a PostgreSQL server a venue's terminals share) they never learn.
 */
export interface Store {
  readonly engine: Engine;
  /** For people: the file, or the server and database (never a password). */
  readonly location: string;
  /** Reads that never wait for writers (SQLite WAL reader; a PostgreSQL pool). */
  readonly reader: DB;
  /**
   * One write transaction: SQLite BEGIN IMMEDIATE (the database write lock first), PostgreSQL READ
   * COMMITTED with the row locks its statements take, deadlocks and serialization failures retried a
   * bounded number of times. fn may run more than once on PostgreSQL: it must keep no state outside it.
   * Resolves after a durable COMMIT (checked: synchronous=FULL / synchronous_commit=on).
   */
  write<T>(fn: (trx: DB) => Promise<T>): Promise<T>;
  /** Plain SQL on the reader, or on the transaction of a write (pass its trx). */
  sql(trx?: DB): SqlRunner;
  /** The writes that race (contract/tasks.ts), each with its audit entry in the same transaction. */
  task<K extends TaskName>(name: K, args: TaskArgs<K>): Promise<TaskResult<K>>;
  readonly auth: AuthLookups;
  readonly feed: SeatFeed;
  health(): StoreHealth;
  /** Hears every change of health (the UI's "store unavailable" banner). */
  onHealth(listener: (h: StoreHealth) => void): () => void;
  /**
   * The engine's errors in the one error shape (constraint → CONFLICT, busy → CONFLICT retryable,
   * connection lost → STORE_UNAVAILABLE); null when the error is not the store's.
   */
  describeError(err: unknown): import('../../../../shared/errors.js').AppError | null;
  /** Test and bench hook: sees every commit, with the durability level it ran under. */
  onCommit: ((info: CommitInfo) => void) | null;
  /**
   * Runs a terminal's start-up work (recovering imports, the first admin, demo data) while no other
   * terminal of this store runs its own: on a shared server, terminals started together would
   * otherwise each create the first admin.
   */
  startupLock<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
