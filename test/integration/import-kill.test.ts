// SIGKILL a child process in the middle of a big import, reopen the database and check it: no
// listing or ticket of an incomplete batch, integrity ok, and the import can be run again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../electron/core/app-paths.js';
import { openDataDir } from '../../electron/core/boot.js';
import { importListings } from '../../electron/core/import/csv-import.js';

const CHILD = fileURLToPath(new URL('../fixtures/import/child-import.ts', import.meta.url));
const ROWS = 60000;
let tickets = 0;
let dir: string;
let csv: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-kill-'));
  csv = join(dir, 'big.csv');
  const lines = ['eventId,section,quantity,price,row'];
  for (let i = 0; i < ROWS; i++) {
    const q = 1 + (i % 4);
    tickets += q;
    lines.push(`${[107, 162, 164][i % 3]},S${i % 50},${q},${10 + (i % 90)}.50,${i % 25}`);
  }
  writeFileSync(csv, `${lines.join('\r\n')}\r\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the child until `when` says so, then SIGKILLs it; resolves once it is gone (reaped). */
function importAndKill(dataDir: string, when: (p: { phase: string; rowsRead: number; rowsPublished: number }) => boolean): Promise<{ killed: boolean; last: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, csv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let last = '';
    let killed = false;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        last = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!killed && when(JSON.parse(last) as { phase: string; rowsRead: number; rowsPublished: number })) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ killed: killed && signal === 'SIGKILL', last });
    });
  });
}

function inspect(dataDir: string) {
  const db = new SQLite(databaseFile(dataDir), { readonly: true });
  try {
    const one = (q: string) => db.prepare(q).pluck().get() as number | string;
    return {
      batch: db.prepare(`SELECT id, status, phase, failure_code FROM import_batches WHERE file_name = 'big.csv' ORDER BY id DESC LIMIT 1`).get() as
        | { id: number; status: string; phase: string; failure_code: string | null }
        | undefined,
      incompleteListings: one(`SELECT count(*) FROM listings l JOIN import_batches b ON b.id = l.import_batch_id WHERE b.status <> 'completed'`),
      incompleteTickets: one(`SELECT count(*) FROM tickets t JOIN listings l ON l.id = t.listing_id JOIN import_batches b ON b.id = l.import_batch_id WHERE b.status <> 'completed'`),
      staged: one('SELECT count(*) FROM import_staged_rows'),
      integrity: one('PRAGMA integrity_check'),
      foreignKeys: db.prepare('PRAGMA foreign_key_check').all().length,
      bigListings: one(`SELECT count(*) FROM listings l JOIN import_batches b ON b.id = l.import_batch_id WHERE b.file_name = 'big.csv'`),
      bigTickets: one(`SELECT count(*) FROM tickets t JOIN listings l ON l.id = t.listing_id JOIN import_batches b ON b.id = l.import_batch_id WHERE b.file_name = 'big.csv' AND b.status = 'completed'`),
    };
  } finally {
    db.close();
  }
}

describe('killing an import mid-way', () => {
  it('while staging: nothing of the batch is visible, the next open rolls it back, and the import can be rerun', async () => {
    const dataDir = join(dir, 'staging');
    (await openDataDir(dataDir)).store.close();
    const run = await importAndKill(dataDir, (p) => p.phase === 'staging' && p.rowsRead >= 15000);
    expect(run.killed).toBe(true);
    const crashed = inspect(dataDir);
    expect(crashed.batch).toMatchObject({ status: 'running', phase: 'staging' });
    expect(crashed.staged).toBeGreaterThan(0);
    // Staged rows are invisible: not one listing or ticket of the running batch exists.
    expect(crashed).toMatchObject({ incompleteListings: 0, incompleteTickets: 0, integrity: 'ok', foreignKeys: 0 });

    const { store } = await openDataDir(dataDir);
    const recovered = inspect(dataDir);
    expect(recovered.batch).toMatchObject({ id: crashed.batch!.id, status: 'failed', failure_code: 'interrupted' });
    expect(recovered).toMatchObject({ staged: 0, incompleteListings: 0, incompleteTickets: 0, integrity: 'ok', foreignKeys: 0, bigListings: 0 });

    const again = await importListings(store, { input: { file: csv }, sellerId: 2, dryRun: false, force: false, fileName: 'big.csv' });
    expect(again).toMatchObject({ status: 'completed', rowsImported: ROWS, ticketsCreated: tickets });
    await store.close();
    expect(inspect(dataDir)).toMatchObject({ bigListings: ROWS, bigTickets: tickets, staged: 0, integrity: 'ok' });
  });

  it('while publishing: the next open rolls it forward to the complete batch, and a rerun is a duplicate', async () => {
    const dataDir = join(dir, 'publishing');
    (await openDataDir(dataDir)).store.close();
    const run = await importAndKill(dataDir, (p) => p.phase === 'publishing' && p.rowsPublished >= 5000);
    expect(run.killed).toBe(true);
    const crashed = inspect(dataDir);
    expect(crashed.batch).toMatchObject({ status: 'running', phase: 'publishing' });
    expect(crashed).toMatchObject({ integrity: 'ok', foreignKeys: 0 });
    expect(crashed.staged).toBeGreaterThan(0);

    const { store } = await openDataDir(dataDir);
    const recovered = inspect(dataDir);
    expect(recovered.batch).toMatchObject({ id: crashed.batch!.id, status: 'completed', phase: 'done' });
    expect(recovered).toMatchObject({ staged: 0, incompleteListings: 0, incompleteTickets: 0, integrity: 'ok', foreignKeys: 0, bigListings: ROWS, bigTickets: tickets });
    // Every line once, in file order.
    const lines = new SQLite(databaseFile(dataDir), { readonly: true });
    const span = lines.prepare('SELECT count(DISTINCT source_line) AS n, min(source_line) AS lo, max(source_line) AS hi FROM listings WHERE import_batch_id = ?').get(crashed.batch!.id);
    lines.close();
    expect(span).toEqual({ n: ROWS, lo: 2, hi: ROWS + 1 });

    await expect(importListings(store, { input: { file: csv }, sellerId: 2, dryRun: false, force: false })).rejects.toMatchObject({ code: 'DUPLICATE_IMPORT' });
    await store.close();
  });
});
