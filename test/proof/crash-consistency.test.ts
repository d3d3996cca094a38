// Crash consistency of the store (issue 14): one SQLite data file, reused across 50 runs of a mixed
// workload (test/proof/support/crash-workload.ts: sells, multi-ticket orders, sales of held seats, seat
// holds and releases, GA reservations and their cancellation, refunds, CSV imports, partner
// `order.created` events, reports) that is SIGKILLed at a random moment each time, like a kiosk that
// keeps crashing. After each kill the file is checked as it was left (raw better-sqlite3), then opened
// the way the app opens it (openDataDir: migrations, import recovery) and checked again:
//   - PRAGMA integrity_check = ok, PRAGMA foreign_key_check empty;
//   - every acknowledged write is there exactly as acknowledged (orders with their tickets and total,
//     refunds, holds, releases, reservations, import batches, partner events), and a write whose outcome
//     the workload could not know (killed in flight) happened whole or not at all;
//   - balances: no ticket in two live orders, sold tickets = live order lines, each order's lines and
//     payments sum to its total, held tickets = hold rows, a reservation holds exactly its quantity;
//   - an import batch is completed with all its rows or failed with none (after recovery: none left running);
//   - the audit log (append-only, no hash chain in this product): exactly one entry per sale, refund,
//     hold, reservation, cancellation and partner event, none without its write (entry and write
//     commit in one transaction, on the writer lane too);
//   - the next run can open the file and write (a sale by the checker itself, then the next run).
//
// CRASH_SEED=<n> replays a run's choices and kill times (the thread interleaving still varies); the seed
// is printed at the start and in every failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../electron/core/app-paths.js';
import { openDataDir } from '../../electron/core/boot.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { migrations } from '../../electron/core/store/sqlite/migrations/index.js';
import { mulberry32 } from '../../shared/prng.js';
import { buildCrashWorkload } from './support/crash-bundle.js';

const CYCLES = 50;
const MIGRATIONS = Object.keys(migrations).length;
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const SALE_OPS = `('sellTicket','createOrder','sellAny')`;

type End = 'none' | 'maybe' | 'yes';
interface Model {
  orders: Map<string, { ticketIds: number[]; totalCents: number; end: End; cycle: number }>;
  holds: Map<string, { ticketIds: number[]; end: End; cycle: number }>;
  reservations: Map<number, { ticketIds: number[]; quantity: number; end: End; cycle: number }>;
  imports: Map<number, { rows: number; tickets: number; fileName: string }>;
  partner: Map<string, { lines: number; totalCents: number }>;
}
const later = (a: End, b: End): End => (a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'none');

let base: string;
let dataDir: string;
let bundle: string;
beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'marquee-crash-'));
  dataDir = join(base, 'data');
  bundle = await buildCrashWorkload(join(base, 'bundle'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface ChildRun {
  lines: Record<string, unknown>[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
  readyAt: number | null;
  killedAt: number | null;
}

/**
 * Runs the bundled workload; `kill` = null lets it finish, else it is SIGKILLed `ms` after spawn
 * (`afterReady` false) or after it printed ready. Only complete lines count: a line cut by the kill
 * was never acknowledged.
 */
function runChild(args: string[], kill: { afterReady: boolean; ms: number } | null, env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MARQUEE_LOG: '0', ...env } });
    const out: ChildRun = { lines: [], exit: { code: null, signal: null }, stderr: '', readyAt: null, killedAt: null };
    let buf = '';
    const killNow = () => {
      if (out.killedAt !== null || child.exitCode !== null) return;
      out.killedAt = performance.now() - started;
      child.kill('SIGKILL');
    };
    if (kill && !kill.afterReady) setTimeout(killNow, kill.ms);
    // A run that never gets ready (or a setup that hangs) must not hang the suite.
    const guard = setTimeout(killNow, 20_000);
    child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        out.lines.push(line);
        if (line.ready === true && out.readyAt === null) {
          out.readyAt = performance.now() - started;
          if (kill?.afterReady) setTimeout(killNow, kill.ms);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      out.exit = { code, signal };
      resolve(out);
    });
  });
}

/**
 * Folds a run's lines into the model in two passes: what was made first, then what undid it. A
 * terminal can refund an order (or release a hold, cancel a reservation) that another terminal has
 * committed but not yet printed: its try line, even its ack, may come before the order's ack.
 */
