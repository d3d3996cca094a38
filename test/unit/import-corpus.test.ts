// The nasty corpus: every file gets its exact expected report, read as a file, as text and as a
// byte stream cut into tiny pieces (so pieces split CRLF pairs, quotes and multi-byte characters).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { importListings, type CsvSource } from '../../electron/core/import/csv-import.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { memoryStore } from '../helpers.js';
import { rows } from '../support/db.js';

const FIXTURES = new URL('../fixtures/import/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const STD = { eventId: 'eventId', section: 'section', quantity: 'quantity', price: 'price', row: 'row' };

let store: Store;
beforeAll(async () => {
  store = await memoryStore({ seed: true });
});
afterAll(async () => store.close());

const dry = (input: CsvSource, extra: Partial<Parameters<typeof importListings>[1]> = {}) =>
  importListings(store, { input, sellerId: 2, dryRun: true, force: false, ...extra });

async function* tinyPieces(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

interface Expected {
  delimiter: string;
  rowsRead: number;
  rowsImported: number;
  ticketsCreated: number;
  rejected: { line: number; errors: string[] }[];
  byEvent: { eventId: number; rows: number; tickets: number }[];
  mapping?: Record<string, string>;
}

const corpus: Record<string, Expected> = {
  'semicolon-decimal-comma.csv': {
    delimiter: ';',
    rowsRead: 2,
    rowsImported: 2,
    ticketsCreated: 3,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 1, tickets: 2 },
      { eventId: 162, rows: 1, tickets: 1 },
    ],
  },
  'spreadsheet-prices.csv': {
    delimiter: ',',
    rowsRead: 13,
    rowsImported: 6,
    ticketsCreated: 7,
    rejected: [
      { line: 8, errors: ['price "1,250" is ambiguous: 1250.00 with "," as a thousands separator, or 1.250 with "," as a decimal comma; write 1250.00 or 1.25'] },
      { line: 9, errors: ['price "1.250,00" mixes "." and "," (read with "." as a thousands separator it is 1250.00); write 1250.00'] },
      { line: 10, errors: ['price "€1,250.00" was read as 1250.00 EUR, but imported listings are priced in USD: give the price in USD'] },
      { line: 11, errors: ['price "£12" was read as 12.00 GBP, but imported listings are priced in USD: give the price in USD'] },
      { line: 12, errors: ['price "12.00 EUR" was read as 12.00 EUR, but imported listings are priced in USD: give the price in USD'] },
      { line: 13, errors: ['price "$12 EUR" names two currencies (USD and EUR)'] },
      { line: 14, errors: ['price "-$5.00" is negative'] },
    ],
    byEvent: [{ eventId: 107, rows: 6, tickets: 7 }],
  },
  'tab-excel-headers.tsv': {
    delimiter: '\t',
    rowsRead: 2,
    rowsImported: 2,
    ticketsCreated: 5,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 1, tickets: 1 },
      { eventId: 164, rows: 1, tickets: 4 },
    ],
    mapping: { eventId: 'Event ID', section: 'Section', quantity: 'Qty', price: 'Price ($)', row: 'Row' },
  },
  'bom-crlf.csv': {
    delimiter: ',',
    rowsRead: 2,
    rowsImported: 2,
    ticketsCreated: 3,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 1, tickets: 1 },
      { eventId: 162, rows: 1, tickets: 2 },
    ],
    mapping: STD,
  },
  'cr-only.csv': {
    delimiter: ',',
    rowsRead: 2,
    rowsImported: 2,
    ticketsCreated: 4,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 1, tickets: 1 },
      { eventId: 164, rows: 1, tickets: 3 },
    ],
  },
  'quoted-fields.csv': {
    delimiter: ',',
    rowsRead: 4,
    rowsImported: 4,
    ticketsCreated: 7,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 2, tickets: 3 },
      { eventId: 162, rows: 1, tickets: 1 },
      { eventId: 164, rows: 1, tickets: 3 },
    ],
  },
  'unicode.csv': {
    delimiter: ',',
    rowsRead: 4,
    rowsImported: 4,
    ticketsCreated: 8,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 2, tickets: 3 },
      { eventId: 162, rows: 1, tickets: 1 },
      { eventId: 164, rows: 1, tickets: 4 },
    ],
  },
  'flexible-headers.csv': {
    delimiter: ',',
    rowsRead: 2,
    rowsImported: 2,
    ticketsCreated: 3,
    rejected: [],
    byEvent: [
      { eventId: 107, rows: 1, tickets: 2 },
      { eventId: 162, rows: 1, tickets: 1 },
    ],
    mapping: { row: 'Row', price: 'Price ($)', section: 'SECTION', eventId: 'Event_ID', quantity: 'Quantity' },
  },
  'text-stays-text.csv': { delimiter: ',', rowsRead: 4, rowsImported: 4, ticketsCreated: 6, rejected: [], byEvent: [{ eventId: 107, rows: 4, tickets: 6 }] },
  'duplicates.csv': { delimiter: ',', rowsRead: 3, rowsImported: 3, ticketsCreated: 6, rejected: [], byEvent: [{ eventId: 107, rows: 3, tickets: 6 }] },
  'header-only.csv': { delimiter: ',', rowsRead: 0, rowsImported: 0, ticketsCreated: 0, rejected: [], byEvent: [], mapping: STD },
  'every-problem.csv': {
    delimiter: ',',
    rowsRead: 19,
    rowsImported: 2,
    ticketsCreated: 3,
    rejected: [
      { line: 3, errors: ['event 999 does not exist'] },
      { line: 4, errors: ['eventId "abc" is not a positive whole number'] },
      // line 5 is blank: skipped, but still counted, so the lines below are the file's own.
      { line: 6, errors: ['quantity "0" is not a positive whole number'] },
      { line: 7, errors: ['quantity "-2" is not a positive whole number'] },
      { line: 8, errors: ['quantity "2.5" is not a positive whole number'] },
      { line: 9, errors: ['quantity "x" is not a positive whole number'] },
      { line: 10, errors: ['quantity is empty'] },
      { line: 11, errors: ['price "-5.00" is negative'] },
      { line: 12, errors: ['price "abc" is not a money amount such as 42.00'] },
      { line: 13, errors: ['price "1.234" is not a money amount such as 42.00'] },
      { line: 14, errors: ['price is empty'] },
      { line: 15, errors: ['section is empty'] },
      { line: 16, errors: ['row is empty'] },
      { line: 17, errors: ['too many fields: 6 where the header has 5'] },
      { line: 18, errors: ['too few fields: 3 where the header has 5', 'price is empty', 'row is empty'] },
      {
        line: 19,
        errors: ['eventId "-1" is not a positive whole number', 'section is empty', 'quantity "0" is not a positive whole number', 'price "-1" is negative', 'row is empty'],
      },
      // line 20 holds only blanks
      { line: 21, errors: ['quantity 20000 is more than 10000'] },
    ],
    byEvent: [
      { eventId: 107, rows: 1, tickets: 2 },
      { eventId: 162, rows: 1, tickets: 1 },
    ],
  },
  'unterminated-quote.csv': {
    delimiter: ',',
    rowsRead: 2,
    rowsImported: 1,
    ticketsCreated: 2,
    rejected: [{ line: 3, errors: ['a quoted field opened on line 3 is never closed (lines 3–4 were read as one row)'] }],
    byEvent: [{ eventId: 107, rows: 1, tickets: 2 }],
  },
  'formula-cells.csv': {
    delimiter: ',',
    rowsRead: 2,
    rowsImported: 1,
    ticketsCreated: 2,
    rejected: [{ line: 3, errors: ['price "oops" is not a money amount such as 42.00'] }],
    byEvent: [{ eventId: 107, rows: 1, tickets: 2 }],
  },
};

