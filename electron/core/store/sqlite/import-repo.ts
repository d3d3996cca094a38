// SQL of the import pipeline. Raw better-sqlite3 on purpose: bulk paths need prepared statements
// and INSERT … SELECT, which Kysely would only wrap. Everything here runs inside a caller's transaction.
import type SQLite from 'better-sqlite3';
import type { ImportBatch } from '../../../../shared/schemas/import.js';
import type { ValidRow } from '../../import/listing-rules.js';

type Raw = SQLite.Database;

export interface BatchRow {
  id: number;
  seller_id: number;
  seller_name: string;
  file_name: string | null;
  sha256: string;
  status: 'running' | 'completed' | 'failed' | 'rolled_back';
  phase: 'staging' | 'publishing' | 'done';
  mode: 'valid-rows' | 'all-or-nothing';
  imported_by: string | null;
  client_ref: string | null;
  owner_pid: number | null;
  created_at: string;
  completed_at: string | null;
  rolled_back_at: string | null;
  rows_read: number;
  rows_imported: number;
  rows_rejected: number;
  rows_published: number;
  tickets_created: number;
  bytes_read: number;
  total_bytes: number | null;
  last_line: number;
  cancel_requested: number;
  failure_code: string | null;
  failure_message: string | null;
  delimiter: string | null;
  encoding: string | null;
}

const cache = new WeakMap<Raw, Map<string, SQLite.Statement>>();
function stmt(db: Raw, sqlText: string): SQLite.Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sqlText);
  if (!s) m.set(sqlText, (s = db.prepare(sqlText)));
  return s;
}

const BATCH_SELECT = `SELECT b.*, s.name AS seller_name FROM import_batches b JOIN sellers s ON s.id = b.seller_id`;

export function toBatch(r: BatchRow): ImportBatch {
  return {
    id: r.id,
    sellerId: r.seller_id,
    sellerName: r.seller_name,
    fileName: r.file_name,
    sha256: r.sha256,
    status: r.status === 'failed' && r.failure_code === 'cancelled' ? 'cancelled' : r.status,
    phase: r.phase,
    mode: r.mode,
    importedBy: r.imported_by,
    clientRef: r.client_ref,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    rolledBackAt: r.rolled_back_at,
    rowsRead: r.rows_read,
    rowsImported: r.rows_imported,
    rowsRejected: r.rows_rejected,
    rowsPublished: r.rows_published,
    ticketsCreated: r.tickets_created,
    bytesRead: r.bytes_read,
    totalBytes: r.total_bytes,
    lastLine: r.last_line,
    cancelRequested: r.cancel_requested === 1,
    failure: r.failure_code ? { code: r.failure_code, message: r.failure_message } : null,
    delimiter: r.delimiter,
    encoding: r.encoding,
  };
}

export function findBatch(db: Raw, id: number): BatchRow | undefined {
  return stmt(db, `${BATCH_SELECT} WHERE b.id = ?`).get(id) as BatchRow | undefined;
}

export function listBatches(db: Raw, f: { sellerId?: number; status?: string; clientRef?: string; limit: number }): BatchRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.sellerId !== undefined) {
    where.push('b.seller_id = ?');
    args.push(f.sellerId);
  }
  if (f.status === 'cancelled') where.push(`b.status = 'failed' AND b.failure_code = 'cancelled'`);
  else if (f.status === 'failed') where.push(`b.status = 'failed' AND coalesce(b.failure_code, '') <> 'cancelled'`);
  else if (f.status !== undefined) {
    where.push('b.status = ?');
    args.push(f.status);
  }
  if (f.clientRef !== undefined) {
    where.push('b.client_ref = ?');
    args.push(f.clientRef);
  }
  const sqlText = `${BATCH_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY b.id DESC LIMIT ?`;
  return db.prepare(sqlText).all(...args, f.limit) as BatchRow[];
}

export const sellerExists = (db: Raw, id: number) => stmt(db, 'SELECT 1 FROM sellers WHERE id = ?').get(id) !== undefined;
export const eventExists = (db: Raw, id: number) => stmt(db, 'SELECT 1 FROM events WHERE id = ?').get(id) !== undefined;

/** A completed (or still running) batch of the same file for the same seller. */
export function findSameFile(db: Raw, sellerId: number, sha256: string): { id: number; status: string } | undefined {
  return stmt(
    db,
    `SELECT id, status FROM import_batches WHERE seller_id = ? AND sha256 = ? AND status IN ('completed','running') ORDER BY id DESC LIMIT 1`,
  ).get(sellerId, sha256) as { id: number; status: string } | undefined;
}

