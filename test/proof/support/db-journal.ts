import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type { Store } from '../../../electron/core/store/contract/store.js';
import type { SqliteStore } from '../../../electron/core/store/sqlite/database.js';
import { column, exec, rows } from '../../support/db.js';

/**
 * Every committed row change of a store, counted per table: a trigger on every table bumps a counter
 * in the same transaction, so a rolled-back write leaves no trace and a committed one always does. An
 * unchanged journal proves the rows are unchanged without hashing 50,000 rows after each call.
 * checksum() is the full hash over every table's rows, for the start and the end of a run.
 * SQLite keeps the counters in TEMP (the writer's connection only); PostgreSQL in a schema of its own
 * (`fuzz`), out of the store's tables and its schema-version check.
 */
export interface DbJournal {
  readonly tables: string[];
  /** Row changes per table so far. */
  snapshot(): Promise<Map<string, number>>;
  /** sha256 over every row of every table. */
  checksum(): Promise<string>;
}

/** The tables whose rows changed between two snapshots. */
export function changedTables(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([t, n]) => before.get(t) !== n).map(([t]) => t);
}

export async function openJournal(store: Store): Promise<DbJournal> {
  return store.engine === 'sqlite' ? new SqliteJournal((store as SqliteStore).writerRaw) : PgJournal.open(store);
}

class SqliteJournal implements DbJournal {
  private readonly read: SQLite.Statement;
  readonly tables: string[];

  constructor(private readonly raw: SQLite.Database) {
    this.tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    raw.exec('CREATE TEMP TABLE IF NOT EXISTS fuzz_journal (name TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    const ins = raw.prepare('INSERT OR IGNORE INTO temp.fuzz_journal (name, n) VALUES (?, 0)');
    for (const t of this.tables) {
      ins.run(t);
      for (const ev of ['INSERT', 'UPDATE', 'DELETE']) {
        const quoted = t.replaceAll("'", "''");
        raw.exec(
          `CREATE TEMP TRIGGER IF NOT EXISTS "fuzz_${t}_${ev}" AFTER ${ev} ON main."${t}" BEGIN UPDATE temp.fuzz_journal SET n = n + 1 WHERE name = '${quoted}'; END`,
        );
      }
    }
    this.read = raw.prepare('SELECT name, n FROM temp.fuzz_journal');
  }

  snapshot(): Promise<Map<string, number>> {
    return Promise.resolve(new Map((this.read.all() as { name: string; n: number }[]).map((r) => [r.name, r.n])));
  }

  checksum(): Promise<string> {
    const h = createHash('sha256');
    for (const t of this.tables) {
      h.update(`\u0001${t}\u0001`);
      const withoutRowid = /WITHOUT ROWID/i.test(String(this.raw.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(t)));
      const all = this.raw.prepare(`SELECT * FROM main."${t}"${withoutRowid ? '' : ' ORDER BY rowid'}`).raw().iterate();
      for (const r of all) h.update(JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v)));
    }
    return Promise.resolve(h.digest('hex'));
  }
}

class PgJournal implements DbJournal {
  private constructor(
    private readonly store: Store,
    readonly tables: string[],
  ) {}

  static async open(store: Store): Promise<PgJournal> {
    const tables = await column<string>(
      store,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    await exec(store, 'CREATE SCHEMA IF NOT EXISTS fuzz');
    await exec(store, 'CREATE TABLE IF NOT EXISTS fuzz.journal (name text PRIMARY KEY, n bigint NOT NULL DEFAULT 0)');
    await exec(
      store,
      `CREATE OR REPLACE FUNCTION fuzz.bump() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN UPDATE fuzz.journal SET n = n + 1 WHERE name = TG_TABLE_NAME; RETURN NULL; END $$`,
    );
    for (const t of tables) {
      await exec(store, 'INSERT INTO fuzz.journal (name) VALUES (?) ON CONFLICT DO NOTHING', [t]);
      await exec(store, `CREATE OR REPLACE TRIGGER fuzz_journal AFTER INSERT OR UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION fuzz.bump()`);
    }
    return new PgJournal(store, tables);
  }

  async snapshot(): Promise<Map<string, number>> {
    return new Map((await rows<{ name: string; n: number }>(this.store, 'SELECT name, n FROM fuzz.journal')).map((r) => [r.name, Number(r.n)]));
  }

  async checksum(): Promise<string> {
    const h = createHash('sha256');
    for (const t of this.tables) {
      h.update(`\u0001${t}\u0001`);
      // Row text in a fixed order: a table's rows hash the same however PostgreSQL stored them.
      const [r] = await rows<{ md5: string | null }>(this.store, `SELECT md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS md5 FROM "${t}" x`);
      h.update(r?.md5 ?? '');
    }
    return h.digest('hex');
  }
}