function absorb(model: Model, lines: Record<string, unknown>[], cycle: number) {
  for (const l of lines) {
    if (l.ack === 'order') {
      model.orders.set(l.code as string, { ticketIds: [...(l.ticketIds as number[])].sort((a, b) => a - b), totalCents: l.totalCents as number, end: 'none', cycle });
    } else if (l.ack === 'hold') {
      model.holds.set(l.holder as string, { ticketIds: l.ticketIds as number[], end: 'none', cycle });
    } else if (l.ack === 'reserve') {
      model.reservations.set(l.id as number, { ticketIds: l.ticketIds as number[], quantity: l.quantity as number, end: 'none', cycle });
    } else if (l.ack === 'import') {
      model.imports.set(l.batchId as number, { rows: l.rows as number, tickets: l.tickets as number, fileName: l.fileName as string });
    } else if (l.ack === 'partner') {
      for (const e of l.events as { id: string; lines: number; totalCents: number }[]) model.partner.set(e.id, { lines: e.lines, totalCents: e.totalCents });
    }
  }
  for (const l of lines) {
    const end: End = l.ack ? 'yes' : 'maybe';
    if (l.ack === 'order') {
      const held = model.holds.get(l.holder as string);
      if (held) held.end = 'yes'; // the sale converted the hold
    } else if (l.try === 'refund' || l.ack === 'refund') {
      const o = model.orders.get(l.code as string);
      if (o) o.end = later(o.end, end);
    } else if (l.try === 'release' || l.try === 'sellHeld' || l.ack === 'release') {
      const h = model.holds.get(l.holder as string);
      if (h) h.end = later(h.end, end);
    } else if (l.try === 'cancelReservation' || l.ack === 'cancelReservation') {
      const r = model.reservations.get(l.id as number);
      if (r) r.end = later(r.end, end);
    }
  }
}

let integrityMs = 0;

interface Seen {
  /** Migrations applied (of MIGRATIONS); fewer = the kill landed while a new file was being made. */
  migrations: number;
  /** Import batches left running, by phase. */
  staging: number;
  publishing: number;
}

/**
 * Every property of the file; `recovered` = opened by the app since the kill (no import may still be
 * running). A file the kill left without its full schema (the first runs die in their migrations) can
 * hold nothing acknowledged: it is checked for integrity only.
 */
