import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Transaction } from 'kysely';
import { GroupCommitter, type CommitInfo, type GroupCommitOptions, type GroupItem } from './group-commit.js';
import { migrationProvider } from './migrations/index.js';
import { cachingDatabase } from './statement-cache.js';
import type { Database } from '../contract/schema.js';

export type DB = Kysely<Database>;
/** Runs a named group task (services/group-tasks.ts) on a connection, inside its group's transaction. */
export type TaskRunner = (db: SQLite.Database, name: string, args: unknown) => unknown;

/** A writer connection on another thread that runs named tasks in groups (store/writer-lane.ts). */
export interface TaskLane {
  submit(name: string, args: unknown): Promise<unknown>;
  observeCommits(fn: ((info: CommitInfo) => void) | null): void;
  close(): Promise<void>;
}
export type Trx = Transaction<Database> | Kysely<Database>;

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
export class Store {
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

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.writer, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).map((r) => r.migrationName);
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

  async close(): Promise<void> {
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

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = new Store(options);
  await store.migrate();
  return store;
}
