// Import speed and memory: the pipeline against a bare baseline measured in the same run.
// Each side runs in its own child process on its own fresh database file, so peak RSS is its own.
// Called by bench/run.ts as benchImport(opts); runnable alone: node --import tsx bench/import-bench.ts [rows]
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { importListings } from '../electron/core/import/csv-import.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import { seedDemoData } from '../electron/core/seed/demo-data.js';
import { parseMoneyToCents } from '../shared/money.js';

export interface ImportBenchOptions {
  /** Data rows in the generated file (default 1,000,000). */
  rows?: number;
  /** Keep the temp dir (file and databases) for inspection. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface ImportBenchResult {
  rows: number;
  tickets: number;
  fileMb: number;
  seconds: number;
  rowsPerSec: number;
  baselineSeconds: number;
  baselineRowsPerSec: number;
  /** rowsPerSec / baselineRowsPerSec (the target is >= 0.5). */
  ratio: number;
  peakRssMb: number;
  baselinePeakRssMb: number;
  /** Longest event-loop wait during the pipeline's import (informational; OS scheduling included). */
  maxEventLoopDelayMs: number;
  /** CPU seconds of each child process (seed included), steadier than wall time on a busy machine. */
  cpuSeconds: number;
  baselineCpuSeconds: number;
}

const EVENTS = [107, 162, 164];
const SECTIONS = ['998', '406', 'GA', 'P P', '101', 'ORCH', 'Parterre Général', '東スタンド'];
const ROWS = ['GA', '3', '08', '11/12', 'A', 'PIT'];

/** A file shaped like the brief's (CRLF, same header, 1–8 tickets per row) with quoted fields now and then. */
export async function writeBenchCsv(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  let tickets = 0;
  let buf = 'eventId,section,quantity,price,row\r\n';
  for (let i = 0; i < rows; i++) {
    const q = 1 + Math.floor(rnd() * 8);
    tickets += q;
    const section = SECTIONS[Math.floor(rnd() * SECTIONS.length)]!;
    buf += `${EVENTS[i % 3]},${i % 50 === 0 ? `"${section}"` : section},${q},${20 + Math.floor(rnd() * 200)}.${rnd() < 0.5 ? '00' : '50'},${ROWS[i % ROWS.length]}\r\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return tickets;
}

async function freshStore(file: string) {
  const store = await openStore({ file });
  await seedDemoData(store, new Date('2026-11-21T12:00:00Z'));
  return store;
}

/** The bare baseline: papaparse stream + prepared inserts in large transactions, no validation. */
async function baseline(csvFile: string, dbFile: string): Promise<{ seconds: number; rows: number }> {
  const store = await freshStore(dbFile);
  const db = store.writerRaw;
  const now = new Date().toISOString();
  const batchId = Number(
    db.prepare(`INSERT INTO import_batches (seller_id, sha256, status, created_at) VALUES (1, ?, 'running', ?)`).run('0'.repeat(64), now).lastInsertRowid,
  );
  const insL = db.prepare(
    `INSERT INTO listings (event_id, seller_id, section, row, quantity, price_cents, currency, source, import_batch_id, source_line, created_at) VALUES (?, 1, ?, ?, ?, ?, 'USD', 'import', ?, ?, ?)`,
  );
  const insT = db.prepare(`INSERT INTO tickets (listing_id, event_id, seller_id, section, row, seat, price_cents, currency, updated_at) VALUES (?, ?, 1, ?, ?, NULL, ?, 'USD', ?)`);
  const t0 = performance.now();
  let rows = 0;
  let pending: string[][] = [];
  const flush = db.transaction((batch: string[][]) => {
    for (const c of batch) {
      const q = Number(c[2]);
      const price = parseMoneyToCents(c[3]!)!;
      const id = insL.run(Number(c[0]), c[1], c[4], q, price, batchId, rows, now).lastInsertRowid;
      for (let k = 0; k < q; k++) insT.run(id, Number(c[0]), c[1], c[4], price, now);
    }
  });
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
        pending.push(r.data);
        if (pending.length === 50000) {
          flush(pending);
          pending = [];
        }
      },
      complete: () => {
        flush(pending);
        resolve();
      },
      error: reject,
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  return { seconds, rows };
}

async function pipeline(csvFile: string, dbFile: string): Promise<{ seconds: number; rows: number; tickets: number; maxEventLoopDelayMs: number }> {
  const store = await freshStore(dbFile);
  // Informational: the longest the event loop waited during the import (includes OS scheduling on a busy machine).
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const r = await importListings(store, { input: { file: csvFile }, sellerId: 1, dryRun: false, force: false, fileName: 'bench.csv', importedBy: 'bench' });
  const seconds = (performance.now() - t0) / 1000;
  delay.disable();
  const maxEventLoopDelayMs = Math.round(delay.max / 1e6);
  if (r.status !== 'completed' || r.rowsRejected !== 0) throw new Error(`bench import failed: ${r.status} ${r.message}`);
  await store.close();
  return { seconds, rows: r.rowsImported, tickets: r.ticketsCreated, maxEventLoopDelayMs };
}

type ChildResult = { seconds: number; rows: number; peakRssMb: number; cpuSeconds: number; maxEventLoopDelayMs?: number };
function runChild(kind: 'baseline' | 'pipeline', csvFile: string, dbFile: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, csvFile, dbFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${kind} child exited ${code}: ${out}`));
      resolve(JSON.parse(last) as ChildResult);
    });
  });
}

export async function benchImport(opts: ImportBenchOptions = {}): Promise<ImportBenchResult> {
  const rows = opts.rows ?? 1_000_000;
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-import-bench-'));
  try {
    const csvFile = join(dir, 'listings.csv');
    const tickets = await writeBenchCsv(csvFile, rows);
    const fileMb = statSync(csvFile).size / 1048576;
    log(`import bench: ${rows} rows, ${tickets} tickets, ${fileMb.toFixed(1)} MB`);
    const base = await runChild('baseline', csvFile, join(dir, 'baseline.db'));
    log(`  baseline: ${base.seconds.toFixed(1)} s (${base.cpuSeconds} s CPU), peak RSS ${base.peakRssMb} MB`);
    const pipe = await runChild('pipeline', csvFile, join(dir, 'pipeline.db'));
    log(`  pipeline: ${pipe.seconds.toFixed(1)} s (${pipe.cpuSeconds} s CPU), peak RSS ${pipe.peakRssMb} MB`);
    if (base.rows !== rows || pipe.rows !== rows) throw new Error(`row counts differ: baseline ${base.rows}, pipeline ${pipe.rows}, file ${rows}`);
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
      peakRssMb: pipe.peakRssMb,
      baselinePeakRssMb: base.peakRssMb,
      maxEventLoopDelayMs: pipe.maxEventLoopDelayMs ?? -1,
      cpuSeconds: pipe.cpuSeconds,
      baselineCpuSeconds: base.cpuSeconds,
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, kind, csvFile, dbFile] = args;
    const r = kind === 'baseline' ? await baseline(csvFile!, dbFile!) : await pipeline(csvFile!, dbFile!);
    const usage = process.resourceUsage();
    const peakRssMb = Math.round(usage.maxRSS / 1024);
    // CPU seconds of the whole child (seed included): steadier than wall time on a shared machine.
    const cpuSeconds = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1e4) / 100;
    process.stdout.write(`${JSON.stringify({ ...r, peakRssMb, cpuSeconds })}\n`);
  } else {
    const result = await benchImport({ rows: args[0] ? Number(args[0]) : undefined, log: (l) => process.stderr.write(`${l}\n`) });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
}
