import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { AppError } from '../../../shared/errors.js';
import { parseMoneyToCents } from '../../../shared/money.js';
import type { ImportReport } from '../../../shared/schemas/import.js';
import { nowIso } from '../../../shared/time.js';
import type { Store } from '../store/database.js';

export const IMPORT_FIELDS = ['eventId', 'section', 'quantity', 'price', 'row'] as const;
type Field = (typeof IMPORT_FIELDS)[number];

const ALIASES: Record<string, Field> = {
  eventid: 'eventId',
  event: 'eventId',
  section: 'section',
  sec: 'section',
  quantity: 'quantity',
  qty: 'quantity',
  price: 'price',
  row: 'row',
};

/** "Event ID", "event_id", "Price ($)" → the field they name, or undefined. */
export function matchHeader(name: string): Field | undefined {
  const key = name.toLowerCase().replace(/\([^)]*\)/g, '').replace(/[^a-z0-9]/g, '');
  return ALIASES[key];
}

export interface ParsedRow {
  line: number;
  eventId: number;
  section: string;
  row: string;
  quantity: number;
  priceCents: number;
}

export interface ParseResult {
  rowsRead: number;
  valid: ParsedRow[];
  rejected: { line: number; errors: string[] }[];
}

/** Parses and validates; `eventExists` is asked once per distinct event id. */
export function parseListingsCsv(csv: string, eventExists: (id: number) => boolean): ParseResult {
  const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
  const rejected: ParseResult['rejected'] = [];
  const valid: ParsedRow[] = [];
  let columns: (Field | undefined)[] | null = null;
  let rowsRead = 0;
  // Line numbers are counted from the parser's cursor so quoted newlines never shift them.
  let scanned = 0;
  let line = 1;
  const lineAt = (offset: number) => {
    for (; scanned < offset; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 10 || (c === 13 && text.charCodeAt(scanned + 1) !== 10)) line++;
    }
    return line;
  };
  let rowStart = 0;
  const known = new Map<number, boolean>();

  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    step: (res) => {
      const startLine = lineAt(rowStart);
      // Skip the blank lines greedy mode jumped over so the row's own line is reported.
      let firstLine = startLine;
      for (let i = rowStart; i < text.length && (text[i] === '\n' || text[i] === '\r'); i++) {
        if (text[i] === '\n' || text[i + 1] !== '\n') firstLine++;
      }
      rowStart = res.meta.cursor;
      const cells = res.data;
      if (!columns) {
        columns = cells.map(matchHeader);
        const missing = IMPORT_FIELDS.filter((f) => !columns!.includes(f));
        if (missing.length > 0) {
          throw new AppError('VALIDATION_FAILED', `The header lacks ${missing.join(', ')}`, {
            header: cells,
            expected: IMPORT_FIELDS,
          });
        }
        return;
      }
      rowsRead++;
      const errors: string[] = [];
      if (cells.length > columns.length) errors.push(`too many fields: ${cells.length} for ${columns.length} columns`);
      const get = (f: Field) => {
        const i = columns!.indexOf(f);
        return i < cells.length ? (cells[i] ?? '').trim() : '';
      };
      const eventText = get('eventId');
      const eventId = /^\d+$/.test(eventText) ? Number(eventText) : NaN;
      if (!Number.isSafeInteger(eventId) || eventId <= 0) errors.push(`eventId "${eventText}" is not a positive integer`);
      else {
        if (!known.has(eventId)) known.set(eventId, eventExists(eventId));
        if (!known.get(eventId)) errors.push(`event ${eventId} does not exist`);
      }
      const qText = get('quantity');
      const quantity = /^\d+$/.test(qText) ? Number(qText) : NaN;
      if (!(quantity >= 1 && quantity <= 10000)) errors.push(`quantity "${qText}" is not a whole number from 1 to 10000`);
      const pText = get('price');
      const priceCents = parseMoneyToCents(pText);
      if (priceCents === null) errors.push(`price "${pText}" is not a money amount such as 42.00`);
      const section = get('section');
      const row = get('row');
      if (section === '') errors.push('section is empty');
      if (row === '') errors.push('row is empty');
      if (errors.length > 0) rejected.push({ line: firstLine, errors });
      else valid.push({ line: firstLine, eventId, section, row, quantity, priceCents: priceCents! });
    },
  });
  if (!columns) throw new AppError('VALIDATION_FAILED', 'The file is empty: expected a header eventId,section,quantity,price,row');
  return { rowsRead, valid, rejected };
}

export interface ImportOptions {
  csv: string;
  sellerId: number;
  dryRun: boolean;
  force: boolean;
  fileName?: string;
  source?: 'import' | 'seed';
}

/** Valid rows are imported in one transaction; rejected rows are reported with their line numbers. */
export async function importListings(store: Store, o: ImportOptions): Promise<ImportReport> {
  const sha256 = createHash('sha256').update(o.csv).digest('hex');
  const raw = store.writerRaw;
  const eventStmt = store.readerRaw.prepare('SELECT 1 FROM events WHERE id = ?').pluck();
  const parsed = parseListingsCsv(o.csv, (id) => eventStmt.get(id) !== undefined);
  const base = { dryRun: o.dryRun, rowsRead: parsed.rowsRead, rejected: parsed.rejected, sha256 };
  const ticketsCreated = parsed.valid.reduce((n, r) => n + r.quantity, 0);
  if (o.dryRun) return { ...base, batchId: null, rowsImported: parsed.valid.length, ticketsCreated };

  return store.writeSync(() => {
    if (!raw.prepare('SELECT 1 FROM sellers WHERE id = ?').get(o.sellerId)) {
      throw new AppError('NOT_FOUND', `seller ${o.sellerId} does not exist`, { sellerId: o.sellerId });
    }
    if (!o.force) {
      const prior = raw
        .prepare(`SELECT id FROM import_batches WHERE seller_id = ? AND sha256 = ? AND status = 'completed'`)
        .get(o.sellerId, sha256) as { id: number } | undefined;
      if (prior) {
        throw new AppError('DUPLICATE_IMPORT', `This file was already imported for seller ${o.sellerId} (batch ${prior.id})`, {
          batchId: prior.id,
          sha256,
        });
      }
    }
    const now = nowIso();
    const batchId = Number(
      raw
        .prepare(`INSERT INTO import_batches (seller_id, file_name, sha256, status, created_at) VALUES (?, ?, ?, 'running', ?)`)
        .run(o.sellerId, o.fileName ?? null, sha256, now).lastInsertRowid,
    );
    const insListing = raw.prepare(
      `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, import_batch_id, source_line, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?)`,
    );
    const insTicket = raw.prepare(
      `INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at)
       VALUES (?, ?, ?, ?, ?, NULL, ?, 'USD', ?)`,
    );
    for (const r of parsed.valid) {
      const listingId = insListing.run(r.eventId, o.sellerId, r.section, r.row, r.quantity, r.priceCents, o.source ?? 'import', batchId, r.line, now).lastInsertRowid;
      for (let i = 0; i < r.quantity; i++) insTicket.run(listingId, r.eventId, o.sellerId, r.section, r.row, r.priceCents, now);
    }
    raw
      .prepare(
        `UPDATE import_batches SET status = 'completed', rows_read = ?, rows_imported = ?, rows_rejected = ?, tickets_created = ?,
         errors_json = ?, completed_at = ? WHERE id = ?`,
      )
      .run(parsed.rowsRead, parsed.valid.length, parsed.rejected.length, ticketsCreated, JSON.stringify(parsed.rejected), now, batchId);
    return { ...base, batchId, rowsImported: parsed.valid.length, ticketsCreated };
  });
}
