// The brief's sampleTickets.csv through the operations (IPC path) and the HTTP API, plus re-import
// detection, dry run, all-or-nothing, batches, rollback, cancel, preview and the CSV exports.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { importListings } from '../../electron/core/import/csv-import.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { SHARED_DATA, kioskCtx, memoryStore, startServer, type TestServer } from '../helpers.js';
import { rows, value } from '../support/db.js';

const SAMPLE = readFileSync(new URL('sampleTickets.csv', SHARED_DATA), 'utf8');
const FIXTURES = new URL('../fixtures/import/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

const count = (store: Store, sqlText: string, ...args: unknown[]) => value(store, sqlText, args);
const totals = async (store: Store) => ({
  batches: (await count(store, 'SELECT count(*) FROM import_batches')),
  listings: (await count(store, 'SELECT count(*) FROM listings')),
  tickets: (await count(store, 'SELECT count(*) FROM tickets')),
  staged: (await count(store, 'SELECT count(*) FROM import_staged_rows')),
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('the brief file through the operations', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
  });
  afterAll(async () => store.close());
  const run = <K extends Parameters<typeof invoke>[2]>(name: K, input: unknown) => invoke(kioskCtx(store), FULL_ACCESS, name, input);

  it('imports 1,533 rows as 6,341 tickets in three events (955/551/27 rows), counted by batch', async () => {
    const before = (await totals(store));
    const r = await run('importTickets', { csv: SAMPLE, sellerId: 2, fileName: 'sampleTickets.csv' });
    expect(r).toMatchObject({
      status: 'completed',
      dryRun: false,
      mode: 'valid-rows',
      fileName: 'sampleTickets.csv',
      rowsRead: 1533,
      rowsImported: 1533,
      rowsRejected: 0,
      ticketsCreated: 6341,
      rejected: [],
      delimiter: ',',
      encoding: 'utf-8',
      byEvent: [
        { eventId: 107, rows: 955, tickets: 3345 },
        { eventId: 162, rows: 27, tickets: 67 },
        { eventId: 164, rows: 551, tickets: 2929 },
      ],
    });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const perEvent = (await rows(store, 'SELECT event_id AS "eventId", count(*) AS rows, sum(quantity) AS units, min(source_line) AS first, max(source_line) AS last FROM listings WHERE import_batch_id = ? GROUP BY event_id ORDER BY event_id', [r.batchId]));
    expect(perEvent.map((e) => [(e as { eventId: number }).eventId, (e as { rows: number }).rows])).toEqual([
      [107, 955],
      [162, 27],
      [164, 551],
    ]);
    expect((await count(store, 'SELECT count(*) FROM tickets t JOIN listings l ON l.id = t.listing_id WHERE l.import_batch_id = ?', r.batchId))).toBe(6341);
    expect((await count(store, 'SELECT min(source_line) FROM listings WHERE import_batch_id = ?', r.batchId))).toBe(2);
    expect((await count(store, 'SELECT max(source_line) FROM listings WHERE import_batch_id = ?', r.batchId))).toBe(1534);
    // The first data row of the file: 162,998,1,42.00,GA
    expect((await rows(store, 'SELECT event_id, section, row, quantity, price_cents FROM listings WHERE import_batch_id = ? AND source_line = 2', [r.batchId]))[0]).toEqual({
      event_id: 162,
      section: '998',
      row: 'GA',
      quantity: 1,
      price_cents: 4200,
    });
    expect((await totals(store))).toEqual({ batches: before.batches + 1, listings: before.listings + 1533, tickets: before.tickets + 6341, staged: 0 });
    const detail = await run('getImportBatch', { id: r.batchId });
    expect(detail.batch).toMatchObject({ status: 'completed', phase: 'done', importedBy: 'kiosk', sellerId: 2, rowsImported: 1533, rowsPublished: 1533, ticketsCreated: 6341, lastLine: 1534 });
    expect(detail.byEvent.map((e) => [e.eventId, e.rows, e.tickets, e.ticketsAvailable])).toEqual([
      [107, 955, 3345, 3345],
      [162, 27, 67, 67],
      [164, 551, 2929, 2929],
    ]);
  });

  it('refuses the same file again for the same seller unless forced; another seller may import it', async () => {
    const before = (await totals(store));
    const e = await refusal(run('importTickets', { csv: SAMPLE, sellerId: 2 }));
    expect(e.code).toBe('DUPLICATE_IMPORT');
    expect(e.status).toBe(409);
    expect(e.details).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await totals(store))).toEqual(before);
    const dry = await run('importTickets', { csv: SAMPLE, sellerId: 2, dryRun: true });
    expect(dry.duplicateOf).toBe(e.details && (e.details as { batchId: number }).batchId);
    expect(dry.duplicateOf).toEqual(expect.any(Number));
    // The identical file for another seller is not a duplicate.
    const other = await run('importTickets', { csv: SAMPLE, sellerId: 3 });
    expect(other).toMatchObject({ ticketsCreated: 6341, duplicateOf: null });
    const forced = await run('importTickets', { csv: SAMPLE, sellerId: 2, force: true });
    expect(forced).toMatchObject({ status: 'completed', rowsImported: 1533 });
  });

  it('a dry run writes nothing at all', async () => {
    const before = (await totals(store));
    const r = await run('importTickets', { csv: fixture('every-problem.csv'), sellerId: 2, dryRun: true });
    expect(r).toMatchObject({ status: 'dry-run', batchId: null, rowsRead: 19, rowsImported: 2, rowsRejected: 17 });
    expect((await totals(store))).toEqual(before);
  });

  it('all-or-nothing imports nothing when a row is rejected, and keeps the failed batch with its rejected rows', async () => {
    const before = (await totals(store));
    const r = await run('importTickets', { csv: fixture('every-problem.csv'), sellerId: 4, mode: 'all-or-nothing', fileName: 'every-problem.csv' });
    expect(r).toMatchObject({ status: 'failed', rowsRead: 19, rowsImported: 0, ticketsCreated: 0, rowsRejected: 17 });
    expect(r.message).toBe('17 of 19 rows were rejected, so nothing was imported (all-or-nothing)');
    expect((await totals(store))).toEqual({ ...before, batches: before.batches + 1 });
    const detail = await run('getImportBatch', { id: r.batchId });
    expect(detail.batch).toMatchObject({ status: 'failed', failure: { code: 'rejected-rows' } });
    expect(detail.rejected[0]).toEqual({ line: 3, errors: ['event 999 does not exist'], cells: ['999', '101', '2', '42.00', 'A'] });
    expect(detail.rejected).toHaveLength(17);
    // A failed batch is no duplicate: the fixed file can be imported.
    const ok = await run('importTickets', { csv: fixture('duplicates.csv'), sellerId: 4, mode: 'all-or-nothing' });
    expect(ok).toMatchObject({ status: 'completed', rowsImported: 3 });
  });

  it('valid-rows mode imports the good rows and the rejected ones download as formula-safe CSV', async () => {
    const r = await run('importTickets', { csv: fixture('formula-cells.csv'), sellerId: 4, fileName: 'formula-cells.csv' });
    expect(r).toMatchObject({ status: 'completed', rowsImported: 1, rowsRejected: 1 });
    const file = await run('exportRejectedCsv', { id: r.batchId });
    expect(file.fileName).toBe('formula-cells-rejected.csv');
    expect(file.rows).toBe(1);
    const parsed = Papa.parse<string[]>(file.csv.trim()).data;
    expect(parsed).toEqual([
      ['line', 'problems', 'field1', 'field2', 'field3', 'field4', 'field5'],
      ['3', 'price "oops" is not a money amount such as 42.00', '107', "'+SUM(1)", '2', 'oops', "'@cmd"],
    ]);
  });

  it('rolls a batch back while none of its tickets is sold, and refuses once one is', async () => {
    const a = await run('importTickets', { csv: fixture('unicode.csv'), sellerId: 4 });
    const before = (await totals(store));
    const rolled = await run('rollbackImportBatch', { id: a.batchId });
    expect(rolled).toMatchObject({ id: a.batchId, status: 'rolled_back' });
    expect(rolled.rolledBackAt).not.toBeNull();
    expect((await totals(store))).toEqual({ ...before, listings: before.listings - 4, tickets: before.tickets - 8 });
    expect((await refusal(run('rollbackImportBatch', { id: a.batchId }))).code).toBe('CONFLICT');
    // Rolled back is not a duplicate: the same file imports again.
    const again = await run('importTickets', { csv: fixture('unicode.csv'), sellerId: 4 });
    const ticket = (await count(store, 'SELECT min(t.id) FROM tickets t JOIN listings l ON l.id = t.listing_id WHERE l.import_batch_id = ?', again.batchId));
    await run('sellTicket', { id: ticket });
    const e = await refusal(run('rollbackImportBatch', { id: again.batchId }));
    expect(e.code).toBe('CONFLICT');
    expect(e.details).toEqual({ id: again.batchId, ticketsNotAvailable: 1 });
    expect((await count(store, 'SELECT count(*) FROM listings WHERE import_batch_id = ?', again.batchId))).toBe(4);
    expect((await run('getImportBatch', { id: again.batchId })).ticketsNotAvailable).toBe(1);
  });

  it('lists batches with their files and who imported them', async () => {
    const list = await run('listImportBatches', { sellerId: 2 });
    expect(list.items.length).toBeGreaterThanOrEqual(2);
    expect(list.items[0]).toMatchObject({ sellerId: 2, sellerName: expect.any(String), importedBy: 'kiosk' });
    expect(list.items.some((b) => b.fileName === 'sampleTickets.csv')).toBe(true);
    const seeds = await run('listImportBatches', { status: 'completed', limit: 200 });
    expect(seeds.items.filter((b) => b.importedBy === 'seed').map((b) => b.fileName)).toContain('demo-seller-1.csv');
    const failed = await run('listImportBatches', { status: 'failed' });
    expect(failed.items.every((b) => b.status === 'failed')).toBe(true);
    expect(failed.items.length).toBeGreaterThan(0);
  });

  it('cancel stops at the next chunk and leaves nothing (by the cancel operation, as the UI does)', async () => {
    const rows = ['eventId,section,quantity,price,row'];
    for (let i = 0; i < 30000; i++) rows.push(`107,S${i % 40},2,10.00,${i % 30}`);
    const before = (await totals(store));
    let asked = false;
    const r = await importListings(store, {
      csv: rows.join('\n'),
      sellerId: 2,
      dryRun: false,
      force: false,
      clientRef: 'cancel-me',
      onProgress: (p) => {
        if (!asked && p.rowsRead > 0 && p.batchId !== null) {
          asked = true;
          void run('cancelImport', { id: p.batchId });
        }
      },
    });
    expect(r.status).toBe('cancelled');
    expect(r.rowsImported).toBe(0);
    expect((await totals(store))).toEqual({ ...before, batches: before.batches + 1 });
    const [batch] = (await run('listImportBatches', { clientRef: 'cancel-me' })).items;
    expect(batch).toMatchObject({ status: 'cancelled', failure: { code: 'cancelled' } });
    expect((await refusal(run('cancelImport', { id: batch!.id }))).code).toBe('CONFLICT');
  });

  it('an AbortSignal cancels too, even while publishing', async () => {
    const rows = ['eventId,section,quantity,price,row'];
    for (let i = 0; i < 20000; i++) rows.push(`164,S${i % 40},1,10.00,${i % 30}`);
    const before = (await totals(store));
    const abort = new AbortController();
    const r = await importListings(store, {
      csv: rows.join('\n'),
      sellerId: 3,
      dryRun: false,
      force: false,
      publishRows: 500,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.phase === 'publishing' && p.rowsPublished > 0) abort.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect((await totals(store))).toEqual({ ...before, batches: before.batches + 1 });
  });

  it('exports available tickets of an event, and orders, as formula-safe CSV', async () => {
    const a = await run('importTickets', { csv: 'eventId,section,quantity,price,row\n162,=HYPERLINK("x"),2,42.00,-1\n', sellerId: 4, force: true });
    expect(a.rowsImported).toBe(1);
    const file = await run('exportTicketsCsv', { eventId: 162 });
    const parsed = Papa.parse<Record<string, string>>(file.csv, { header: true, skipEmptyLines: true }).data;
    expect(file.rows).toBe(parsed.length);
    expect(file.rows).toBe((await count(store, `SELECT count(*) FROM tickets WHERE event_id = 162 AND status = 'available'`)));
    expect(parsed.filter((t) => t.section === `'=HYPERLINK("x")`).map((t) => t.row)).toEqual(["'-1", "'-1"]);
    expect(parsed.every((t) => t.eventId === '162' && t.status === 'available')).toBe(true);
    expect(file.fileName).toBe('tickets-event-162.csv');
    const none = await run('exportTicketsCsv', { from: '2000-01-01', to: '2000-01-02' });
    expect(none.rows).toBe(0);
    expect(none.csv.startsWith('ticketId,listingId,eventId,eventName')).toBe(true);
    const ticket = (await count(store, `SELECT min(id) FROM tickets WHERE event_id = 162 AND status = 'available'`));
    await run('sellTicket', { id: ticket });
    const orders = await run('exportOrdersCsv', { eventId: 162 });
    const lines = Papa.parse<Record<string, string>>(orders.csv, { header: true, skipEmptyLines: true }).data;
    expect(lines.map((l) => l.ticketId)).toContain(String(ticket));
    const today = new Date().toISOString().slice(0, 10);
    expect((await run('exportOrdersCsv', { from: today, to: today })).rows).toBeGreaterThanOrEqual(1);
    expect((await run('exportOrdersCsv', { to: '2000-01-01' })).rows).toBe(0);
  });
});