describe('the nasty corpus, each file with its exact report', () => {
  for (const [name, want] of Object.entries(corpus)) {
    it(`${name}: the same report from a file, from text and from 7-byte pieces`, async () => {
      const bytes = readFileSync(fixture(name));
      const fromFile = await dry({ file: fixture(name) });
      expect(fromFile).toMatchObject({
        status: 'dry-run',
        batchId: null,
        encoding: 'utf-8',
        delimiter: want.delimiter,
        rowsRead: want.rowsRead,
        rowsImported: want.rowsImported,
        rowsRejected: want.rejected.length,
        ticketsCreated: want.ticketsCreated,
        rejected: want.rejected,
        rejectedTruncated: false,
        byEvent: want.byEvent,
      });
      if (want.mapping) expect(fromFile.mapping).toEqual(want.mapping);
      expect(fromFile.rowsRead).toBe(fromFile.rowsImported + fromFile.rowsRejected);
      const fromText = await dry({ text: bytes.toString('utf8') });
      const fromPieces = await dry({ bytes: tinyPieces(bytes, 7) });
      expect(fromText).toEqual(fromFile);
      expect(fromPieces).toEqual(fromFile);
    });
  }

  it('stores spreadsheet prices (thousands separators, $ and USD marks) as exact integer cents', async () => {
    const r = await importListings(store, { input: { file: fixture('spreadsheet-prices.csv') }, sellerId: 3, dryRun: false, force: true, mode: 'valid-rows' });
    expect(r.status).toBe('completed');
    const got = await rows(store, 'SELECT row, price_cents AS cents, currency FROM listings WHERE import_batch_id = ? ORDER BY id', [r.batchId]);
    expect(got).toEqual([
      { row: 'A', cents: 125000, currency: 'USD' },
      { row: 'B', cents: 125000, currency: 'USD' },
      { row: 'C', cents: 4250, currency: 'USD' },
      { row: 'D', cents: 125000000, currency: 'USD' },
      { row: 'E', cents: 1250, currency: 'USD' },
      { row: 'F', cents: 9900, currency: 'USD' },
    ]);
  });

  it('keeps rows and sections exactly as written: 08, GA, P P, 11/12, 007, accents and non-Latin text', async () => {
    const texts = await importListings(store, { input: { file: fixture('text-stays-text.csv') }, sellerId: 3, dryRun: false, force: true });
    const uni = await importListings(store, { input: { file: fixture('unicode.csv') }, sellerId: 3, dryRun: false, force: true });
    const quoted = await importListings(store, { input: { file: fixture('quoted-fields.csv') }, sellerId: 3, dryRun: false, force: true });
    const listingsOf = async (batchId: number | null) =>
      (await rows(store, 'SELECT section, row, quantity, price_cents AS cents, source_line AS line FROM listings WHERE import_batch_id = ? ORDER BY id', [batchId]));
    expect(await listingsOf(texts.batchId)).toEqual([
      { section: '007', row: '08', quantity: 1, cents: 1000, line: 2 },
      { section: 'GA', row: 'GA', quantity: 2, cents: 1000, line: 3 },
      { section: 'P P', row: 'P P', quantity: 1, cents: 1000, line: 4 },
      { section: '101', row: '11/12', quantity: 2, cents: 1000, line: 5 },
    ]);
    expect(await listingsOf(uni.batchId)).toEqual([
      { section: 'Parterre Général', row: 'Rangée 3', quantity: 2, cents: 4200, line: 2 },
      { section: '東スタンド', row: 'い', quantity: 1, cents: 800000, line: 3 },
      { section: 'Балкон', row: 'Ряд 2', quantity: 4, cents: 1500, line: 4 },
      { section: '🎟️ VIP', row: 'Ω', quantity: 1, cents: 30000, line: 5 },
    ]);
    // Quoted commas, doubled quotes and newlines inside quotes; the next row's line counts the quoted newlines.
    expect(await listingsOf(quoted.batchId)).toEqual([
      { section: 'Loge, left', row: 'A', quantity: 2, cents: 4200, line: 2 },
      { section: 'Box "Royal"\r\nupper tier', row: '1', quantity: 1, cents: 12000, line: 3 },
      { section: 'Pit,\r\nfront\r\nrail', row: 'GA', quantity: 3, cents: 1950, line: 5 },
      { section: 'Plain', row: 'B', quantity: 1, cents: 1000, line: 8 },
    ]);
    const tickets = (await rows(store, 'SELECT t.section, t.row FROM tickets t JOIN listings l ON l.id = t.listing_id WHERE l.import_batch_id = ?', [texts.batchId]));
    expect(tickets).toHaveLength(6);
    expect(tickets).toContainEqual({ section: '007', row: '08' });
  });

  it('identical rows inside one file are separate listings', async () => {
    const r = await importListings(store, { input: { file: fixture('duplicates.csv') }, sellerId: 4, dryRun: false, force: true });
    const n = (await rows(store, 'SELECT count(*) AS listings, sum(quantity) AS units FROM listings WHERE import_batch_id = ?', [r.batchId]))[0];
    expect(n).toEqual({ listings: 3, units: 6 });
  });
});

