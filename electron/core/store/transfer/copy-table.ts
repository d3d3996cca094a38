import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeRow } from './copy-text.js';
import type { TargetTable } from './pg-catalog.js';
import { quoteIdent, type SqliteSource } from './sqlite-source.js';
import { TransferError } from './transfer-error.js';

const CHUNK = 64 * 1024;

/** Streams one table from the source snapshot into COPY … FROM STDIN, in the target's column order. */
export async function copyTable(client: pg.ClientBase, source: SqliteSource, table: TargetTable): Promise<number> {
  const cols = table.columns.map((c) => c.name);
  const kinds = table.columns.map((c) => c.kind);
  const list = cols.map(quoteIdent).join(', ');
  const select = source.db.prepare(`SELECT ${list} FROM ${quoteIdent(table.name)}`).raw(true);
  let rows = 0;
  function* chunks(): Generator<string> {
    let buf = '';
    for (const row of select.iterate() as IterableIterator<unknown[]>) {
      buf += encodeRow(row, kinds, cols, table.name);
      rows++;
      // Yielding hands the chunk to the socket; the generator resumes when COPY wants more (back-pressure).
      if (buf.length >= CHUNK) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  const sink = client.query(copyFrom(`COPY ${quoteIdent(table.name)} (${list}) FROM STDIN`));
  try {
    await pipeline(Readable.from(chunks(), { objectMode: false }), sink);
  } catch (e) {
    if (e instanceof TransferError) throw e;
    throw new TransferError(`copying ${table.name} failed: ${(e as Error).message}`, 'failed');
  }
  return rows;
}
