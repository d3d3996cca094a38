import SQLite from 'better-sqlite3';
import { completeAuditRow, type AuditTemplate } from '../electron/core/store/contract/audit-row.js';
import { insertWithFreshCode } from '../electron/core/store/sqlite/sell.js';
import { configure } from '../electron/core/store/sqlite/database.js';
import { insertAuditSync } from '../electron/core/store/sqlite/audit-insert.js';
import { sellStatements } from '../electron/core/store/sqlite/sell-fast-path.js';
import { walkInCardSale } from './baselines.js';

export interface SaleAnatomy {
  sales: number;
  groupSize: number;
  perSecond: number;
  /** µs per sale for each step of what the writer lane does for one sale. */
  parts: { step: string; us: number }[];
}

/**
 * What one sale costs the writer lane, step by step: the same prepared statements, audit row and
 * COMMIT (synchronous=FULL) as the lane, run in groups like the lane's, each step timed. No
 * messages, no promises: this is the floor under the lane's per-sale figure.
 */
export function saleAnatomy(file: string, range: { from: number; to: number }, seconds: number, groupSize = 40): SaleAnatomy {
  const db = new SQLite(file);
  configure(db, 'FULL', false, 'writer');
  const st = sellStatements(db);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const audit: AuditTemplate = {
    row: { user_id: 1, username: 'bench', role: 'admin', terminal: 'http 127.0.0.1', token_id: 1, operation: 'sellTicket', before_json: null },
    atMs: Date.now(),
    input: { id: 0 },
    subject: null,
    fallbackSubject: null,
    after_json: null,
  };
  const spent = new Map<string, number>();
  const timed = <T>(step: string, fn: () => T): T => {
    const t = performance.now();
    const v = fn();
    spent.set(step, (spent.get(step) ?? 0) + performance.now() - t);
    return v;
  };
  let id = range.from;
  let sales = 0;
  const started = performance.now();
  try {
    while (performance.now() - started < seconds * 1000 && id + groupSize <= range.to) {
      timed('BEGIN IMMEDIATE', () => begin.run());
      for (let i = 0; i < groupSize; i++, id++) {
        timed('changes check (lane: undo without savepoints)', () => totalChanges.get());
        const now = new Date().toISOString();
        const t = timed("guarded UPDATE … WHERE status = 'available' RETURNING", () => st.markSoldIfAvailable([id], now).get(id));
        if (!t) throw new Error(`bench ticket ${id} was not available`);
        // the product's insert: a code that clashes (25 random bits per 10 ms) is drawn again
        const { id: orderId, code } = timed('INSERT order, line, payment', () => insertWithFreshCode(st, walkInCardSale(id, t, now, 'api')));
        const result = { order: { id: orderId, code, ticketIds: [id], totalCents: t.price_cents, total: '', createdAt: now, changeDueCents: null, tender: 'card' } };
        const row = timed('audit row: redact + JSON of input and result', () => completeAuditRow({ ...audit, input: { id } }, result));
        timed('INSERT audit_log', () => insertAuditSync(db, row));
        sales++;
      }
      timed('COMMIT (fsync of the WAL, share per sale)', () => commit.run());
    }
  } finally {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    db.close();
  }
  const secs = (performance.now() - started) / 1000;
  return {
    sales,
    groupSize,
    perSecond: sales / secs,
    parts: [...spent].map(([step, ms]) => ({ step, us: (ms * 1000) / Math.max(1, sales) })),
  };
}
