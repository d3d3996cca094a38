import { Migrator } from 'kysely';
import type pg from 'pg';
import { createPool, describeUrl, isPostgresUrl, kyselyOn } from '../postgres/connect.js';
import { migrationProvider } from '../postgres/migrations/index.js';
import { copyTable } from './copy-table.js';
import { targetForeignKeys, targetTables, type TargetTable } from './pg-catalog.js';
import { inspectTarget, MIGRATION_ROWS, rowsFound } from './pg-target.js';
import { openSqliteSource, quoteIdent, type SqliteSource } from './sqlite-source.js';
import { foreignKeyOrder } from './table-order.js';
import { TransferError } from './transfer-error.js';
import { differences, sourceFacts, targetFacts } from './verify.js';

export interface MigrateStoreOptions {
  /** sqlite:PATH of the embedded store. */
  from: string;
  /** postgres://USER:PASSWORD@HOST:PORT/DATABASE of an empty database. */
  to: string;
  /** How long to wait for another session's lock on the target before giving up; default 10 s. */
  lockTimeoutMs?: number;
  onTable?: (table: string, rows: number) => void;
  /** Tests only: runs inside the transaction after the copy, before it is verified. */
  beforeVerify?: (client: pg.ClientBase) => Promise<void>;
}

export interface MigrateStoreSummary {
  source: string;
  /** Where it went, without the password. */
  target: string;
  tables: { name: string; rows: number }[];
  rows: number;
  /** Integer columns whose sums were compared, tables whose rows were checksummed. */
  sumsChecked: number;
  checksummed: number;
  auditEntries: number;
  /** The target had no schema and got this build's migrations first. */
  migrated: boolean;
  /** The source had a -wal file: a terminal may still have had it open (the copy is of one snapshot). */
  sourceWasOpen: boolean;
  ms: number;
}

/** Parses the two locations; a usage error says what was expected. */
export function transferEnds(from: string | undefined, to: string | undefined): { file: string; url: string } {
  if (!from || !from.startsWith('sqlite:') || from.length === 'sqlite:'.length) {
    throw new TransferError('--from wants sqlite:PATH, the embedded store file (e.g. sqlite:/path/to/marquee.sqlite)', 'usage');
  }
  if (!to || !isPostgresUrl(to)) throw new TransferError('--to wants postgres://USER:PASSWORD@HOST:PORT/DATABASE, an empty database', 'usage');
  return { file: from.slice('sqlite:'.length), url: to };
}

/**
 * Copies an embedded store into an empty PostgreSQL database (issue 15): this build's schema first,
 * then every table in one transaction, parents first, ids kept, identities moved past them; before
 * COMMIT every table's row count, integer sums and row checksum are compared with the source's, and
 * any difference rolls it all back. Nothing is written to the source, which is opened read-only.
 */
export async function migrateStore(o: MigrateStoreOptions): Promise<MigrateStoreSummary> {
  const started = Date.now();
  const { file, url } = transferEnds(o.from, o.to);
  const where = describeUrl(url);
  const source = openSqliteSource(file);
  const pool = createPool(url, { max: 2, applicationName: 'marquee migrate-store' });
  try {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw new TransferError(`Cannot reach the PostgreSQL database at ${where}: ${(e as Error).message}`, 'failed');
    }
    try {
      const state = await inspectTarget(client, where);
      if (state === 'no-schema') {
        // Committed on its own: a copy that fails later leaves an empty schema, which a new run accepts.
        const { error } = await new Migrator({ db: kyselyOn(pool), provider: migrationProvider }).migrateToLatest();
        if (error) throw new TransferError(`Creating the schema in ${where} failed: ${(error as Error).message ?? String(error)}`, 'failed');
      }
      const copied = await copyAll(client, source, where, o);
      return { ...copied, source: file, target: where, migrated: state === 'no-schema', sourceWasOpen: source.walPresent, ms: Date.now() - started };
    } finally {
      client.release();
    }
  } finally {
    source.close();
    await pool.end().catch(() => undefined);
  }
}