export interface NewBatch {
  sellerId: number;
  fileName: string | null;
  sha256: string;
  mode: string;
  importedBy: string;
  clientRef: string | null;
  totalBytes: number | null;
  now: string;
}

export function insertBatch(db: Raw, b: NewBatch): number {
  return Number(
    stmt(
      db,
      `INSERT INTO import_batches (seller_id, file_name, sha256, status, phase, mode, imported_by, client_ref, owner_pid, total_bytes, created_at, updated_at)
       VALUES (?, ?, ?, 'running', 'staging', ?, ?, ?, ?, ?, ?, ?)`,
    ).run(b.sellerId, b.fileName, b.sha256, b.mode, b.importedBy, b.clientRef, process.pid, b.totalBytes, b.now, b.now).lastInsertRowid,
  );
}

export function stageRows(db: Raw, batchId: number, rows: ValidRow[]): void {
  const ins = stmt(db, `INSERT INTO import_staged_rows (batch_id, line, event_id, section, row, quantity, price_cents) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  for (const r of rows) ins.run(batchId, r.line, r.eventId, r.section, r.row, r.quantity, r.priceCents);
}

export function insertRejected(db: Raw, batchId: number, rows: { line: number; errors: string[]; cells: string[] }[]): void {
  const ins = stmt(db, `INSERT INTO import_rejected_rows (batch_id, line, errors_json, cells_json) VALUES (?, ?, ?, ?)`);
  // Cells are kept for the rejected-rows download, clipped so one monster field cannot bloat the database.
  for (const r of rows) ins.run(batchId, r.line, JSON.stringify(r.errors), JSON.stringify(r.cells.slice(0, 50).map((c) => (c.length > 500 ? `${c.slice(0, 500)}…` : c))));
}

export function recordProgress(
  db: Raw,
  id: number,
  p: { rowsRead: number; rowsImported: number; rowsRejected: number; ticketsCreated: number; bytesRead: number; lastLine: number; now: string },
): void {
  stmt(
    db,
    `UPDATE import_batches SET rows_read = ?, rows_imported = ?, rows_rejected = ?, tickets_created = ?, bytes_read = ?, last_line = ?, updated_at = ? WHERE id = ?`,
  ).run(p.rowsRead, p.rowsImported, p.rowsRejected, p.ticketsCreated, p.bytesRead, p.lastLine, p.now, id);
}

export const cancelRequested = (db: Raw, id: number) =>
  (stmt(db, 'SELECT cancel_requested FROM import_batches WHERE id = ?').pluck().get(id) as number | undefined) === 1;

export function requestCancel(db: Raw, id: number): number {
  return stmt(db, `UPDATE import_batches SET cancel_requested = 1 WHERE id = ? AND status = 'running'`).run(id).changes;
}

export function setMeta(db: Raw, id: number, m: { delimiter: string | null; encoding: string; mapping: unknown }): void {
  stmt(db, 'UPDATE import_batches SET delimiter = ?, encoding = ?, mapping_json = ? WHERE id = ?').run(m.delimiter, m.encoding, JSON.stringify(m.mapping), id);
}

export function startPublishing(db: Raw, id: number, now: string): void {
  stmt(db, `UPDATE import_batches SET phase = 'publishing', updated_at = ? WHERE id = ?`).run(now, id);
}

/**
 * Moves the next `limit` staged rows of a batch into listings and tickets (one ticket per unit) and
 * forgets them in the staging table, all in the caller's transaction. Returns rows moved (0 = done).
 */
export function publishChunk(db: Raw, b: { id: number; sellerId: number; source: 'import' | 'seed' }, limit: number, now: string): number {
  const upTo = stmt(db, `SELECT id, quantity FROM import_staged_rows WHERE batch_id = ? ORDER BY id LIMIT ?`).all(b.id, limit) as {
    id: number;
    quantity: number;
  }[];
  if (upTo.length === 0) return 0;
  const lastStaged = upTo[upTo.length - 1]!.id;
  const maxQuantity = upTo.reduce((m, r) => Math.max(m, r.quantity), 1);
  const before = (stmt(db, 'SELECT coalesce(max(id), 0) FROM listings').pluck().get() as number) ?? 0;
  stmt(
    db,
    `INSERT INTO listings (event_id, seller_id, section, row, seats_json, quantity, price_cents, currency, source, import_batch_id, source_line, created_at)
     SELECT event_id, ?, section, row, NULL, quantity, price_cents, 'USD', ?, batch_id, line, ?
     FROM import_staged_rows WHERE batch_id = ? AND id <= ? ORDER BY id`,
  ).run(b.sellerId, b.source, now, b.id, lastStaged);
  stmt(
    db,
    `WITH RECURSIVE unit(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM unit WHERE n < ?)
     INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, status, updated_at)
     SELECT l.id, l.event_id, l.seller_id, l.section, l.row, NULL, l.price_cents, l.currency, 'available', ?
     FROM listings l JOIN unit ON unit.n <= l.quantity
     WHERE l.id > ? ORDER BY l.id, unit.n`,
  ).run(maxQuantity, now, before);
  stmt(db, 'DELETE FROM import_staged_rows WHERE batch_id = ? AND id <= ?').run(b.id, lastStaged);
  stmt(db, 'UPDATE import_batches SET rows_published = rows_published + ?, updated_at = ? WHERE id = ?').run(upTo.length, now, b.id);
  return upTo.length;
}

export function completeBatch(db: Raw, id: number, now: string): void {
  stmt(db, `UPDATE import_batches SET status = 'completed', phase = 'done', completed_at = ?, updated_at = ?, owner_pid = NULL WHERE id = ?`).run(now, now, id);
}

/** Deletes at most `limit` staged rows of the batch; returns how many. */
export function discardStaged(db: Raw, id: number, limit: number): number {
  return stmt(db, 'DELETE FROM import_staged_rows WHERE id IN (SELECT id FROM import_staged_rows WHERE batch_id = ? ORDER BY id LIMIT ?)').run(id, limit).changes;
}

export function failBatch(db: Raw, id: number, code: 'cancelled' | 'interrupted' | 'rejected-rows' | 'error', message: string, now: string): void {
  stmt(
    db,
    `UPDATE import_batches SET status = 'failed', phase = 'done', failure_code = ?, failure_message = ?, completed_at = ?, updated_at = ?, owner_pid = NULL WHERE id = ?`,
  ).run(code, message, now, now, id);
}

/** Sold or held tickets of the batch: while there are any, rolling it back would lose a sale. */
export const ticketsNotAvailable = (db: Raw, id: number) =>
  stmt(
    db,
    `SELECT count(*) FROM tickets WHERE listing_id IN (SELECT id FROM listings WHERE import_batch_id = ?) AND status IN ('sold','held')`,
  )
    .pluck()
    .get(id) as number;

/** Removes what the batch published (tickets, then listings). Caller has checked nothing is sold. */
export function deletePublished(db: Raw, id: number): { listings: number; tickets: number } {
  const tickets = stmt(db, `DELETE FROM tickets WHERE listing_id IN (SELECT id FROM listings WHERE import_batch_id = ?)`).run(id).changes;
  const listings = stmt(db, 'DELETE FROM listings WHERE import_batch_id = ?').run(id).changes;
  return { listings, tickets };
}

export function markRolledBack(db: Raw, id: number, now: string): void {
  stmt(db, `UPDATE import_batches SET status = 'rolled_back', rolled_back_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
}

