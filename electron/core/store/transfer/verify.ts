import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { encodeRow } from './copy-text.js';
import type { TargetTable } from './pg-catalog.js';
import { quoteIdent, type SqliteSource } from './sqlite-source.js';

/** What is compared per table: row count, the sum of every integer column, a checksum of the rows. */
export interface TableFacts {
  rows: string;
  sums: Record<string, string | null>;
  /** sha256 of the rows in primary-key order, as COPY text, float columns left out; null without a key. */
  checksum: string | null;
}

const integerColumns = (t: TargetTable) => t.columns.filter((c) => c.kind === 'integer').map((c) => c.name);
// Floats are left out: the two engines print them differently (1e-05 and 0.00001), while both keep
// the same double. Every other value prints the same in both.
const hashedColumns = (t: TargetTable) => t.columns.filter((c) => c.kind !== 'float');

export function sourceFacts(source: SqliteSource, t: TargetTable): TableFacts {
  const ints = integerColumns(t);
  const agg = ['count(*)', ...ints.map((c) => `sum(${quoteIdent(c)})`)].join(', ');
  // Safe integers: a sum past 2^53 stays exact (and SQLite reports an overflow past 2^63 rather than rounding).
  const r = source.db.prepare(`SELECT ${agg} FROM ${quoteIdent(t.name)}`).raw(true).get() as (bigint | null)[];
  const sums: Record<string, string | null> = {};
  ints.forEach((c, i) => (sums[c] = r[i + 1] === null ? null : String(r[i + 1])));
  let checksum: string | null = null;
  if (t.primaryKey.length > 0) {
    const cols = hashedColumns(t);
    const names = cols.map((c) => c.name);
    const kinds = cols.map((c) => c.kind);
    const hash = createHash('sha256');
    const order = t.primaryKey.map((k) => `${quoteIdent(k)} COLLATE BINARY`).join(', ');
    const select = source.db.prepare(`SELECT ${names.map(quoteIdent).join(', ')} FROM ${quoteIdent(t.name)} ORDER BY ${order}`).raw(true);
    for (const row of select.iterate() as IterableIterator<unknown[]>) hash.update(encodeRow(row, kinds, names, t.name));
    checksum = hash.digest('hex');
  }
  return { rows: String(r[0]), sums, checksum };
}

export async function targetFacts(client: pg.ClientBase, t: TargetTable): Promise<TableFacts> {
  const ints = integerColumns(t);
  const agg = ['count(*)::text AS n', ...ints.map((c, i) => `sum(${quoteIdent(c)})::text AS s${i}`)].join(', ');
  const r = (await client.query<Record<string, string | null>>(`SELECT ${agg} FROM ${quoteIdent(t.name)}`)).rows[0]!;
  const sums: Record<string, string | null> = {};
  ints.forEach((c, i) => (sums[c] = r[`s${i}`] ?? null));
  let checksum: string | null = null;
  if (t.primaryKey.length > 0) {
    const names = hashedColumns(t).map((c) => quoteIdent(c.name));
    // COLLATE "C" is byte order, SQLite's BINARY, whatever the database's own collation.
    const order = t.primaryKey.map((k) => (t.columns.find((c) => c.name === k)?.kind === 'text' ? `${quoteIdent(k)} COLLATE "C"` : quoteIdent(k))).join(', ');
    const hash = createHash('sha256');
    await pipeline(
      client.query(copyTo(`COPY (SELECT ${names.join(', ')} FROM ${quoteIdent(t.name)} ORDER BY ${order}) TO STDOUT`)),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done();
        },
      }),
    );
    checksum = hash.digest('hex');
  }
  return { rows: r.n!, sums, checksum };
}

/** One line per difference, in words; empty when the copy is exact. */
export function differences(table: string, source: TableFacts, target: TableFacts): string[] {
  const out: string[] = [];
  if (source.rows !== target.rows) out.push(`${table}: ${source.rows} rows in the source, ${target.rows} in the target`);
  for (const [col, s] of Object.entries(source.sums)) {
    if (s !== target.sums[col]) out.push(`${table}.${col}: sum ${s ?? 'NULL'} in the source, ${target.sums[col] ?? 'NULL'} in the target`);
  }
  if (source.checksum !== target.checksum) {
    out.push(`${table}: row checksum ${source.checksum?.slice(0, 12) ?? 'none'}… in the source, ${target.checksum?.slice(0, 12) ?? 'none'}… in the target`);
  }
  return out;
}
