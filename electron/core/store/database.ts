import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type Transaction } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type DB = Kysely<Database>;
export type Trx = Transaction<Database> | Kysely<Database>;

export interface StoreOptions {
  /** File path, or ':memory:' for tests (then reads share the writer connection). */
  file: string;
  /** FULL by default: an acknowledged sale must survive a power cut (see README). */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The store owns two connections: one writer (every write in BEGIN IMMEDIATE, serialized here)
 * and one reader that never waits for writes thanks to WAL.
 */
export class Store {
  readonly writerRaw: SQLite.Database;
  readonly readerRaw: SQLite.Database;
  readonly writer: DB;
  readonly reader: DB;
  private writeChain: Promise<unknown> = Promise.resolve();

  constructor(readonly options: StoreOptions) {
    const memory = options.file === ':memory:';
    if (!memory) mkdirSync(dirname(options.file), { recursive: true });
    this.writerRaw = new SQLite(options.file);
    configure(this.writerRaw, options.synchronous ?? 'FULL', memory);
    this.readerRaw = memory ? this.writerRaw : new SQLite(options.file);
    if (!memory) configure(this.readerRaw, 'NORMAL', false);
    this.writer = new Kysely<Database>({ dialect: new SqliteDialect({ database: this.writerRaw }) });
    this.reader = memory ? this.writer : new Kysely<Database>({ dialect: new SqliteDialect({ database: this.readerRaw }) });
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
        await sql`COMMIT`.execute(this.writer);
        return result;
      } catch (err) {
        if (this.writerRaw.inTransaction) await sql`ROLLBACK`.execute(this.writer);
        throw err;
      }
    };
    const next = this.writeChain.then(run, run);
    this.writeChain = next.catch(() => undefined);
    return next;
  }

  /** The same guarantees for synchronous better-sqlite3 code (bulk imports, hot paths). */
  writeSync<T>(fn: (raw: SQLite.Database) => T): Promise<T> {
    return this.write(async () => fn(this.writerRaw));
  }

  async close(): Promise<void> {
    await this.writeChain;
    await this.writer.destroy();
    if (this.reader !== this.writer) await this.reader.destroy();
  }
}

function configure(db: SQLite.Database, synchronous: 'FULL' | 'NORMAL', memory: boolean): void {
  if (!memory) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${synchronous}`);
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = new Store(options);
  await store.migrate();
  return store;
}