describe('the same pipeline over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await memoryStore({ seed: true }));
  });
  afterAll(async () => server.close());
  const postCsv = (query: string, body: string, path = '/api/v1/imports') =>
    server.api(`${path}?${query}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });

  it('POST /api/v1/imports keeps its contract: 201 {batchId,rowsRead,rowsImported,ticketsCreated,rejected}', async () => {
    const res = await postCsv('sellerId=3&dryRun=false&fileName=sampleTickets.csv', SAMPLE);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ batchId: expect.any(Number), rowsRead: 1533, rowsImported: 1533, ticketsCreated: 6341, rejected: [], rowsRejected: 0, mode: 'valid-rows' });
    const again = await postCsv('sellerId=3', SAMPLE);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('DUPLICATE_IMPORT');
    const list = (await (await server.api('/api/v1/imports?sellerId=3')).json()) as { items: { id: number; importedBy: string; fileName: string }[] };
    expect(list.items[0]).toMatchObject({ id: body.batchId, importedBy: expect.stringContaining('api'), fileName: 'sampleTickets.csv' });
    const detail = (await (await server.api(`/api/v1/imports/${body.batchId as number}`)).json()) as { byEvent: { eventId: number; rows: number }[] };
    expect(detail.byEvent.map((e) => [e.eventId, e.rows])).toEqual([
      [107, 955],
      [162, 27],
      [164, 551],
    ]);
  });

  it('a dry run with a user mapping in the query string, and the rejected rows with their lines', async () => {
    const csv = 'Event #,Where,How many,Cost,Row\r\n107,101,2,42.00,A\r\n999,101,2,42.00,A\r\n';
    const unmapped = await postCsv('dryRun=true', csv);
    expect(unmapped.status).toBe(400);
    const mapping = encodeURIComponent(JSON.stringify({ eventId: 'Event #', section: 'Where', quantity: 'How many', price: 'Cost' }));
    const res = await postCsv(`dryRun=true&mapping=${mapping}`, csv);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ batchId: null, dryRun: true, rowsRead: 2, rowsImported: 1, rejected: [{ line: 3, errors: ['event 999 does not exist'] }] });
  });

  it('previews the first rows with the detected delimiter and the suggested mapping', async () => {
    const res = await postCsv('rows=2', fixture('semicolon-decimal-comma.csv'), '/api/v1/imports/preview');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      delimiter: ';',
      linebreak: 'lf',
      encoding: 'utf-8',
      header: ['eventId', 'section', 'quantity', 'price', 'row'],
      suggestedMapping: { eventId: 'eventId', section: 'section', quantity: 'quantity', price: 'price', row: 'row' },
      missing: [],
      rows: [
        { line: 2, cells: ['107', '101', '2', '12,50', 'A'], values: { eventId: '107', section: '101', quantity: '2', price: '12,50', row: 'A' }, errors: [] },
        { line: 3, cells: ['162', 'GA', '1', '40', 'GA'], values: { eventId: '162', section: 'GA', quantity: '1', price: '40', row: 'GA' }, errors: [] },
      ],
    });
    const partial = await postCsv('', 'Show,section,quantity,price,row\n999,A,1,1,1\n', '/api/v1/imports/preview');
    expect(await partial.json()).toMatchObject({ missing: ['eventId'], rows: [{ line: 2, values: {}, errors: [] }] });
  });

  it('exports over GET with query filters', async () => {
    const res = await server.api('/api/v1/exports/tickets?eventId=164&status=available');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csv: string; rows: number };
    expect(body.rows).toBeGreaterThan(2929);
    expect(body.csv.split('\r\n')[0]).toBe('ticketId,listingId,eventId,eventName,startsAt,venue,section,row,seat,price,currency,status,sellerId,sellerName,importBatchId,sourceLine');
  });
});
