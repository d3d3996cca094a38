import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { AppError } from '../../../../shared/errors.js';
import { soldChanges } from '../common/seating-repo.js';
import { constraintConflict, type ConstraintRule } from '../contract/constraint-conflict.js';
import { holdClock } from '../contract/hold-clock.js';
import { LocalSeatFeed } from '../common/seat-feed.js';
import type { Database } from '../contract/schema.js';
import type { CommitInfo } from '../contract/shapes.js';
import type { AuthLookups, DB, SeatFeed, Store as StoreContract, StoreHealth } from '../contract/store.js';
import type { SqlRunner } from '../contract/sql.js';
import type { TaskArgs, TaskName, TaskResult } from '../contract/tasks.js';
import { firstActiveAdminForAuth, tokenByHash, userForAuth } from './auth-statements.js';
import { GroupCommitter, type GroupCommitOptions, type GroupItem } from './group-commit.js';
import { migrateAtomically } from './migrate.js';
import { anyLapsed } from './seating-writes.js';
import { SqliteRunner } from './sql-runner.js';
import { cachingDatabase } from './statement-cache.js';
import { GROUPED_TASKS, runTask } from './tasks.js';

// The extended result codes better-sqlite3 reports; TRIGGER is the audit log's append-only RAISE(ABORT).
const SQLITE_RULES: Record<string, ConstraintRule> = {
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
  SQLITE_CONSTRAINT_TRIGGER: 'append_only',
};

export type { DB, Trx } from '../contract/store.js';
/** Runs a named task (tasks.ts) on a connection, inside its group's transaction. */
export type TaskRunner = (db: SQLite.Database, name: string, args: unknown) => unknown;

/** A writer connection on another thread that runs named tasks in groups (store/writer-lane.ts). */
export interface TaskLane {
  submit(name: string, args: unknown): Promise<unknown>;
  observeCommits(fn: ((info: CommitInfo) => void) | null): void;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** File path, or ':memory:' for tests (then reads share the writer connection). */
  file: string;
  /** FULL by default: an acknowledged sale must survive a power cut (see README). */
  synchronous?: 'FULL' | 'NORMAL';
  /** Tuning of the group-commit write path (writeGrouped). */
  groupCommit?: Omit<GroupCommitOptions, 'requiredSynchronous'>;
}

const SYNCHRONOUS_LEVEL = { NORMAL: 1, FULL: 2 } as const;

/**
 * The store owns two connections: one writer (every write in BEGIN IMMEDIATE, serialized here)
 * and one reader that never waits for writes thanks to WAL.
 *
 * Two write paths share the writer: `write(fn)` (one async Kysely transaction per call, for the
 * ordinary writers) and `writeGrouped(fn)` (synchronous items group-committed, for the hot paths:
 * many concurrent sales share one transaction and one fsync; see group-commit.ts). They never
 * interleave: a group waits for the async transactions queued before it, and a group runs from
 * BEGIN to COMMIT without yielding.
 */
export class SqliteStore implements StoreContract {
  readonly engine = 'sqlite' as const;
  readonly writerRaw: SQLite.Database;
  readonly readerRaw: SQLite.Database;
  readonly writer: DB;
  readonly reader: DB;
  readonly group: GroupCommitter;
  private writeChain: Promise<unknown> = Promise.resolve();
  /** async write() calls queued or running; 0 means the writer is free for a group right now. */
  private asyncWrites = 0;
  private readonly requiredSynchronous: number;
  private readonly synchronousStmt: SQLite.Statement;
  private readonly readerSql: SqliteRunner;
  private readonly writerSql: SqliteRunner;
  readonly auth: AuthLookups;
  readonly feed: SeatFeed;

