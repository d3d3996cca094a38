import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';

/**
 * Every committed row change of an SQLite store, counted per table. TEMP triggers on every table bump a
 * TEMP counter in the same transaction, so a rolled-back write leaves no trace and a committed one always
 * does: an unchanged journal proves the rows are unchanged, without hashing 50 000 rows after each call.
 * checksum() is the full hash over every table's rows, for the start and the end of a run.
 */
export class DbJournal {
  private readonly read: SQLite.Statement;
  readonly tables: string[];

  constructor(private readonly raw: SQLite.Database) {
    this.tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
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

  /** Row changes per table so far. */
  snapshot(): Map<string, number> {
    return new Map((this.read.all() as { name: string; n: number }[]).map((r) => [r.name, r.n]));
  }

  /** The tables whose rows changed between two snapshots. */
  static changed(before: Map<string, number>, after: Map<string, number>): string[] {
    return [...after].filter(([t, n]) => before.get(t) !== n).map(([t]) => t);
  }

  /** sha256 over every row of every table, in rowid order. */
  checksum(): string {
    const h = createHash('sha256');
    for (const t of this.tables) {
      h.update(`\u0001${t}\u0001`);
      const withoutRowid = /WITHOUT ROWID/i.test(String(this.raw.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(t)));
      const rows = this.raw.prepare(`SELECT * FROM main."${t}"${withoutRowid ? '' : ' ORDER BY rowid'}`).raw().iterate();
      for (const r of rows) h.update(JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v)));
    }
    return h.digest('hex');
  }
}