export function batchEvents(db: Raw, id: number): { eventId: number; eventName: string; rows: number; tickets: number; ticketsAvailable: number }[] {
  return stmt(
    db,
    `SELECT l.event_id AS eventId, e.name AS eventName, count(*) AS rows, sum(l.quantity) AS tickets,
            (SELECT count(*) FROM tickets t JOIN listings l2 ON l2.id = t.listing_id
              WHERE l2.import_batch_id = l.import_batch_id AND l2.event_id = l.event_id AND t.status = 'available') AS ticketsAvailable
     FROM listings l JOIN events e ON e.id = l.event_id WHERE l.import_batch_id = ? GROUP BY l.event_id ORDER BY l.event_id`,
  ).all(id) as { eventId: number; eventName: string; rows: number; tickets: number; ticketsAvailable: number }[];
}

export function rejectedRows(db: Raw, id: number, limit: number, offset: number): { line: number; errors: string[]; cells: string[] }[] {
  const rows = stmt(db, 'SELECT line, errors_json, cells_json FROM import_rejected_rows WHERE batch_id = ? ORDER BY line LIMIT ? OFFSET ?').all(id, limit, offset) as {
    line: number;
    errors_json: string;
    cells_json: string;
  }[];
  return rows.map((r) => ({ line: r.line, errors: JSON.parse(r.errors_json) as string[], cells: JSON.parse(r.cells_json) as string[] }));
}

/** Batches a crashed or killed process left 'running': the process that owns them is gone. */
export function orphanedBatches(db: Raw): BatchRow[] {
  const running = stmt(db, `${BATCH_SELECT} WHERE b.status = 'running'`).all() as BatchRow[];
  return running.filter((b) => b.owner_pid === null || (b.owner_pid !== process.pid && !processAlive(b.owner_pid)));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
