/**
 * Plain SQL for the repositories both engines share (store/common/): `?` placeholders and SQL that
 * SQLite and PostgreSQL read alike. Each engine supplies a runner (on its reader, or inside a write on
 * that write's transaction) and the few fragments that differ (Dialect). Kysely's query builder is
 * the other shared language; this one is for the statements it would only wrap (bulk INSERT … SELECT,
 * report aggregates, keyset scans).
 */
export type Row = Record<string, unknown>;

export interface SqlRunner {
  readonly dialect: Dialect;
  all<T = Row>(sql: string, args?: readonly unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, args?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, args?: readonly unknown[]): Promise<number>;
  /** Many rows into one table: prepared once per row on SQLite, multi-row VALUES on PostgreSQL. */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
}

export interface Dialect {
  /** SQLite's index hint where its planner guesses wrong (`INDEXED BY name`); PostgreSQL's planner needs none. */
  indexedBy(index: string): string;
  /**
   * Inside the write that folds new orders into the report rollups, before it reads: no other fold
   * and no write to the orders may run until it commits, and every order id below the newest one
   * must be committed (the rollups move a watermark of ids). SQLite's single writer gives all that;
   * a shared PostgreSQL takes locks.
   */
  lockForRollups(sql: SqlRunner): Promise<void>;
}