function check(file: string, model: Model, recovered: boolean, where: string, whole = !recovered): Seen {
  const seen: Seen = { migrations: 0, staging: 0, publishing: 0 };
  if (!existsSync(file)) {
    if (model.orders.size > 0) throw new Error(`${where}: the data file is gone`);
    return seen;
  }
  const db = new SQLite(file, { fileMustExist: true });
  const failures: string[] = [];
  const fail = (m: string) => failures.length < 20 && failures.push(m);
  try {
    const one = (q: string, ...p: unknown[]) => db.prepare(q).pluck().get(...p) as number | string | null;
    const zero = (what: string, q: string) => {
      const n = one(q) as number;
      if (n !== 0) fail(`${what}: ${n}`);
    };
    // The whole-file checks (most of the checking time) run on the file as the kill left it. After the
    // app's open they would check only its recovery and one sale, which the next kill's check covers.
    if (whole) {
      const t0 = performance.now();
      const integrity = db.pragma('integrity_check', { simple: true });
      integrityMs += performance.now() - t0;
      if (integrity !== 'ok') fail(`integrity_check: ${String(integrity)}`);
      const fk = db.pragma('foreign_key_check') as unknown[];
      if (fk.length > 0) fail(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
    }
    const hasMigrations = one(`SELECT count(*) FROM sqlite_master WHERE name = 'kysely_migration'`) === 1;
    seen.migrations = hasMigrations ? (one('SELECT count(*) FROM kysely_migration') as number) : 0;
    if (seen.migrations < MIGRATIONS) {
      if (recovered || model.orders.size > 0) fail(`only ${seen.migrations} of ${MIGRATIONS} migrations applied`);
      // Each migration commits whole: no table of a migration that is not recorded.
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]).sort();
      if (seen.migrations === 0 && tables.length > 0) fail(`no migration recorded, yet tables ${tables.join(', ')} exist`);
      if (failures.length > 0) throw new Error(`${where}:\n  ${failures.join('\n  ')}`);
      return seen;
    }

    // Balances over the whole file.
    zero('tickets in two live orders', 'SELECT count(*) FROM (SELECT ticket_id FROM order_items WHERE voided_at IS NULL GROUP BY ticket_id HAVING count(*) > 1)');
    const sold = one(`SELECT count(*) FROM tickets WHERE status = 'sold'`) as number;
    const live = one('SELECT count(*) FROM order_items WHERE voided_at IS NULL') as number;
    if (sold !== live) fail(`sold tickets ${sold} <> live order lines ${live}`);
    zero('live lines whose ticket is not sold', `SELECT count(*) FROM order_items i JOIN tickets t ON t.id = i.ticket_id WHERE i.voided_at IS NULL AND t.status <> 'sold'`);
    zero('live lines of an ended order', `SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.voided_at IS NULL AND o.status <> 'completed'`);
    zero('voided lines of a completed order', `SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.voided_at IS NOT NULL AND o.status = 'completed'`);
    zero('orders whose lines do not sum to the total', 'SELECT count(*) FROM orders o WHERE o.total_cents <> (SELECT coalesce(sum(price_cents), -1) FROM order_items WHERE order_id = o.id)');
    zero('orders whose payments do not sum to the total', 'SELECT count(*) FROM orders o WHERE o.total_cents <> (SELECT coalesce(sum(amount_cents), -1) FROM payments WHERE order_id = o.id)');
    zero('held tickets without a hold row', `SELECT count(*) FROM tickets t WHERE t.status = 'held' AND NOT EXISTS (SELECT 1 FROM seat_holds h WHERE h.ticket_id = t.id)`);
    zero('hold rows of a ticket not held', `SELECT count(*) FROM seat_holds h JOIN tickets t ON t.id = h.ticket_id WHERE t.status <> 'held'`);
    zero('active reservations not holding their quantity', `SELECT count(*) FROM reservations r WHERE r.status = 'active' AND r.quantity <> (SELECT count(*) FROM seat_holds WHERE reservation_id = r.id)`);
    zero('ended reservations still holding', `SELECT count(*) FROM reservations r WHERE r.status <> 'active' AND EXISTS (SELECT 1 FROM seat_holds WHERE reservation_id = r.id)`);

    // Imports: published whole or not at all.
    const batchQ = `SELECT b.id, b.status, b.phase, b.rows_imported, b.tickets_created,
        (SELECT count(*) FROM listings WHERE import_batch_id = b.id) AS listings,
        (SELECT count(*) FROM tickets t JOIN listings l ON l.id = t.listing_id WHERE l.import_batch_id = b.id) AS tickets
      FROM import_batches b`;
    for (const b of db.prepare(batchQ).all() as { id: number; status: string; phase: string; rows_imported: number; tickets_created: number; listings: number; tickets: number }[]) {
      if (b.status === 'completed') {
        if (b.listings !== b.rows_imported || b.tickets !== b.tickets_created) fail(`completed batch ${b.id}: ${b.listings}/${b.rows_imported} listings, ${b.tickets}/${b.tickets_created} tickets`);
      } else if (b.status === 'running') {
        if (b.phase === 'staging') seen.staging++;
        else seen.publishing++;
        if (recovered) fail(`batch ${b.id} still running after recovery`);
        else if (b.phase === 'staging' && b.listings > 0) fail(`batch ${b.id} is staging but ${b.listings} of its listings are visible`);
      } else if (b.listings > 0 || b.tickets > 0) fail(`${b.status} batch ${b.id} left ${b.listings} listings, ${b.tickets} tickets`);
    }
    if (recovered) zero('staged rows left after recovery', 'SELECT count(*) FROM import_staged_rows');

    // Audit: one entry per sale and per refund, none without its write.
    zero('orders without exactly one sale entry', `SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM audit_log a WHERE a.subject = 'order:' || o.code AND a.operation IN ${SALE_OPS}) <> 1`);
    zero('sale entries without their order', `SELECT count(*) FROM audit_log a WHERE a.operation IN ${SALE_OPS} AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.code = substr(a.subject, 7))`);
    zero('refunded orders without exactly one refund entry', `SELECT count(*) FROM orders o WHERE o.status = 'refunded' AND (SELECT count(*) FROM audit_log a WHERE a.subject = 'order:' || o.code AND a.operation = 'refundOrder') <> 1`);
    zero('refund entries of an order not refunded', `SELECT count(*) FROM audit_log a WHERE a.operation = 'refundOrder' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.code = substr(a.subject, 7) AND o.status = 'refunded')`);
    zero('audit entries not valid', `SELECT count(*) FROM audit_log WHERE NOT json_valid(input_json) OR (after_json IS NOT NULL AND NOT json_valid(after_json))`);

    // The same for the writes the writer lane group-commits (holds, reservations) and partner events:
    // entries counted per holder / reservation / partner event id, in one pass over the log.
    const entries = (op: string, key: (input: Record<string, unknown>) => unknown[]) => {
      const n = new Map<unknown, number>();
      for (const i of db.prepare('SELECT input_json FROM audit_log WHERE operation = ?').pluck().all(op) as string[]) {
        for (const k of key(JSON.parse(i) as Record<string, unknown>)) n.set(k, (n.get(k) ?? 0) + 1);
      }
      return n;
    };
    const holdEntries = entries('holdSeats', (i) => [i.holder]);
    for (const h of db.prepare(`SELECT DISTINCT holder FROM seat_holds WHERE reservation_id IS NULL`).pluck().all() as string[]) {
      if (holdEntries.get(h) !== 1) fail(`hold ${h} has ${holdEntries.get(h) ?? 0} audit entries`);
    }
    const reserveEntries = entries('reserveTickets', (i) => [i.holder]);
    const cancelEntries = entries('cancelReservation', (i) => [i.id]);
    const reservations = db.prepare('SELECT id, holder, status FROM reservations').all() as { id: number; holder: string; status: string }[];
    for (const r of reservations) {
      if (reserveEntries.get(r.holder) !== 1) fail(`reservation ${r.id} has ${reserveEntries.get(r.holder) ?? 0} audit entries`);
      if ((cancelEntries.get(r.id) ?? 0) !== (r.status === 'cancelled' ? 1 : 0)) fail(`${r.status} reservation ${r.id} has ${cancelEntries.get(r.id) ?? 0} cancel entries`);
    }
    const holders = new Set(reservations.map((r) => r.holder));
    for (const h of reserveEntries.keys()) if (!holders.has(h as string)) fail(`reserveTickets entry for ${String(h)} without its reservation`);
    const partnerEntries = entries('ingestOrderEvents', (i) => (i.events as { event_id: string }[]).map((e) => e.event_id));
    const partnerIds = db.prepare('SELECT event_id FROM partner_orders').pluck().all() as string[];
    for (const id of partnerIds) if (partnerEntries.get(id) !== 1) fail(`partner event ${id} has ${partnerEntries.get(id) ?? 0} audit entries`);
    const known = new Set(partnerIds);
    for (const id of partnerEntries.keys()) if (!known.has(id as string)) fail(`ingestOrderEvents entry for ${String(id)} without its partner order`);

    // Every acknowledged write, exactly as acknowledged.
    const orderQ = db.prepare<[string], { id: number; status: string; total_cents: number }>('SELECT id, status, total_cents FROM orders WHERE code = ?');
    const linesQ = db.prepare<[number], { ticket_id: number; voided: number }>('SELECT ticket_id, voided_at IS NOT NULL AS voided FROM order_items WHERE order_id = ? ORDER BY ticket_id');
    for (const [code, a] of model.orders) {
      const o = orderQ.get(code);
      if (!o) {
        fail(`acknowledged order ${code} (run ${a.cycle}) is missing`);
        continue;
      }
      const lines = linesQ.all(o.id);
      if (JSON.stringify(lines.map((l) => l.ticket_id)) !== JSON.stringify(a.ticketIds)) fail(`order ${code}: tickets ${JSON.stringify(lines.map((l) => l.ticket_id))}, acknowledged ${JSON.stringify(a.ticketIds)}`);
      if (o.total_cents !== a.totalCents) fail(`order ${code}: total ${o.total_cents}, acknowledged ${a.totalCents}`);
      const allowed = a.end === 'none' ? ['completed'] : a.end === 'yes' ? ['refunded'] : ['completed', 'refunded'];
      if (!allowed.includes(o.status)) fail(`order ${code} is ${o.status}; expected ${allowed.join(' or ')}`);
    }
    const holdQ = db.prepare<[string], number>('SELECT ticket_id FROM seat_holds WHERE holder = ? ORDER BY ticket_id').pluck();
    for (const [holder, h] of model.holds) {
      const rows = holdQ.all(holder);
      const whole = JSON.stringify(rows) === JSON.stringify(h.ticketIds);
      const ok = h.end === 'none' ? whole : h.end === 'yes' ? rows.length === 0 : whole || rows.length === 0;
      if (!ok) fail(`hold ${holder} (run ${h.cycle}, ended: ${h.end}): holds ${JSON.stringify(rows)}, acknowledged ${JSON.stringify(h.ticketIds)}`);
    }
    const resQ = db.prepare<[number], { status: string; quantity: number }>('SELECT status, quantity FROM reservations WHERE id = ?');
    const resHolds = db.prepare<[number], number>('SELECT ticket_id FROM seat_holds WHERE reservation_id = ? ORDER BY ticket_id').pluck();
    for (const [id, r] of model.reservations) {
      const row = resQ.get(id);
      const held = resHolds.all(id);
      const active = row?.status === 'active' && row.quantity === r.quantity && JSON.stringify(held) === JSON.stringify(r.ticketIds);
      const cancelled = row?.status === 'cancelled' && held.length === 0;
      const ok = r.end === 'none' ? active : r.end === 'yes' ? cancelled : active || cancelled;
      if (!ok) fail(`reservation ${id} (run ${r.cycle}, ended: ${r.end}): ${JSON.stringify(row)} holding ${JSON.stringify(held)}, acknowledged ${JSON.stringify(r.ticketIds)}`);
    }
    const batchById = db.prepare<[number], { status: string; rows_imported: number; tickets_created: number; file_name: string }>('SELECT status, rows_imported, tickets_created, file_name FROM import_batches WHERE id = ?');
    for (const [id, b] of model.imports) {
      const row = batchById.get(id);
      if (!row || row.status !== 'completed' || row.rows_imported !== b.rows || row.tickets_created !== b.tickets || row.file_name !== b.fileName) {
        fail(`acknowledged import batch ${id} (${b.fileName}, ${b.rows} rows): ${JSON.stringify(row)}`);
      }
    }
    const partnerQ = db.prepare<[string], { total_cents: number; items: number; raw: number }>(
      'SELECT p.total_cents, (SELECT count(*) FROM partner_order_items WHERE partner_order_id = p.id) AS items, (SELECT count(*) FROM partner_order_events WHERE partner_order_id = p.id) AS raw FROM partner_orders p WHERE p.event_id = ?',
    );
    for (const [id, e] of model.partner) {
      const row = partnerQ.get(id);
      if (!row || row.total_cents !== e.totalCents || row.items !== e.lines || row.raw !== 1) fail(`acknowledged partner event ${id}: ${JSON.stringify(row)}, acknowledged ${JSON.stringify(e)}`);
    }
  } finally {
    db.close();
  }
  if (failures.length > 0) throw new Error(`${where}:\n  ${failures.join('\n  ')}`);
  return seen;
}

