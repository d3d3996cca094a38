import type pg from 'pg';
import { migrations } from './migrations/index.js';

export type SchemaState =
  /** No Marquee tables yet: this terminal may create them. */
  | { state: 'empty' }
  | { state: 'current'; latest: string }
  /** Migrations this build knows are missing: an older Marquee made it; upgrade it from one terminal. */
  | { state: 'older'; latest: string | null; missing: string[]; message: string }
  /** Migrations this build does not know: a newer Marquee made it; this terminal must not write. */
  | { state: 'newer'; latest: string; unknown: string[]; message: string }
  /** Tables, but not Marquee's (or another program's migrations). */
  | { state: 'foreign'; message: string };

const known = Object.keys(migrations).sort();

/** Which schema the database is at, compared with this build's migrations (names, as in SQLite). */
export async function schemaState(client: pg.Pool | pg.ClientBase): Promise<SchemaState> {
  const tables = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'kysely_migration'",
  );
  if (tables.rows[0]!.n === 0) {
    const any = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    if (any.rows[0]!.n === 0) return { state: 'empty' };
    return { state: 'foreign', message: 'The database has tables but no Marquee schema; point Marquee at an empty database or one a Marquee terminal created' };
  }
  const applied = (await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name);
  if (applied.length === 0) return { state: 'empty' };
  const unknown = applied.filter((n) => !known.includes(n));
  const latest = applied[applied.length - 1]!;
  if (unknown.length > 0) {
    return {
      state: 'newer',
      latest,
      unknown,
      message: `The shared database is at a newer schema (${latest}) than this Marquee knows (${known[known.length - 1]}); update this terminal before it sells`,
    };
  }
  const missing = known.filter((n) => !applied.includes(n));
  if (missing.length > 0) {
    return {
      state: 'older',
      latest,
      missing,
      message: `The shared database is at an older schema (${latest}); ${missing.length} migration(s) of this Marquee are missing. Stop every terminal, then upgrade it once with "marquee upgrade-store --db URL"`,
    };
  }
  return { state: 'current', latest };
}
