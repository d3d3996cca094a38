// SQL of the import pipeline, shared by both engines. Plain SQL on purpose: bulk paths need
// INSERT … SELECT and many-row inserts, which Kysely would only wrap. Writes run inside the caller's
// transaction (store.write); reads take the reader's runner.
import { hostname } from 'node:os';
import type { ImportBatch } from '../../../../shared/schemas/import.js';
import type { SqlRunner } from '../contract/sql.js';

type Raw = SqlRunner;

/** A validated CSV row (import/listing-rules.ts checks them), as staged. */
export interface StagedRow {
  line: number;
  eventId: number;
  section: string;
  row: string;
  quantity: number;
  priceCents: number;
}

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
  owner_host: string | null;
  created_at: string;
  updated_at: string | null;
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

const BATCH_SELECT = `SELECT b.*, s.name AS seller_name FROM import_batches b JOIN sellers s ON s.id = b.seller_id`;

/** Which process runs an import: on a shared store the terminals are different machines. */
export const THIS_HOST = hostname();

export function toBatch(r: BatchRow): ImportBatch {
  return {
    id: Number(r.id),
    sellerId: Number(r.seller_id),
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
    rowsRead: Number(r.rows_read),
    rowsImported: Number(r.rows_imported),
    rowsRejected: Number(r.rows_rejected),
    rowsPublished: Number(r.rows_published),
    ticketsCreated: Number(r.tickets_created),
    bytesRead: Number(r.bytes_read),
    totalBytes: r.total_bytes === null ? null : Number(r.total_bytes),
    lastLine: Number(r.last_line),
    cancelRequested: Number(r.cancel_requested) === 1,
    failure: r.failure_code ? { code: r.failure_code, message: r.failure_message } : null,
    delimiter: r.delimiter,
    encoding: r.encoding,
  };
}

export function findBatch(db: Raw, id: number): Promise<BatchRow | undefined> {
  return db.get<BatchRow>(`${BATCH_SELECT} WHERE b.id = ?`, [id]);
}

export function listBatches(db: Raw, f: { sellerId?: number; status?: string; clientRef?: string; limit: number }): Promise<BatchRow[]> {
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
  return db.all<BatchRow>(sqlText, [...args, f.limit]);
}

export const sellerExists = async (db: Raw, id: number) => (await db.get('SELECT 1 AS one FROM sellers WHERE id = ?', [id])) !== undefined;
export const eventExists = async (db: Raw, id: number) => (await db.get('SELECT 1 AS one FROM events WHERE id = ?', [id])) !== undefined;

