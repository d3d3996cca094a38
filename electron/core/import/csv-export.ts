import Papa from 'papaparse';
import { AppError } from '../../../shared/errors.js';
import { formatCents } from '../../../shared/money.js';
import { toUtcIso } from '../../../shared/time.js';
import type { Store } from '../store/contract/store.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet will show as text: anything starting with = + - @ tab or CR gets a leading
 * apostrophe so "=HYPERLINK(…)" in a section name can never run as a formula (CSV injection).
 */
export function safeCell(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v;
  const s = String(v);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** CSV text (CRLF, quoted where needed) whose every cell went through safeCell. */
export function toSafeCsv(header: string[], rows: unknown[][]): string {
  return Papa.unparse({ fields: header, data: rows.map((r) => r.map(safeCell)) }, { newline: '\r\n', escapeFormulae: false });
}

const isDate = (s?: string) => s !== undefined && s.length === 10;
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An export returns one string, so it is capped; past this, filter by event or date range. */
export const MAX_EXPORT_ROWS = 250_000;
const PAGE = 5000;

type Row = Record<string, string | number | null>;

/**
 * Builds the CSV a page at a time (keyset on `key`), so a large export neither loads every row at
 * once nor holds the event loop; refuses exports above MAX_EXPORT_ROWS before building anything.
 */
async function buildCsv(
  store: Store,
  q: { from: string; where: string[]; args: unknown[]; key: string },
  header: string[],
  toCells: (r: Row) => unknown[],
  select: string,
): Promise<{ csv: string; rows: number }> {
  const whereSql = q.where.length ? `WHERE ${q.where.join(' AND ')}` : '';
  const sql = store.sql();
  const total = Number((await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${q.from} ${whereSql}`, q.args))!.n);
  if (total > MAX_EXPORT_ROWS) {
    throw new AppError('VALIDATION_FAILED', `That export has ${total} rows, more than ${MAX_EXPORT_ROWS}: choose an event or a shorter date range`, {
      rows: total,
      max: MAX_EXPORT_ROWS,
    });
  }
  const page = `SELECT ${select}, ${q.key} AS k FROM ${q.from} ${q.where.length ? `${whereSql} AND` : 'WHERE'} ${q.key} > ? ORDER BY ${q.key} LIMIT ${PAGE}`;
  const parts = [Papa.unparse({ fields: header, data: [] }, { newline: '\r\n' })];
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = await sql.all<Row>(page, [...q.args, after]);
    if (rows.length === 0) break;
    parts.push(Papa.unparse(rows.map((r) => toCells(r).map(safeCell)), { newline: '\r\n' }));
    n += rows.length;
    after = Number(rows[rows.length - 1]!.k);
    await yieldToLoop();
  }
  return { csv: `${parts.join('\r\n')}\r\n`, rows: n };
}

export interface TicketExport {
  eventId?: number;
  from?: string;
  to?: string;
  status: 'available' | 'held' | 'sold' | 'void' | 'all';
}

const suffix = (q: { eventId?: number; from?: string; to?: string }) =>
  `${q.eventId !== undefined ? `event-${q.eventId}` : 'all'}${q.from ? `-from-${q.from.slice(0, 10)}` : ''}${q.to ? `-to-${q.to.slice(0, 10)}` : ''}`;

/** Tickets in ticket-id order (listings stay together), per event or event date range. */
export async function exportTicketsCsv(store: Store, q: TicketExport): Promise<{ csv: string; rows: number; fileName: string }> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.status !== 'all') {
    where.push('t.status = ?');
    args.push(q.status);
  }
  if (q.eventId !== undefined) {
    where.push('t.event_id = ?');
    args.push(q.eventId);
  }
  if (q.from) {
    where.push(isDate(q.from) ? 'e.local_date >= ?' : 'e.starts_at_utc >= ?');
    args.push(isDate(q.from) ? q.from : toUtcIso(q.from));
  }
  if (q.to) {
    where.push(isDate(q.to) ? 'e.local_date <= ?' : 'e.starts_at_utc <= ?');
    args.push(isDate(q.to) ? q.to : toUtcIso(q.to));
  }
  const out = await buildCsv(
    store,
    {
      from: 'tickets t JOIN events e ON e.id = t.event_id JOIN venues v ON v.id = e.venue_id JOIN sellers s ON s.id = t.seller_id JOIN listings l ON l.id = t.listing_id',
      where,
      args,
      key: 't.id',
    },
    ['ticketId', 'listingId', 'eventId', 'eventName', 'startsAt', 'venue', 'section', 'row', 'seat', 'price', 'currency', 'status', 'sellerId', 'sellerName', 'importBatchId', 'sourceLine'],
    (r) => [r.id, r.listing_id, r.event_id, r.event_name, r.starts_at, r.venue, r.section, r.row, r.seat, formatCents(r.price_cents as number), r.currency, r.status, r.seller_id, r.seller_name, r.import_batch_id, r.source_line],
    `t.id, t.listing_id, t.event_id, e.name AS event_name, e.starts_at, v.name AS venue, t.section, t.row, t.seat,
     t.price_cents, t.currency, t.status, t.seller_id, s.name AS seller_name, l.import_batch_id, l.source_line`,
  );
  return { ...out, fileName: `tickets-${suffix(q)}.csv` };
}

/** Order lines in the order they were sold, per event or order date range (a date is a whole UTC day). */
export async function exportOrdersCsv(store: Store, q: { eventId?: number; from?: string; to?: string }): Promise<{ csv: string; rows: number; fileName: string }> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.eventId !== undefined) {
    where.push('t.event_id = ?');
    args.push(q.eventId);
  }
  if (q.from) {
    where.push('o.created_at >= ?');
    args.push(isDate(q.from) ? `${q.from}T00:00:00.000Z` : toUtcIso(q.from));
  }
  if (q.to) {
    where.push(isDate(q.to) ? 'o.created_at < ?' : 'o.created_at <= ?');
    args.push(isDate(q.to) ? `${nextDay(q.to)}T00:00:00.000Z` : toUtcIso(q.to));
  }
  const out = await buildCsv(
    store,
    {
      from: 'order_items i JOIN orders o ON o.id = i.order_id JOIN tickets t ON t.id = i.ticket_id JOIN events e ON e.id = t.event_id LEFT JOIN customers c ON c.id = o.customer_id',
      where,
      args,
      key: 'i.id',
    },
    ['orderCode', 'orderedAt', 'channel', 'status', 'customerName', 'customerEmail', 'ticketId', 'eventId', 'eventName', 'startsAt', 'section', 'row', 'seat', 'price', 'currency', 'voidedAt'],
    (r) => [r.code, r.created_at, r.channel, r.status, r.customer_name, r.customer_email, r.ticket_id, r.event_id, r.event_name, r.starts_at, r.section, r.row, r.seat, formatCents(r.price_cents as number), r.currency, r.voided_at],
    `o.code, o.created_at, o.channel, o.status, c.name AS customer_name, c.email AS customer_email, i.ticket_id,
     t.event_id, e.name AS event_name, e.starts_at, t.section, t.row, t.seat, i.price_cents, o.currency, i.voided_at`,
  );
  return { ...out, fileName: `orders-${suffix(q)}.csv` };
}

/** The rejected rows of a batch as CSV: line, problems, then the row's cells as they were. */
export function rejectedCsv(rows: { line: number; errors: string[]; cells: string[] }[]): string {
  const width = rows.reduce((m, r) => Math.max(m, r.cells.length), 0);
  const header = ['line', 'problems', ...Array.from({ length: width }, (_, i) => `field${i + 1}`)];
  return `${toSafeCsv(header, rows.map((r) => [r.line, r.errors.join('; '), ...r.cells]))}\r\n`;
}
