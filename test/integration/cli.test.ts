import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../electron/cli/bin.mjs', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'marquee-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, MARQUEE_LOG: '0' } });

describe('marquee CLI', () => {
  it('--help lists every command and option', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const s of ['serve', '--port', '--host', '--data', '--empty', 'import FILE', '--seller', '--dry-run', 'seed', 'MARQUEE_API_TOKEN', 'MARQUEE_DATA_DIR']) {
      expect(r.stdout).toContain(s);
    }
    expect(run('frobnicate').status).toBe(2);
  });

  it('seeds demo data and imports the brief CSV into a data dir', () => {
    const data = tempDir();
    const seed = run('seed', '--data', data);
    expect(seed.status).toBe(0);
    const m = /Seeded (\d+) venues, (\d+) events, (\d+) listings, (\d+) tickets/.exec(seed.stdout);
    expect(m).not.toBeNull();
    const seeded = new SQLite(join(data, 'marquee.sqlite'), { readonly: true });
    const counts = ['venues', 'events', 'listings', 'tickets'].map((t) => seeded.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
    seeded.close();
    expect(m!.slice(1).map(Number)).toEqual(counts);
    expect(counts[1]).toBeGreaterThanOrEqual(27);
    expect(run('seed', '--data', data).status).toBe(1);
    const csv = fileURLToPath(new URL('sampleTickets.csv', SHARED_DATA));
    const dry = run('import', csv, '--data', data, '--seller', '2', '--dry-run');
    expect(dry.stdout).toContain('Dry run: would import 1533 of 1533 rows, 6341 tickets.');
    const imp = run('import', csv, '--data', data, '--seller', '2');
    expect(imp.status).toBe(0);
    expect(imp.stdout).toMatch(/Batch \d+: imported 1533 of 1533 rows, 6341 tickets\./);
    const again = run('import', csv, '--data', data, '--seller', '2');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already imported');
    const db = new SQLite(join(data, 'marquee.sqlite'), { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM listings WHERE seller_id=2 AND source='import'`).pluck().get()).toBe(1533);
    // the import is in the audit log (the dry run and the refused second import are not: they changed nothing)
    const audit = db.prepare(`SELECT * FROM audit_log WHERE terminal = 'cli'`).all() as { operation: string; subject: string; username: string; input_json: string; after_json: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ operation: 'importTickets', subject: expect.stringMatching(/^batch:\d+$/), username: expect.stringMatching(/^cli:/) });
    expect(JSON.parse(audit[0]!.input_json)).toMatchObject({ file: 'sampleTickets.csv', sellerId: 2 });
    expect(JSON.parse(audit[0]!.after_json)).toMatchObject({ rowsImported: 1533, ticketsCreated: 6341 });
    db.close();
  });

  it('serve starts on 127.0.0.1 with an empty store, prints the one-time link, and the link signs a browser in once', async () => {
    const data = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', data, '--empty'], { env: { ...process.env, MARQUEE_LOG: '0', MARQUEE_API_TOKEN: 'cli-test-token' } });
    try {
      let out = '';
      const link = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no link in: ${out}`)), 30_000);
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+)\/login\?code=\S+/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
      });
      expect(out).toContain('API token: from MARQUEE_API_TOKEN');
      const base = new URL(link).origin;
      const venues = await fetch(`${base}/api/v1/venues`, { headers: { authorization: 'Bearer cli-test-token' } });
      expect(await venues.json()).toEqual({ items: [] });
      const first = await fetch(link, { redirect: 'manual' });
      expect(first.status).toBe(303);
      const cookie = first.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const withCookie = await fetch(`${base}/api/v1/venues`, { headers: { cookie: cookie.split(';')[0]! } });
      expect(withCookie.status).toBe(200);
      const crossSite = await fetch(`${base}/api/v1/venues`, { headers: { cookie: cookie.split(';')[0]!, origin: 'http://evil.example' } });
      expect(crossSite.status).toBe(403);
      expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