describe('files that are refused as a whole, with the reason', () => {
  it('an empty file, and a file of blank lines', async () => {
    for (const input of [{ file: fixture('empty.csv') }, { file: fixture('blank-lines-only.csv') }, { bytes: Buffer.from('\r\n\t\r\n ,, \r\n') }]) {
      const e = await refusal(dry(input));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.message).toBe('The file is empty: expected a header such as eventId,section,quantity,price,row and then one listing per line');
      expect(e.details).toEqual({ reason: 'empty' });
    }
  });

  it('a header without a price column names it, and a user mapping fixes it', async () => {
    const e = await refusal(dry({ file: fixture('missing-column.csv') }));
    expect(e.message).toBe('The header lacks price: map it to a column or fix the first line');
    expect(e.details).toEqual({
      reason: 'header',
      missing: ['price'],
      header: ['eventId', 'section', 'quantity', 'Cost', 'row'],
      suggestedMapping: { eventId: 'eventId', section: 'section', quantity: 'quantity', row: 'row' },
    });
    const fixed = await dry({ file: fixture('missing-column.csv') }, { mapping: { price: 'cost' } });
    expect(fixed).toMatchObject({ rowsRead: 1, rowsImported: 1, ticketsCreated: 2, mapping: { price: 'cost' } });
    const wrong = await refusal(dry({ file: fixture('missing-column.csv') }, { mapping: { price: 'Amount' } }));
    expect(wrong.message).toBe('The mapping says price is the column "Amount", but the header has no such column');
    const twice = await refusal(dry({ file: fixture('missing-column.csv') }, { mapping: { price: 'Cost', quantity: 'Cost' } }));
    expect(twice.message).toBe('quantity and price are both mapped to the column "Cost"');
  });

  it('Latin-1 text is refused at its line, never guessed', async () => {
    const latin1 = Buffer.from('eventId,section,quantity,price,row\n107,Parterre G\xe9n\xe9ral,2,42.00,A\n', 'latin1');
    const e = await refusal(dry({ bytes: latin1 }));
    expect(e.message).toBe(
      'The file is not UTF-8 text: line 2 has the byte 0xE9 (0xE9 is "é" in Latin-1: the file is probably Latin-1 or Windows-1252). Save it as "CSV UTF-8" and try again.',
    );
    expect(e.details).toEqual({ reason: 'encoding', line: 2, byteOffset: 49 });
    // Over HTTP the body arrives as a string: the bad bytes became U+FFFD and are caught the same way.
    const asText = await refusal(dry({ text: latin1.toString('utf8') }));
    expect(asText.details).toEqual({ reason: 'encoding', line: 2 });
  });

  it('UTF-16 with a byte-order mark is read (Excel "Unicode text"); without one it is refused', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('eventId\tsection\tquantity\tprice\trow\r\n107\tParterre Général\t2\t42.00\tA\r\n', 'utf16le')]);
    expect(await dry({ bytes: le })).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', rowsRead: 1, rowsImported: 1, ticketsCreated: 2 });
    expect(await dry({ bytes: tinyPieces(le, 3) })).toMatchObject({ encoding: 'utf-16le', rowsImported: 1 });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('eventId,section,quantity,price,row\n107,東,2,42.00,A\n', 'utf16le').swap16()]);
    expect(await dry({ bytes: be })).toMatchObject({ encoding: 'utf-16be', rowsImported: 1 });
    const noBom = await refusal(dry({ bytes: Buffer.from('eventId,section,quantity,price,row\n107,A,2,42.00,A\n', 'utf16le') }));
    expect(noBom.message).toBe('The file looks like UTF-16 text without a byte-order mark, or binary data. Save it as "CSV UTF-8" and try again.');
  });

  it('binary garbage is refused as binary', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const e = await refusal(dry({ bytes: garbage }));
    expect(e.message).toBe('The file is binary data (an image, a spreadsheet, an archive…), not CSV text. Export the sheet as "CSV UTF-8" and try again.');
    const zipLike = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200)]);
    expect((await refusal(dry({ bytes: zipLike }))).details).toMatchObject({ reason: 'encoding' });
  });

  it('a 10 MB single field is parsed, named and rejected without taking the rest of the file with it', async () => {
    const big = Buffer.concat([Buffer.from('eventId,section,quantity,price,row\n107,"'), Buffer.alloc(10 * 1024 * 1024, 'x'), Buffer.from('",2,42.00,A\n164,GA,1,10.00,GA\n')]);
    const r = await dry({ bytes: big });
    expect(r).toMatchObject({
      rowsRead: 2,
      rowsImported: 1,
      rejected: [{ line: 2, errors: ['section is 10485760 characters long (at most 64)'] }],
      byEvent: [{ eventId: 164, rows: 1, tickets: 1 }],
    });
  });

  it('a quote never closed in a huge file stops at the row-size cap instead of eating memory', async () => {
    async function* endless() {
      yield Buffer.from('eventId,section,quantity,price,row\n107,"open');
      for (let i = 0; i < 40; i++) yield Buffer.alloc(512 * 1024, 'y');
    }
    const e = await refusal(importListings(store, { input: { bytes: endless() }, sellerId: 2, dryRun: true, force: false }));
    expect(e.details).toEqual({ reason: 'row-too-long', line: 2 });
    expect(e.message).toBe('Line 2: a row runs past 16 MB; a quote is probably never closed.');
  });
});