describe('crash consistency: SIGKILL at random points of a mixed workload, 50 times on one file', () => {
  it('keeps every acknowledged write, balanced and intact, and opens and writes after each kill', { timeout: 240_000 }, async () => {
    console.log(`crash-consistency: CRASH_SEED=${SEED}`);
    const started = performance.now();
    const rand = mulberry32(SEED);
    const model: Model = { orders: new Map(), holds: new Map(), reservations: new Map(), imports: new Map(), partner: new Map() };
    const file = databaseFile(dataDir);
    const stats = { beforeReady: 0, inMigrations: 0, inStaging: 0, inPublishing: 0, acks: 0, maxAcks: 0, recoveredByChild: 0 };
    const ms = { child: 0, ready: 0, check: 0, reopen: 0 };
    let t = performance.now();
    const lap = (k: keyof typeof ms) => {
      const now = performance.now();
      ms[k] += now - t;
      t = now;
    };
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      let where = `CRASH_SEED=${SEED} run ${cycle}`;
      // The first three runs start on a new file and are killed while they make it (migrations, the
      // venue and events); later, one kill in eight lands while the child starts (opening, recovering
      // imports); the rest 20–800 ms into the workload.
      const early = cycle <= 3 || rand() < 0.125;
      const kill = early ? { afterReady: false, ms: 30 + Math.floor(rand() * (cycle <= 3 ? 1500 : 400)) } : { afterReady: true, ms: 20 + Math.floor(rand() * 780) };
      t = performance.now();
      // The first two also kill themselves at a chosen schema statement of the new file's migrations
      // (115 in all), unless the timer comes first.
      const env: Record<string, string> = cycle <= 2 ? { CRASH_KILL_AT_DDL: String(1 + Math.floor(rand() * (cycle === 1 ? 115 : 40))) } : {};
      const run = await runChild(['run', dataDir, String(SEED), String(cycle)], kill, env);
      lap('child');
      ms.ready += run.readyAt ?? 0;
      if (env.CRASH_KILL_AT_DDL) where += ` (CRASH_KILL_AT_DDL=${env.CRASH_KILL_AT_DDL})`;
      if (run.exit.signal !== 'SIGKILL') throw new Error(`${where}: the workload ended by itself (${JSON.stringify(run.exit)}): ${run.stderr}`);
      if (run.readyAt === null) stats.beforeReady++;
      const acks = run.lines.filter((l) => l.ack !== undefined).length;
      stats.acks += acks;
      stats.maxAcks = Math.max(stats.maxAcks, acks);
      absorb(model, run.lines, cycle);

      // The file as the kill left it (opening it replays the WAL, as any next start would).
      t = performance.now();
      const seen = check(file, model, false, `${where}, as killed ${Math.round(run.killedAt ?? 0)} ms after start (${run.readyAt === null ? 'before ready' : `ready at ${Math.round(run.readyAt)} ms`})`);
      if (seen.migrations < MIGRATIONS) stats.inMigrations++;
      stats.inStaging += seen.staging;
      stats.inPublishing += seen.publishing;

      lap('check');
      // Most runs the app opens it here (migrations, import recovery) and sells; after the first three
      // and every third run the next child does that itself, so kills land in its migrations and recovery too.
      if ((cycle <= 3 || cycle % 3 === 0) && cycle < CYCLES) {
        stats.recoveredByChild++;
        continue;
      }
      const { store } = await openDataDir(dataDir, { empty: true });
      try {
        const ctx = { store, channel: 'kiosk' as const, version: 'crash-check' };
        const ticket = await store.reader.selectFrom('tickets').select('id').where('status', '=', 'available').where('section', '=', 'GA').orderBy('id').executeTakeFirst();
        if (ticket) {
          const sale = await invoke(ctx, FULL_ACCESS, 'sellTicket', { id: ticket.id });
          model.orders.set(sale.order.code, { ticketIds: [ticket.id], totalCents: sale.order.totalCents, end: 'none', cycle });
        }
        await invoke(ctx, FULL_ACCESS, 'reportRevenue', {});
      } finally {
        await store.close();
      }
      lap('reopen');
      check(file, model, true, `${where}, after the app opened it`, cycle === CYCLES);
      lap('check');
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `crash-consistency: ${CYCLES} kills in ${seconds.toFixed(1)} s (${stats.beforeReady} before ready, ${stats.inMigrations} with the schema unfinished, ` +
        `imports left running: ${stats.inStaging} staging, ${stats.inPublishing} publishing; ${stats.recoveredByChild} recovered by the next run), ` +
        `${stats.acks} acknowledged writes (at most ${stats.maxAcks} in one run); model: ${model.orders.size} orders, ${model.holds.size} holds, ` +
        `${model.reservations.size} reservations, ${model.imports.size} imports, ${model.partner.size} partner events; ms spent: ${JSON.stringify(Object.fromEntries(Object.entries({ ...ms, integrity: integrityMs }).map(([k, v]) => [k, Math.round(v)])))}`,
    );
    // The kills really landed in the middle of things: writes were acknowledged in most runs, and some
    // runs died before they were ready.
    expect(stats.acks).toBeGreaterThan(CYCLES * 5);
    expect(model.imports.size).toBeGreaterThan(0);
    expect(stats.beforeReady).toBeGreaterThan(0);
  });
});