  constructor(readonly options: StoreOptions) {
    const memory = options.file === ':memory:';
    if (!memory) mkdirSync(dirname(options.file), { recursive: true });
    this.writerRaw = new SQLite(options.file);
    configure(this.writerRaw, options.synchronous ?? 'FULL', memory, 'writer');
    this.readerRaw = memory ? this.writerRaw : new SQLite(options.file);
    if (!memory) configure(this.readerRaw, 'NORMAL', false, 'reader');
    this.writer = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(this.writerRaw) }) });
    this.reader = memory ? this.writer : new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(this.readerRaw) }) });
    this.requiredSynchronous = SYNCHRONOUS_LEVEL[options.synchronous ?? 'FULL'];
    this.synchronousStmt = this.writerRaw.prepare('PRAGMA synchronous').pluck();
    this.group = new GroupCommitter(this.writerRaw, (flush) => this.exclusive(flush), {
      ...options.groupCommit,
      requiredSynchronous: this.requiredSynchronous,
    });
    this.writerSql = new SqliteRunner(this.writerRaw);
    this.readerSql = memory ? this.writerSql : new SqliteRunner(this.readerRaw);
    this.auth = new SqliteAuthLookups(this.readerRaw, memory);
    this.feed = new LocalSeatFeed({
      // A cheap read first: a write transaction only when something lapsed.
      sweep: async () => (anyLapsed(this.readerRaw, new Date(holdNow()).toISOString()) ? this.task('sweepHolds', { now: new Date(holdNow()).toISOString() }) : []),
      eventsOfTickets: (ids) => soldChanges(this.readerSql, ids),
    });
  }

  get location(): string {
    return this.options.file;
  }

  sql(trx?: DB): SqlRunner {
    return trx === this.writer ? this.writerSql : this.readerSql;
  }

  /** The racing writes: group-committed (on the writer lane when one is attached); the sweep in a write of its own. */
  task<K extends TaskName>(name: K, args: TaskArgs<K>): Promise<TaskResult<K>> {
    if (GROUPED_TASKS.has(name)) return this.writeTask(name, args, runTask) as Promise<TaskResult<K>>;
    return this.writeSync((db) => runTask(db, name, args)) as Promise<TaskResult<K>>;
  }

  /** One file on this machine: nothing to lose a connection to. */
  health(): StoreHealth {
    return { up: true, problem: null };
  }

  onHealth(): () => void {
    return () => undefined;
  }

  describeError(err: unknown): AppError | null {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') return null;
    if (code.startsWith('SQLITE_CONSTRAINT')) return constraintConflict(SQLITE_RULES[code] ?? 'other');
    if (code === 'SQLITE_BUSY') return new AppError('CONFLICT', 'The database is busy; try again', { retryable: true });
    return null;
  }

  /**
   * Group-committed write for hot paths: fn runs synchronously on the writer inside a shared
   * transaction (its own SAVEPOINT); the promise settles after the group's COMMIT, so a resolved
   * result is durable under the store's synchronous level. fn must not await.
   */
  writeGrouped<T>(fn: GroupItem<T>): Promise<T> {
    return this.group.submit(fn);
  }

  /**
   * The hot writes as named tasks: on the writer lane's thread when one is attached (the HTTP or IPC
   * thread keeps serving while a group commits and fsyncs), else as a group item on this thread.
   * Either way the promise settles after the group's durable COMMIT.
   */
  writeTask(name: string, args: unknown, runHere: TaskRunner): Promise<unknown> {
    if (this.lane) return this.lane.submit(name, args);
    return this.writeGrouped((db) => runHere(db, name, args));
  }

  /** The writer lane, if attached (services/group-lane.ts). Its writer is a second connection: SQLite's lock orders the two. */
  get lane(): TaskLane | null {
    return this.taskLane;
  }

  attachLane(lane: TaskLane): void {
    if (this.options.file === ':memory:') throw new Error('an in-memory store cannot share its database with a writer lane');
    this.taskLane = lane;
    lane.observeCommits(this.commitObserver);
  }

  /** The lane failed (its thread died): later tasks run on this thread again. */
  detachLane(lane: TaskLane): void {
    if (this.taskLane === lane) this.taskLane = null;
  }

  private taskLane: TaskLane | null = null;

  /** Test and bench hook: sees every commit of every write path (the lane's after the fact, in order). */
  set onCommit(fn: ((info: CommitInfo) => void) | null) {
    this.commitObserver = fn;
    this.group.onCommit = fn;
    this.taskLane?.observeCommits(fn);
  }

  get onCommit(): ((info: CommitInfo) => void) | null {
    return this.commitObserver;
  }

  private commitObserver: ((info: CommitInfo) => void) | null = null;

  private exclusive(flush: () => void): void {
    if (this.asyncWrites === 0 && !this.writerRaw.inTransaction) flush();
    else this.writeChain = this.writeChain.then(flush, flush);
  }

  /** The same pre-COMMIT check the group path makes: never acknowledge a commit weaker than configured. */
  private checkDurability(): void {
    const synchronous = this.synchronousStmt.get() as number;
    if (synchronous !== this.requiredSynchronous) {
      throw new Error(`refusing to commit: PRAGMA synchronous is ${synchronous}, the store requires ${this.requiredSynchronous}`);
    }
    this.commitObserver?.({ kind: 'write', items: 1, synchronous });
  }

  /** Each migration commits whole, with its kysely_migration row, or not at all (see migrate.ts). */
  async migrate(): Promise<string[]> {
    return migrateAtomically(this.writerRaw);
  }

  /**
   * Runs fn in BEGIN IMMEDIATE on the writer. Writes are chained so that two async writers in this
   * process never interleave statements on the one connection; BEGIN IMMEDIATE takes the database
   * write lock up front so another process (or terminal) waits on busy_timeout instead of failing
   * half-way.
   */
  write<T>(fn: (trx: DB) => Promise<T>): Promise<T> {
    const run = async () => {
      await sql`BEGIN IMMEDIATE`.execute(this.writer);
      try {
        const result = await fn(this.writer);
        this.checkDurability();
        await sql`COMMIT`.execute(this.writer);
        return result;
      } catch (err) {
        if (this.writerRaw.inTransaction) await sql`ROLLBACK`.execute(this.writer);
        throw err;
      }
    };
    this.asyncWrites++;
    const next = this.writeChain.then(run, run);
    const done = () => {
      this.asyncWrites--;
    };
    this.writeChain = next.then(done, done);
    return next;
  }

  /** The same guarantees for synchronous better-sqlite3 code (bulk imports, hot paths). */
  writeSync<T>(fn: (raw: SQLite.Database) => T): Promise<T> {
    return this.write(async () => fn(this.writerRaw));
  }

  /** One file, one process at a time doing its start-up: BEGIN IMMEDIATE orders the writes inside. */
  startupLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async close(): Promise<void> {
    this.feed.close();
    const lane = this.taskLane;
    this.taskLane = null;
    await lane?.close();
    await this.writeChain;
    this.group.drain();
    await this.writeChain;
    await this.writer.destroy();
    if (this.reader !== this.writer) await this.reader.destroy();
  }
}

