// Issue 14, against a real `marquee serve` child process (its own memory, its own event loop):
// a burst of 10,000 bad tokens must not lock out the good one nor grow the server's memory without bound,
// and SIGTERM in the middle of a sell storm must finish or cleanly refuse every request, exit 0 and lose nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../electron/core/app-paths.js';
import { freePort } from '../free-port.js';
import { goodLatency } from './support/raw-client.js';

const SERVE = fileURLToPath(new URL('./support/serve-measured.ts', import.meta.url));
const TOKEN = 'hostile-serve-token-0123456789';
const MB = 1024 * 1024;

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  base: string;
  data: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  memory: () => Promise<NodeJS.MemoryUsage>;
  call: (method: string, path: string, json?: unknown, token?: string) => Promise<{ status: number; body: Record<string, unknown> }>;
}

async function serve(): Promise<Served> {
  const data = mkdtempSync(join(tmpdir(), 'marquee-hostile-'));
  dirs.push(data);
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SERVE, 'serve', '--port', String(port), '--data', data, '--empty'], {
    env: { ...process.env, MARQUEE_LOG: '0', MARQUEE_API_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 45_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('API:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error(`server exited: ${out} ${err}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const call: Served['call'] = async (method, path, json, token = TOKEN) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const memory = () =>
    new Promise<NodeJS.MemoryUsage>((resolve) => {
      child.once('message', (m) => resolve((m as { memory: NodeJS.MemoryUsage }).memory));
      child.send('memory');
    });
  return { child, base, data, stderr: () => err, exited, memory, call };
}

async function eventWithTickets(s: Served, quantity: number): Promise<number[]> {
  const venue = await s.call('POST', '/venues', { name: 'Proof Hall', city: 'Denver', country: 'US', timezone: 'America/Denver' });
  const event = await s.call('POST', '/events', { name: 'Proof Night', venueId: venue.body.id, startsAt: '2027-05-01T20:00:00-06:00' });
  const listing = await s.call('POST', '/tickets', { eventId: event.body.id, seller: { name: 'Proof Seller' }, section: 'A', row: '1', quantity, priceCents: 4200 });
  expect(listing.status).toBe(201);
  return (listing.body.tickets as { id: number }[]).map((t) => t.id);
}

const mb = (n: number) => Math.round((n / MB) * 10) / 10;

describe('marquee serve under a burst of bad tokens', () => {
  it('answers 10,000 bad tokens with 401, keeps the good token working, and its memory stays bounded', async () => {
    const s = await serve();
    await eventWithTickets(s, 10);
    const bad = (i: number) => (i % 3 === 0 ? TOKEN.slice(0, -1) : i % 3 === 1 ? `x${i}`.repeat(1 + (i % 400)) : `${TOKEN}${i}`);
    const burst = async (count: number, concurrency: number, onGood?: () => void) => {
      const statuses = new Map<number, number>();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < count; i = next++) {
            const r = await fetch(`${s.base}/api/v1/venues`, { headers: { authorization: `Bearer ${bad(i)}` } });
            await r.arrayBuffer();
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (i % 500 === 0) {
              expect((await s.call('GET', '/venues')).status).toBe(200);
              onGood?.();
            }
          }
        }),
      );
      return statuses;
    };
    await burst(500, 8); // warm-up: code paths compiled, statement caches filled, before the first measurement
    const before = await s.memory();
    const baseline = await goodLatency(s.base, 20, '/api/v1/venues', TOKEN);
    let goodDuring = 0;
    const storm = burst(10_000, 32, () => goodDuring++);
    const during = await goodLatency(s.base, 20, '/api/v1/venues', TOKEN);
    const statuses = await storm;
    const after = await s.memory();
    const afterLatency = await goodLatency(s.base, 20, '/api/v1/venues', TOKEN);
    console.log(
      [
        'marquee serve, 10,000 bad tokens (32 concurrent):',
        `  RSS ${mb(before.rss)} MB -> ${mb(after.rss)} MB (${mb(after.rss - before.rss)} MB); heapUsed ${mb(before.heapUsed)} MB -> ${mb(after.heapUsed)} MB (${mb(after.heapUsed - before.heapUsed)} MB)`,
        `  good GET /api/v1/venues: baseline median ${baseline.medianMs} ms (max ${baseline.maxMs}); during the burst median ${during.medianMs} ms (max ${during.maxMs}); after ${afterLatency.medianMs} ms`,
      ].join('\n'),
    );
    expect(statuses).toEqual(new Map([[401, 10_000]]));
    expect(goodDuring).toBe(20);
    expect(after.rss - before.rss).toBeLessThan(100 * MB);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(100 * MB);
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
  });
});

describe('marquee serve stopped (SIGTERM) during a sell storm', () => {
  it('finishes or refuses (503) each request, exits 0, and keeps every acknowledged sale', async () => {
    const s = await serve();
    const CLIENTS = 16;
    const ids = await eventWithTickets(s, 1200);
    const outcome = new Map<number, 'sold' | 'refused' | 'unknown'>();
    const unexpected: string[] = [];
    let acked = 0;
    let stopped = false;
    const client = async (k: number) => {
      // Each client sells its own tickets, so each outcome belongs to one request.
      for (let i = k; i < ids.length; i += CLIENTS) {
        const id = ids[i]!;
        try {
          const r = await s.call('PUT', `/tickets/${id}/sold`, {});
          if (r.status === 200) {
            outcome.set(id, 'sold');
            if (++acked === 150) {
              stopped = true;
              s.child.kill('SIGTERM');
            }
          } else if (r.status === 503 && (r.body.error as { code: string }).code === 'SHUTTING_DOWN') {
            outcome.set(id, 'refused');
          } else unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
        } catch (e) {
          // The connection was closed or refused: the server is gone. Its outcome is checked below.
          if (!stopped) throw e;
          outcome.set(id, 'unknown');
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
    const exit = await s.exited;
    console.log(`SIGTERM during sells: ${acked} acknowledged, ${[...outcome.values()].filter((o) => o === 'refused').length} refused with 503, ${[...outcome.values()].filter((o) => o === 'unknown').length} cut off; exit ${JSON.stringify(exit)}`);
    expect(stopped).toBe(true);
    expect(unexpected).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(s.stderr()).not.toMatch(/Error|at .*\.ts:\d+/);

    const db = new SQLite(databaseFile(s.data), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const status = db.prepare<[number], string>('SELECT status FROM tickets WHERE id = ?').pluck();
      const lines = db.prepare<[number], number>('SELECT count(*) FROM order_items WHERE ticket_id = ?').pluck();
      for (const [id, o] of outcome) {
        if (o === 'sold') expect([status.get(id), lines.get(id)]).toEqual(['sold', 1]);
        if (o === 'refused') expect([status.get(id), lines.get(id)]).toEqual(['available', 0]);
        if (o === 'unknown') expect(lines.get(id)).toBe(status.get(id) === 'sold' ? 1 : 0); // all or nothing
      }
      expect(db.prepare("SELECT count(*) FROM tickets WHERE status = 'sold'").pluck().get()).toBe(db.prepare('SELECT count(*) FROM order_items').pluck().get());
    } finally {
      db.close();
    }
  });
});