async function copyAll(client: pg.PoolClient, source: SqliteSource, where: string, o: MigrateStoreOptions) {
  const tables = await targetTables(client);
  checkSameTables(source, tables);
  const order = foreignKeyOrder(tables.keys(), await targetForeignKeys(client));
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(o.lockTimeoutMs ?? 10_000))}`);
    // A role's statement_timeout is meant for terminals, not for one COPY of a venue's whole history;
    // and the COMMIT is acknowledged only once durable, as every terminal's are (pg-store.ts).
    await client.query("SET LOCAL statement_timeout = 0; SET LOCAL synchronous_commit = 'on'");
    // No terminal may read or write the half-copied tables; one already connected makes this wait, then give up.
    try {
      await client.query(`LOCK TABLE ${order.map(quoteIdent).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    } catch (e) {
      throw new TransferError(`${where} is in use (${(e as Error).message}); stop every terminal and try again`, 'failed');
    }
    // Checked again under the locks: something may have written between the first look and now.
    const found = await rowsFound(client, order);
    if (found.length > 0) throw new TransferError(`--to: ${where} already holds data (${found.join(', ')}); nothing was changed.`, 'refused', found);
    for (const t of Object.keys(MIGRATION_ROWS)) if (tables.has(t)) await client.query(`DELETE FROM ${quoteIdent(t)}`);

    // Foreign keys stay checked and the insert triggers fire (identity_past_max, the auth NOTIFY):
    // none changes a copied row, so no session_replication_role (which needs a superuser) is wanted.
    const copied: { name: string; rows: number }[] = [];
    for (const name of order) {
      const rows = await copyTable(client, source, tables.get(name)!);
      copied.push({ name, rows });
      o.onTable?.(name, rows);
    }
    await moveIdentities(client, [...tables.values()]);
    await o.beforeVerify?.(client);

    const diffs: string[] = [];
    let sumsChecked = 0;
    let checksummed = 0;
    for (const name of order) {
      const t = tables.get(name)!;
      const s = sourceFacts(source, t);
      const d = await targetFacts(client, t);
      sumsChecked += Object.keys(s.sums).length;
      if (s.checksum !== null) checksummed++;
      diffs.push(...differences(name, s, d));
    }
    if (diffs.length > 0) throw new TransferError(`The copy in ${where} does not match the source; it was rolled back:\n  ${diffs.join('\n  ')}`, 'mismatch', diffs);
    await client.query('COMMIT');
    return {
      tables: copied,
      rows: copied.reduce((n, t) => n + t.rows, 0),
      sumsChecked,
      checksummed,
      auditEntries: copied.find((t) => t.name === 'audit_log')?.rows ?? 0,
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** The same version on both sides means the same tables and columns; say so if not, rather than drop data. */
function checkSameTables(source: SqliteSource, tables: Map<string, TargetTable>): void {
  const problems: string[] = [];
  for (const [name, cols] of source.tables) {
    const t = tables.get(name);
    if (!t) {
      problems.push(`table ${name} is not in the target`);
      continue;
    }
    const target = new Set(t.columns.map((c) => c.name));
    for (const c of cols) if (!target.has(c)) problems.push(`${name}.${c} is not in the target`);
    for (const c of target) if (!cols.includes(c)) problems.push(`${name}.${c} is not in the source`);
  }
  for (const name of tables.keys()) if (!source.tables.has(name)) problems.push(`table ${name} is not in the source`);
  if (problems.length > 0) throw new TransferError(`The two schemas differ; nothing was copied:\n  ${problems.join('\n  ')}`, 'failed', problems);
}

/** Each identity's next value comes after the largest copied id (setval with is_called: nextval gives max + 1). */
async function moveIdentities(client: pg.ClientBase, tables: TargetTable[]): Promise<void> {
  for (const t of tables) {
    for (const c of t.columns.filter((x) => x.identity)) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(${quoteIdent(c.name)}) AS m FROM ${quoteIdent(t.name)}) x WHERE m IS NOT NULL`,
        [quoteIdent(t.name), c.name],
      );
    }
  }
}
