import Papa from 'papaparse';
import { formatCents } from '../../../shared/money.js';
import { toUtcIso } from '../../../shared/time.js';
import type { Store } from '../store/database.js';

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

/** Builds the CSV a few thousand rows at a time so a large export does not hold the event loop. */
async function buildCsv(header: string[], rows: Iterable<unknown[]>): Promise<{ csv: string; rows: number }> {
  const parts = [Papa.unparse({ fields: header, data: [] }, { newline: '\r\n' })];
  let chunk: unknown[][] = [];
  let n = 0;
  for (const r of rows) {
    chunk.push(r);
    n++;
    if (chunk.length === 5000) {
      parts.push(Papa.unparse(chunk.map((c) => c.map(safeCell)), { newline: '\r\n' }));
      chunk = [];
      await yieldToLoop();
    }
  }
  if (chunk.length > 0) parts.push(Papa.unparse(chunk.map((c) => c.map(safeCell)), { newline: '\r\n' }));
  return { csv: `${parts.join('\r\n')}\r\n`, rows: n };
}

export interface TicketExport {
  eventId?: number;
  from?: string;
  to?: string;
  status: 'available' | 'held' | 'sold' | 'void' | 'all';
}

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
  const stmt = store.readerRaw.prepare(
    `SELECT t.id, t.listing_id, t.event_id, e.name AS event_name, e.starts_at, v.name AS venue, t.section, t.row, t.seat,
            t.price_cents, t.currency, t.status, t.seller_id, s.name AS seller_name, l.import_batch_id, l.source_line
     FROM tickets t JOIN events e ON e.id = t.event_id JOIN venues v ON v.id = e.venue_id
     JOIN sellers s ON s.id = t.seller_id JOIN listings l ON l.id = t.listing_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.starts_at_utc, t.event_id, t.id`,
  );
  type R = Record<string, string | number | null>;
  const rows = (function* () {
    for (const r of stmt.all(...args) as R[]) {
      yield [r.id, r.listing_id, r.event_id, r.event_name, r.starts_at, r.venue, r.section, r.row, r.seat, formatCents(r.price_cents as number), r.currency, r.status, r.seller_id, r.seller_name, r.import_batch_id, r.source_line];
    }
  })();
  const out = await buildCsv(
    ['ticketId', 'listingId', 'eventId', 'eventName', 'startsAt', 'venue', 'section', 'row', 'seat', 'price', 'currency', 'status', 'sellerId', 'sellerName', 'importBatchId', 'sourceLine'],
    rows,
  );
  return { ...out, fileName: `tickets-${q.eventId !== undefined ? `event-${q.eventId}` : 'all'}${q.from ? `-from-${q.from.slice(0, 10)}` : ''}${q.to ? `-to-${q.to.slice(0, 10)}` : ''}.csv` };
}

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
  const stmt = store.readerRaw.prepare(
    `SELECT o.code, o.created_at, o.channel, o.status, c.name AS customer_name, c.email AS customer_email, i.ticket_id,
            t.event_id, e.name AS event_name, e.starts_at, t.section, t.row, t.seat, i.price_cents, o.currency, i.voided_at
     FROM order_items i JOIN orders o ON o.id = i.order_id JOIN tickets t ON t.id = i.ticket_id JOIN events e ON e.id = t.event_id
     LEFT JOIN customers c ON c.id = o.customer_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.created_at, o.id, i.id`,
  );
  type R = Record<string, string | number | null>;
  const rows = (function* () {
    for (const r of stmt.all(...args) as R[]) {
      yield [r.code, r.created_at, r.channel, r.status, r.customer_name, r.customer_email, r.ticket_id, r.event_id, r.event_name, r.starts_at, r.section, r.row, r.seat, formatCents(r.price_cents as number), r.currency, r.voided_at];
    }
  })();
  const out = await buildCsv(
    ['orderCode', 'orderedAt', 'channel', 'status', 'customerName', 'customerEmail', 'ticketId', 'eventId', 'eventName', 'startsAt', 'section', 'row', 'seat', 'price', 'currency', 'voidedAt'],
    rows,
  );
  return { ...out, fileName: `orders-${q.eventId !== undefined ? `event-${q.eventId}` : 'all'}${q.from ? `-from-${q.from.slice(0, 10)}` : ''}${q.to ? `-to-${q.to.slice(0, 10)}` : ''}.csv` };
}

/** The rejected rows of a batch as CSV: line, problems, then the row's cells as they were. */
export function rejectedCsv(rows: { line: number; errors: string[]; cells: string[] }[]): string {
  const width = rows.reduce((m, r) => Math.max(m, r.cells.length), 0);
  const header = ['line', 'problems', ...Array.from({ length: width }, (_, i) => `field${i + 1}`)];
  return `${toSafeCsv(header, rows.map((r) => [r.line, r.errors.join('; '), ...r.cells]))}\r\n`;
}