/** A completed (or still running) batch of the same file for the same seller. */
export async function findSameFile(db: Raw, sellerId: number, sha256: string): Promise<{ id: number; status: string } | undefined> {
  const r = await db.get<{ id: number; status: string }>(
    `SELECT id, status FROM import_batches WHERE seller_id = ? AND sha256 = ? AND status IN ('completed','running') ORDER BY id DESC LIMIT 1`,
    [sellerId, sha256],
  );
  return r && { id: Number(r.id), status: r.status };
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

export async function insertBatch(db: Raw, b: NewBatch): Promise<number> {
  const r = await db.get<{ id: number }>(
    `INSERT INTO import_batches (seller_id, file_name, sha256, status, phase, mode, imported_by, client_ref, owner_pid, owner_host, total_bytes, created_at, updated_at)
     VALUES (?, ?, ?, 'running', 'staging', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [b.sellerId, b.fileName, b.sha256, b.mode, b.importedBy, b.clientRef, process.pid, THIS_HOST, b.totalBytes, b.now, b.now],
  );
  return Number(r!.id);
}

export function stageRows(db: Raw, batchId: number, rows: StagedRow[]): Promise<void> {
  return db.insertMany(
    'import_staged_rows',
    ['batch_id', 'line', 'event_id', 'section', 'row', 'quantity', 'price_cents'],
    rows.map((r) => [batchId, r.line, r.eventId, r.section, r.row, r.quantity, r.priceCents]),
  );
}

export function insertRejected(db: Raw, batchId: number, rows: { line: number; errors: string[]; cells: string[] }[]): Promise<void> {
  // Cells are kept for the rejected-rows download, clipped so one monster field cannot bloat the database.
  return db.insertMany(
    'import_rejected_rows',
    ['batch_id', 'line', 'errors_json', 'cells_json'],
    rows.map((r) => [batchId, r.line, JSON.stringify(r.errors), JSON.stringify(r.cells.slice(0, 50).map((c) => (c.length > 500 ? `${c.slice(0, 500)}…` : c)))]),
  );
}

export async function recordProgress(
  db: Raw,
  id: number,
  p: { rowsRead: number; rowsImported: number; rowsRejected: number; ticketsCreated: number; bytesRead: number; lastLine: number; now: string },
): Promise<void> {
  await db.run(
    `UPDATE import_batches SET rows_read = ?, rows_imported = ?, rows_rejected = ?, tickets_created = ?, bytes_read = ?, last_line = ?, updated_at = ? WHERE id = ?`,
    [p.rowsRead, p.rowsImported, p.rowsRejected, p.ticketsCreated, p.bytesRead, p.lastLine, p.now, id],
  );
}

export const cancelRequested = async (db: Raw, id: number) =>
  Number((await db.get<{ cancel_requested: number }>('SELECT cancel_requested FROM import_batches WHERE id = ?', [id]))?.cancel_requested) === 1;

export function requestCancel(db: Raw, id: number): Promise<number> {
  return db.run(`UPDATE import_batches SET cancel_requested = 1 WHERE id = ? AND status = 'running'`, [id]);
}

export async function setMeta(db: Raw, id: number, m: { sha256: string; delimiter: string | null; encoding: string; mapping: unknown }): Promise<void> {
  await db.run('UPDATE import_batches SET sha256 = ?, delimiter = ?, encoding = ?, mapping_json = ? WHERE id = ?', [m.sha256, m.delimiter, m.encoding, JSON.stringify(m.mapping), id]);
}

export async function startPublishing(db: Raw, id: number, now: string): Promise<void> {
  await db.run(`UPDATE import_batches SET phase = 'publishing', updated_at = ? WHERE id = ?`, [now, id]);
}

/**
 * Moves the next `limit` staged rows of a batch into listings and tickets (one ticket per unit) and
 * forgets them in the staging table, all in the caller's transaction. Returns rows moved (0 = done).
 */
export async function publishChunk(db: Raw, b: { id: number; sellerId: number; source: 'import' | 'seed' }, limit: number, now: string): Promise<number> {
  const upTo = await db.all<{ id: number; quantity: number }>(`SELECT id, quantity FROM import_staged_rows WHERE batch_id = ? ORDER BY id LIMIT ?`, [b.id, limit]);
  if (upTo.length === 0) return 0;
  const lastStaged = Number(upTo[upTo.length - 1]!.id);
  const maxQuantity = upTo.reduce((m, r) => Math.max(m, Number(r.quantity)), 1);
  const before = Number((await db.get<{ n: number }>('SELECT coalesce(max(id), 0) AS n FROM listings WHERE import_batch_id = ?', [b.id]))!.n);
  await db.run(
    `INSERT INTO listings (event_id, seller_id, section, row, seats_json, quantity, price_cents, currency, source, import_batch_id, source_line, created_at)
     SELECT event_id, ?, section, row, NULL, quantity, price_cents, 'USD', ?, batch_id, line, ?
     FROM import_staged_rows WHERE batch_id = ? AND id <= ? ORDER BY id`,
    [b.sellerId, b.source, now, b.id, lastStaged],
  );
  // The batch's listings only: on a shared store other terminals add listings at the same time.
  await db.run(
    `WITH RECURSIVE unit(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM unit WHERE n < ?)
     INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, status, updated_at)
     SELECT l.id, l.event_id, l.seller_id, l.section, l.row, NULL, l.price_cents, l.currency, 'available', ?
     FROM listings l JOIN unit ON unit.n <= l.quantity
     WHERE l.import_batch_id = ? AND l.id > ? ORDER BY l.id, unit.n`,
    [maxQuantity, now, b.id, before],
  );
  await db.run('DELETE FROM import_staged_rows WHERE batch_id = ? AND id <= ?', [b.id, lastStaged]);
  await db.run('UPDATE import_batches SET rows_published = rows_published + ?, updated_at = ? WHERE id = ?', [upTo.length, now, b.id]);
  return upTo.length;
}

export async function completeBatch(db: Raw, id: number, now: string): Promise<void> {
  await db.run(`UPDATE import_batches SET status = 'completed', phase = 'done', completed_at = ?, updated_at = ?, owner_pid = NULL, owner_host = NULL WHERE id = ?`, [now, now, id]);
}

/** Deletes at most `limit` staged rows of the batch; returns how many. */
export function discardStaged(db: Raw, id: number, limit: number): Promise<number> {
  return db.run('DELETE FROM import_staged_rows WHERE id IN (SELECT id FROM import_staged_rows WHERE batch_id = ? ORDER BY id LIMIT ?)', [id, limit]);
}

export async function failBatch(db: Raw, id: number, code: 'cancelled' | 'interrupted' | 'rejected-rows' | 'error', message: string, now: string): Promise<void> {
  await db.run(
    `UPDATE import_batches SET status = 'failed', phase = 'done', failure_code = ?, failure_message = ?, completed_at = ?, updated_at = ?, owner_pid = NULL, owner_host = NULL WHERE id = ?`,
    [code, message, now, now, id],
  );
}

/** Sold or held tickets of the batch: while there are any, rolling it back would lose a sale. */
export const ticketsNotAvailable = async (db: Raw, id: number) =>
  Number(
    (await db.get<{ n: number }>(
      `SELECT count(*) AS n FROM tickets WHERE listing_id IN (SELECT id FROM listings WHERE import_batch_id = ?) AND status IN ('sold','held')`,
      [id],
    ))!.n,
  );

/** Removes what the batch published (tickets, then listings). Caller has checked nothing is sold. */
export async function deletePublished(db: Raw, id: number): Promise<{ listings: number; tickets: number }> {
  const tickets = await db.run(`DELETE FROM tickets WHERE listing_id IN (SELECT id FROM listings WHERE import_batch_id = ?)`, [id]);
  const listings = await db.run('DELETE FROM listings WHERE import_batch_id = ?', [id]);
  return { listings, tickets };
}

export async function markRolledBack(db: Raw, id: number, now: string): Promise<void> {
  await db.run(`UPDATE import_batches SET status = 'rolled_back', rolled_back_at = ?, updated_at = ? WHERE id = ?`, [now, now, id]);
}

export async function batchEvents(db: Raw, id: number): Promise<{ eventId: number; eventName: string; rows: number; tickets: number; ticketsAvailable: number }[]> {
  const rows = await db.all<{ event_id: number; event_name: string; rows: number; tickets: number; available: number }>(
    `SELECT l.event_id AS event_id, e.name AS event_name, count(*) AS rows, sum(l.quantity) AS tickets,
            (SELECT count(*) FROM tickets t JOIN listings l2 ON l2.id = t.listing_id
              WHERE l2.import_batch_id = l.import_batch_id AND l2.event_id = l.event_id AND t.status = 'available') AS available
     FROM listings l JOIN events e ON e.id = l.event_id WHERE l.import_batch_id = ? GROUP BY l.event_id, e.name, l.import_batch_id ORDER BY l.event_id`,
    [id],
  );
  return rows.map((r) => ({ eventId: Number(r.event_id), eventName: r.event_name, rows: Number(r.rows), tickets: Number(r.tickets), ticketsAvailable: Number(r.available) }));
}

export async function rejectedRows(db: Raw, id: number, limit: number, offset: number): Promise<{ line: number; errors: string[]; cells: string[] }[]> {
  const rows = await db.all<{ line: number; errors_json: string; cells_json: string }>(
    'SELECT line, errors_json, cells_json FROM import_rejected_rows WHERE batch_id = ? ORDER BY line LIMIT ? OFFSET ?',
    [id, limit, offset],
  );
  return rows.map((r) => ({ line: Number(r.line), errors: JSON.parse(r.errors_json) as string[], cells: JSON.parse(r.cells_json) as string[] }));
}

/** An import on another machine that has not moved for this long is taken for dead (its terminal crashed). */
export const STALE_IMPORT_MS = 15 * 60_000;

/**
 * Batches a crashed or killed process left 'running': the process that owns them is gone. A process
 * on this machine is asked directly; one on another terminal of a shared store cannot be, so its batch
 * counts as orphaned once it has not recorded progress for STALE_IMPORT_MS (a live import records
 * progress at least every few hundred milliseconds).
 */
export async function orphanedBatches(db: Raw, nowMs = Date.now()): Promise<BatchRow[]> {
  const running = await db.all<BatchRow>(`${BATCH_SELECT} WHERE b.status = 'running'`);
  return running.filter((b) => {
    if (b.owner_pid === null) return true;
    const pid = Number(b.owner_pid);
    if (b.owner_host === null || b.owner_host === THIS_HOST) return pid !== process.pid && !processAlive(pid);
    return nowMs - Date.parse(b.updated_at ?? b.created_at) > STALE_IMPORT_MS;
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
