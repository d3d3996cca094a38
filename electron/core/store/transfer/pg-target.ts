import type pg from 'pg';
import { schemaState } from '../postgres/schema-version.js';
import { quoteIdent } from './sqlite-source.js';
import { TransferError } from './transfer-error.js';

/**
 * Rows the migrations themselves insert, as a condition each such row meets: a freshly migrated
 * schema has them and nothing else, and the copy replaces them with the source's (which has the
 * same rows, moved on by its reports). A migration that seeds another table must be added here
 * (test/integration/migrate-store.test.ts checks a fresh schema against this list).
 */
export const MIGRATION_ROWS: Record<string, string> = {
  report_watermarks: "source IN ('box', 'partner') AND last_id = 0",
};

/** What the target holds: nothing (the migrations will run) or this build's schema with no rows. */
export type TargetState = 'no-schema' | 'empty-schema';

/**
 * Refuses anything but an empty database or one with this build's schema and no rows (such as one a
 * terminal created but never used, or an earlier migrate-store that was rolled back). Another
 * program's tables, another Marquee version, or any row of data: nothing is changed.
 */
export async function inspectTarget(client: pg.ClientBase, where: string): Promise<TargetState> {
  const s = await schemaState(client as pg.PoolClient);
  // As for a terminal's first start: no tables (or only the migrator's, with nothing applied).
  if (s.state === 'empty') return 'no-schema';
  if (s.state !== 'current') {
    throw new TransferError(`--to: ${where} is not empty: ${s.message}. migrate-store copies into an empty database only.`, 'refused');
  }
  const found = await rowsFound(client, await marqueeTables(client));
  if (found.length > 0) {
    throw new TransferError(
      `--to: ${where} already holds data (${found.join(', ')}). migrate-store copies into an empty database only; nothing was changed.`,
      'refused',
      found,
    );
  }
  return 'empty-schema';
}

async function marqueeTables(client: pg.ClientBase): Promise<string[]> {
  const r = await client.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely\\_%' ORDER BY table_name",
  );
  return r.rows.map((x) => x.t);
}

/** "tickets: 1200 rows" for every table with rows the migrations did not put there. */
export async function rowsFound(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const parts = tables.map((t, i) => {
    const own = MIGRATION_ROWS[t];
    return `SELECT ${i} AS i, count(*)${own ? ` FILTER (WHERE NOT (${own}))` : ''}::text AS n FROM ${quoteIdent(t)}`;
  });
  const r = await client.query<{ i: number; n: string }>(parts.join(' UNION ALL '));
  return r.rows
    .filter((x) => x.n !== '0')
    .sort((a, b) => a.i - b.i)
    .map((x) => `${tables[x.i]}: ${x.n} row${x.n === '1' ? '' : 's'}`);
}
