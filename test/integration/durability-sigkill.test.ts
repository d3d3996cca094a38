import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../electron/core/app-paths.js';
import { freePort } from '../free-port.js';

const BIN = fileURLToPath(new URL('../../electron/cli/bin.mjs', import.meta.url));
const TOKEN = 'durability-test-token';
const TICKETS = 1500;
const CLIENTS = 48;
/** The kill comes after this many acknowledged sales, with the storm still running. */
const KILL_AFTER_ACKS = 300;

const dirs: string[] = [];
let child: ChildProcess | null = null;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});


describe('durability: SIGKILL in the middle of a sell storm', () => {
  it('keeps every acknowledged order, sells no ticket twice, and leaves an intact database', async () => {
    const data = mkdtempSync(join(tmpdir(), 'marquee-sigkill-'));
    dirs.push(data);
    const port = await freePort();
    const server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data', data, '--empty'], {
      env: { ...process.env, MARQUEE_LOG: '0', MARQUEE_API_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    const exited = new Promise<NodeJS.Signals | null>((r) => server.once('exit', (_code, signal) => r(signal)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('API:')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', () => reject(new Error(`server exited: ${out}`)));
    });

    const base = `http://127.0.0.1:${port}/api/v1`;
    const call = async (method: string, path: string, json?: unknown) => {
      const res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const venue = await call('POST', '/venues', { name: 'Crash Hall', city: 'Denver', country: 'US', timezone: 'America/Denver' });
    const event = await call('POST', '/events', { name: 'Crash Night', venueId: venue.body.id, startsAt: '2027-05-01T20:00:00-06:00' });
    const listing = await call('POST', '/tickets', { eventId: event.body.id, seller: { name: 'Crash Seller' }, section: 'A', row: '1', quantity: TICKETS, priceCents: 4200 });
    const ids = (listing.body.tickets as { id: number }[]).map((t) => t.id);
    expect(ids).toHaveLength(TICKETS);

    // Clients race for random tickets (so many lose with 409) with single sales and two-ticket orders.
    const acked: { code: string; ticketIds: number[] }[] = [];
    let rejected409 = 0;
    let brokenAfterKill = 0;
    let killed = false;
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = () => ids[Math.floor(rand() * ids.length)]!;
    const client = async () => {
      for (;;) {
        try {
          const r = rand() < 0.7 ? await call('PUT', `/tickets/${pick()}/sold`, {}) : await call('POST', '/orders', { ticketIds: [...new Set([pick(), pick()])] });
          if (r.status === 200 || r.status === 201) {
            const order = r.body.order as { code: string; ticketIds: number[] };
            acked.push({ code: order.code, ticketIds: order.ticketIds });
            if (acked.length === KILL_AFTER_ACKS && !killed) {
              killed = true;
              server.kill('SIGKILL');
            }
          } else if (r.status === 409) rejected409++;
          else throw new Error(`unexpected ${r.status}: ${JSON.stringify(r.body)}`);
        } catch (err) {
          if (!killed) throw err;
          brokenAfterKill++; // requests in flight when the process died: their outcome is unknown to the client
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    expect(await exited).toBe('SIGKILL');
    expect(killed).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(brokenAfterKill).toBeGreaterThan(0); // the kill really landed mid-storm
    expect(rejected409).toBeGreaterThan(0);

    // Reopen the file as the next start would (WAL recovery) and check what survived.
    const db = new SQLite(databaseFile(data));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const orderByCode = db.prepare<[string], { id: number }>('SELECT id FROM orders WHERE code = ?');
      const lines = db.prepare<[number], number>('SELECT ticket_id FROM order_items WHERE order_id = ? ORDER BY ticket_id').pluck();
      const status = db.prepare<[number], string>('SELECT status FROM tickets WHERE id = ?').pluck();
      for (const a of acked) {
        const order = orderByCode.get(a.code);
        expect(order, `acknowledged order ${a.code} is missing`).toBeDefined();
        expect(lines.all(order!.id)).toEqual([...a.ticketIds].sort((x, y) => x - y));
        for (const t of a.ticketIds) expect(status.get(t)).toBe('sold');
      }
      const soldTwice = db.prepare('SELECT count(*) FROM (SELECT ticket_id FROM order_items GROUP BY ticket_id HAVING count(*) > 1)').pluck().get();
      expect(soldTwice).toBe(0);
      // every sold ticket has exactly one order line and every line's ticket is sold: no half-written sale
      const sold = db.prepare("SELECT count(*) FROM tickets WHERE status = 'sold'").pluck().get() as number;
      expect(db.prepare('SELECT count(*) FROM order_items').pluck().get()).toBe(sold);
      expect(db.prepare("SELECT count(*) FROM order_items i JOIN tickets t ON t.id = i.ticket_id WHERE t.status <> 'sold'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)').pluck().get()).toBe(0);
      expect(sold).toBeGreaterThanOrEqual(acked.reduce((n, a) => n + a.ticketIds.length, 0));
    } finally {
      db.close();
    }
  });
});
