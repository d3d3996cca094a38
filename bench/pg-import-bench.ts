// The CSV import on PostgreSQL against a bare COPY of the same rows, each on its own fresh database
// of the bench's server, measured in the same run (bench/pg-bench.ts calls benchPgImport).
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { importListings } from '../electron/core/import/csv-import.js';
import { openPgStore } from '../electron/core/store/postgres/pg-store.js';
import { seedDemoData } from '../electron/core/seed/demo-data.js';
import { parseMoneyToCents } from '../shared/money.js';
import type { PostgresServer } from '../test/support/postgres-server.js';
import { writeBenchCsv } from './import-bench.js';

export interface PgImportResult {
  rows: number;
  tickets: number;
  fileMb: number;
  seconds: number;
  rowsPerSec: number;
  baselineSeconds: number;
  baselineRowsPerSec: number;
  /** rowsPerSec / baselineRowsPerSec. */
  ratio: number;
  /** Listings and tickets in each database afterwards (must be equal). */
  counts: { pipeline: { listings: number; tickets: number }; baseline: { listings: number; tickets: number } };
}

async function seeded(url: string): Promise<void> {
  const store = await openPgStore({ url, max: 2 });
  try {
    await seedDemoData(store, new Date('2026-11-21T12:00:00Z'));
  } finally {
    await store.close();
  }
}

async function counts(url: string, batchSource: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const listings = Number((await c.query<{ n: number }>('SELECT count(*) AS n FROM listings WHERE source = $1', [batchSource])).rows[0]!.n);
    const tickets = Number((await c.query<{ n: number }>('SELECT count(*) AS n FROM tickets t JOIN listings l ON l.id = t.listing_id WHERE l.source = $1', [batchSource])).rows[0]!.n);
    return { listings, tickets };
  } finally {
    await c.end();
  }
}

const copyText = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/**
 * The bare baseline: papaparse stream → one COPY of every row into listings (no validation), then
 * the tickets in one INSERT … SELECT over generate_series, one transaction, synchronous_commit on.
 */
async function bareCopy(url: string, csvFile: string): Promise<{ seconds: number; rows: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const seller = Number((await c.query<{ id: number }>('SELECT min(id) AS id FROM sellers')).rows[0]!.id);
    const t0 = performance.now();
    await c.query('BEGIN');
    const now = new Date().toISOString();
    const batchId = Number(
      (await c.query<{ id: number }>("INSERT INTO import_batches (seller_id, sha256, status, created_at) VALUES ($1, $2, 'running', $3) RETURNING id", [seller, '0'.repeat(64), now])).rows[0]!.id,
    );
    let rows = 0;
    const lines = new Readable({ read() {} });
    const copy = c.query(copyFrom('COPY listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, import_batch_id, source_line, created_at) FROM STDIN'));
    const done = pipeline(lines, copy);
    let buf = '';
    await new Promise<void>((resolve, reject) => {
      let header = true;
      Papa.parse<string[]>(createReadStream(csvFile, { highWaterMark: 1 << 20 }) as unknown as File, {
        skipEmptyLines: true,
        step: (r) => {
          if (header) {
            header = false;
            return;
          }
          rows++;
          const x = r.data;
          buf += `${x[0]}\t${seller}\t${copyText(x[1]!)}\t${copyText(x[4]!)}\t${x[2]}\t${parseMoneyToCents(x[3]!)}\tUSD\timport\t${batchId}\t${rows + 1}\t${now}\n`;
          if (buf.length > 1 << 20) {
            lines.push(buf);
            buf = '';
          }
        },
        complete: () => resolve(),
        error: reject,
      });
    });
    lines.push(buf);
    lines.push(null);
    await done;
    await c.query(
      `INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, status, updated_at)
       SELECT l.id, l.event_id, l.seller_id, l.section, l.row, NULL, l.price_cents, l.currency, 'available', $2
       FROM listings l, generate_series(1, l.quantity) u WHERE l.import_batch_id = $1 ORDER BY l.id, u`,
      [batchId, now],
    );
    await c.query("UPDATE import_batches SET status = 'completed' WHERE id = $1", [batchId]);
    await c.query('COMMIT');
    return { seconds: (performance.now() - t0) / 1000, rows };
  } finally {
    await c.end();
  }
}

async function pipelineImport(url: string, csvFile: string): Promise<{ seconds: number; rows: number; tickets: number }> {
  const store = await openPgStore({ url, max: 4 });
  try {
    const t0 = performance.now();
    const r = await importListings(store, { input: { file: csvFile }, sellerId: 1, dryRun: false, force: false, fileName: 'bench.csv', importedBy: 'bench' });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 'completed' || r.rowsRejected !== 0) throw new Error(`PostgreSQL bench import failed: ${r.status} ${r.message}`);
    return { seconds, rows: r.rowsImported, tickets: r.ticketsCreated };
  } finally {
    await store.close();
  }
}

export async function benchPgImport(server: PostgresServer, rows: number, log: (l: string) => void): Promise<PgImportResult> {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-pg-import-'));
  try {
    const csvFile = join(dir, 'listings.csv');
    const tickets = await writeBenchCsv(csvFile, rows);
    const fileMb = statSync(csvFile).size / 1048576;
    const baseUrl = await server.createDatabase('import_baseline');
    const pipeUrl = await server.createDatabase('import_pipeline');
    await seeded(baseUrl);
    await seeded(pipeUrl);
    const base = await bareCopy(baseUrl, csvFile);
    log(`  bare COPY: ${base.seconds.toFixed(1)} s`);
    const pipe = await pipelineImport(pipeUrl, csvFile);
    log(`  pipeline: ${pipe.seconds.toFixed(1)} s`);
    if (base.rows !== rows || pipe.rows !== rows) throw new Error(`row counts differ: baseline ${base.rows}, pipeline ${pipe.rows}, file ${rows}`);
    const c = { pipeline: await counts(pipeUrl, 'import'), baseline: await counts(baseUrl, 'import') };
    if (c.pipeline.tickets !== tickets || c.baseline.tickets !== tickets) throw new Error(`ticket counts differ: ${JSON.stringify(c)}, file ${tickets}`);
    await server.dropDatabase('import_baseline');
    await server.dropDatabase('import_pipeline');
    const rowsPerSec = Math.round(rows / pipe.seconds);
    const baselineRowsPerSec = Math.round(rows / base.seconds);
    return {
      rows,
      tickets,
      fileMb: Math.round(fileMb * 10) / 10,
      seconds: Math.round(pipe.seconds * 100) / 100,
      rowsPerSec,
      baselineSeconds: Math.round(base.seconds * 100) / 100,
      baselineRowsPerSec,
      ratio: Math.round((rowsPerSec / baselineRowsPerSec) * 100) / 100,
      counts: c,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