/** Pragmas of every connection to a store file; the writer lane's connection is configured as 'writer'. */
export function configure(db: SQLite.Database, synchronous: 'FULL' | 'NORMAL', memory: boolean, role: 'writer' | 'reader'): void {
  if (!memory) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${synchronous}`);
  // Group commit runs every sale in a SAVEPOINT; SQLite copies each page a savepoint first touches into
  // a statement journal, which by default is a temp file. In memory it costs a memcpy, not a write().
  db.pragma('temp_store = MEMORY');
  // A sell rush touches many index pages (order codes, audit subjects, tickets by event and status);
  // with SQLite's 2 MB default they fall out of cache once a store holds a few hundred thousand orders.
  if (role === 'writer') db.pragma('cache_size = -32768');
  // The committing connection runs the WAL checkpoints. At SQLite's default (every 1,000 pages) a
  // sell rush copies the same hot index pages (orders by time, audit log, payments) back to the
  // database file over and over; every 10,000 pages (about 40 MB of log) each is copied once per
  // checkpoint. Measured in the bench's item loop: about a fifth more sales per second of writer CPU.
  if (role === 'writer' && !memory) db.pragma('wal_autocheckpoint = 10000');
}

/**
 * Who is calling, by prepared statement on the reader. `version` is PRAGMA data_version, which moves
 * with every commit of any other connection (this process's writer, the writer lane, another
 * process), read once per turn of the event loop: a rush brings tens of requests per turn, and the
 * PRAGMA (a WAL read lock) was the serving thread's costliest statement. A request sent after a
 * revocation was acknowledged is read from its socket in a later turn than the one that read
 * data_version, so it still sees the change. An in-memory store's reader is its writer, whose own
 * commits do not move data_version: there callers are looked up every time.
 */
class SqliteAuthLookups implements AuthLookups {
  private readonly dataVersion: SQLite.Statement | null;
  private seen = 0;
  private checkedThisTurn = false;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };

  constructor(
    private readonly db: SQLite.Database,
    memory: boolean,
  ) {
    this.dataVersion = memory ? null : db.prepare('PRAGMA data_version').pluck();
  }

  tokenByHash(sha256: string) {
    return tokenByHash(this.db, sha256);
  }

  user(id: number) {
    return userForAuth(this.db, id);
  }

  firstAdmin() {
    return firstActiveAdminForAuth(this.db);
  }

  version(): number | null {
    if (!this.dataVersion) return null;
    if (!this.checkedThisTurn) {
      this.checkedThisTurn = true;
      setImmediate(this.endTurn);
      this.seen = this.dataVersion.get() as number;
    }
    return this.seen;
  }
}

const holdNow = () => holdClock.now();

export async function openStore(options: StoreOptions): Promise<SqliteStore> {
  const store = new SqliteStore(options);
  await store.migrate();
  return store;
}
