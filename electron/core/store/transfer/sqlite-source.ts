import { existsSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { migrations } from '../sqlite/migrations/index.js';
import { TransferError } from './transfer-error.js';

export interface SqliteSource {
  readonly file: string;
  readonly db: SQLite.Database;
  /** Marquee's tables (not SQLite's own nor the migrator's), each with its column names. */
  readonly tables: Map<string, string[]>;
  /** A -wal file was there when we opened it: a terminal may still have the store open. */
  readonly walPresent: boolean;
  close(): void;
}

/** The migrator's bookkeeping: each engine keeps its own, made by its own migrations. */
export const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * Opens the embedded store read-only, in one read transaction: every table is copied and counted
 * from the same snapshot even if something still writes to the file. Refuses a file that is not a
 * Marquee store or is at another schema than this build's (its migrations are the SQLite twins of
 * the PostgreSQL ones the target gets, so only the same version copies column for column).
 */
export function openSqliteSource(file: string): SqliteSource {
  if (!existsSync(file) || !statSync(file).isFile()) throw new TransferError(`--from: there is no SQLite store at ${file}`, 'usage');
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new TransferError(`--from: cannot open ${file}: ${(e as Error).message}`, 'usage');
  }
  try {
    db.exec('BEGIN');
    checkSchema(db, file);
    db.defaultSafeIntegers(true);
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .pluck()
      .safeIntegers(false)
      .all() as string[];
    const tables = new Map<string, string[]>();
    for (const name of names) {
      if (MIGRATOR_TABLES.has(name)) continue;
      const cols = db.prepare(`PRAGMA table_info(${quoteIdent(name)})`).safeIntegers(false).all() as { name: string }[];
      tables.set(name, cols.map((c) => c.name));
    }
    return {
      file,
      db,
      tables,
      walPresent: existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0,
      close: () => {
        if (db.inTransaction) db.exec('COMMIT');
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

function checkSchema(db: SQLite.Database, file: string): void {
  let hasVersion: number;
  try {
    hasVersion = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'kysely_migration'").pluck().get() as number;
  } catch (e) {
    throw new TransferError(`--from: ${file} is not a SQLite database (${(e as Error).message})`, 'usage');
  }
  if (hasVersion === 0) throw new TransferError(`--from: ${file} is not a Marquee store (it has no schema version)`, 'refused');
  const applied = db.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[];
  const known = Object.keys(migrations).sort();
  const latest = applied[applied.length - 1] ?? 'none';
  const unknown = applied.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new TransferError(
      `--from: ${file} was last opened by a newer Marquee (schema ${latest}; this one knows up to ${known[known.length - 1]}). Run migrate-store with that version or a newer one.`,
      'refused',
      unknown.map((n) => `unknown migration ${n}`),
    );
  }
  const missing = known.filter((n) => !applied.includes(n));
  if (missing.length > 0) {
    throw new TransferError(
      `--from: ${file} is at an older schema (${latest}). Open it once with this version of Marquee first (e.g. marquee serve --db sqlite:${file}, then stop it): it upgrades itself; then migrate.`,
      'refused',
      missing.map((n) => `missing migration ${n}`),
    );
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
