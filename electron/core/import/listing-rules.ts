import { AppError } from '../../../shared/errors.js';
import { formatCents, HOUSE_CURRENCY, readMoney } from '../../../shared/money.js';
import { IMPORT_FIELDS, type ImportField, type ImportMapping } from '../../../shared/schemas/import.js';
import type { CsvRow } from './csv-rows.js';

export { IMPORT_FIELDS, type ImportField };

const ALIASES: Record<string, ImportField> = {
  eventid: 'eventId',
  event: 'eventId',
  eventno: 'eventId',
  eventnumber: 'eventId',
  section: 'section',
  sec: 'section',
  sectionname: 'section',
  quantity: 'quantity',
  qty: 'quantity',
  tickets: 'quantity',
  count: 'quantity',
  price: 'price',
  priceeach: 'price',
  unitprice: 'price',
  ticketprice: 'price',
  row: 'row',
  rowname: 'row',
};

export const MAX_TEXT = 64;
export const MAX_QUANTITY = 10000;

/** "Event ID", "event_id", " EVENTID ", "Price ($)" → the field they name, or undefined. */
export function matchHeader(name: string): ImportField | undefined {
  const key = name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/\([^)]*\)/g, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
  return ALIASES[key];
}

export const headerScore = (cells: string[]) => new Set(cells.map(matchHeader).filter(Boolean)).size;

/** The mapping the file suggests: each field → the first header cell that names it. */
export function suggestMapping(header: string[]): ImportMapping {
  const m: ImportMapping = {};
  header.forEach((h, i) => {
    const f = matchHeader(h);
    if (f && m[f] === undefined) m[f] = header[i]!.trim();
  });
  return m;
}

/** Column index of every field, from the user's mapping (header names) over the suggested one. */
export function resolveColumns(header: string[], mapping: ImportMapping | undefined): Record<ImportField, number> {
  const suggested = suggestMapping(header);
  const norm = (s: string) => s.replace(/^\uFEFF/, '').trim().toLowerCase();
  const cols = {} as Record<ImportField, number>;
  const missing: ImportField[] = [];
  for (const f of IMPORT_FIELDS) {
    const wanted = mapping?.[f] ?? suggested[f];
    const idx = wanted === undefined ? -1 : header.findIndex((h) => norm(h) === norm(wanted));
    if (idx < 0) {
      if (mapping?.[f] !== undefined) {
        throw new AppError('VALIDATION_FAILED', `The mapping says ${f} is the column "${mapping[f]}", but the header has no such column`, {
          reason: 'mapping',
          field: f,
          header,
        });
      }
      missing.push(f);
    } else cols[f] = idx;
  }
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', `The header lacks ${missing.join(', ')}: map ${missing.length === 1 ? 'it' : 'them'} to a column or fix the first line`, {
      reason: 'header',
      missing,
      header,
      suggestedMapping: suggested,
    });
  }
  const byIndex = new Map<number, ImportField>();
  for (const f of IMPORT_FIELDS) {
    const other = byIndex.get(cols[f]);
    if (other) {
      throw new AppError('VALIDATION_FAILED', `${other} and ${f} are both mapped to the column "${header[cols[f]]}"`, { reason: 'mapping', fields: [other, f] });
    }
    byIndex.set(cols[f], f);
  }
  return cols;
}

export interface ValidRow {
  line: number;
  eventId: number;
  section: string;
  row: string;
  quantity: number;
  priceCents: number;
}

const show = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Every problem of one row, named; row and section stay text exactly as written (08, GA, P P).
 * `eventExists` is only asked about well-formed ids.
 */
export function checkRow(
  r: CsvRow,
  cols: Record<ImportField, number>,
  width: number,
  eventExists: (id: number) => boolean,
): { ok: true; row: ValidRow } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const cells = r.cells;
  if (r.unterminatedQuote) {
    // Everything after the opening quote was swallowed into one field; the other complaints would only be echoes.
    const span = r.lastLine > r.line ? `lines ${r.line}–${r.lastLine} were read as one row` : 'the rest of the line was read as one field';
    return { ok: false, errors: [`a quoted field opened on line ${r.line} is never closed (${span})`] };
  }
  if (cells.length > width) errors.push(`too many fields: ${cells.length} where the header has ${width}`);
  else if (cells.length < width) errors.push(`too few fields: ${cells.length} where the header has ${width}`);
  const get = (f: ImportField) => (cells[cols[f]] ?? '').trim();

  const eventText = get('eventId');
  let eventId = NaN;
  if (eventText === '') errors.push('eventId is empty');
  else if (!/^\d{1,15}$/.test(eventText) || Number(eventText) < 1) errors.push(`eventId ${show(eventText)} is not a positive whole number`);
  else {
    eventId = Number(eventText);
    if (!eventExists(eventId)) errors.push(`event ${eventId} does not exist`);
  }

  const section = get('section');
  if (section === '') errors.push('section is empty');
  else if (section.length > MAX_TEXT) errors.push(`section is ${section.length} characters long (at most ${MAX_TEXT})`);

  const qText = get('quantity');
  const quantity = /^\d{1,9}$/.test(qText) ? Number(qText) : NaN;
  if (qText === '') errors.push('quantity is empty');
  else if (!(quantity >= 1)) errors.push(`quantity ${show(qText)} is not a positive whole number`);
  else if (quantity > MAX_QUANTITY) errors.push(`quantity ${quantity} is more than ${MAX_QUANTITY}`);

  const pText = get('price');
  const price = readMoney(pText);
  if (!price.ok) errors.push(price.reason === 'empty' ? 'price is empty' : `price ${show(pText)} ${price.message}`);
  else if (price.currency !== null && price.currency !== HOUSE_CURRENCY) {
    // Listings of an import are priced in the house currency; relabelling €12 as $12 would be wrong money.
    errors.push(`price ${show(pText)} was read as ${formatCents(price.cents)} ${price.currency}, but imported listings are priced in ${HOUSE_CURRENCY}: give the price in ${HOUSE_CURRENCY}`);
  }

  const row = get('row');
  if (row === '') errors.push('row is empty');
  else if (row.length > MAX_TEXT) errors.push(`row is ${row.length} characters long (at most ${MAX_TEXT})`);

  if (errors.length > 0 || !price.ok) return { ok: false, errors };
  return { ok: true, row: { line: r.line, eventId, section, row, quantity, priceCents: price.cents } };
}
