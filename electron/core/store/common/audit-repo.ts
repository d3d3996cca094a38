import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import type { DB, Trx } from '../sqlite/database.js';
import type { AuditLogTable } from '../contract/schema.js';

export type AuditInsert = Insertable<AuditLogTable>;

/** Append only: this module has no update or delete, and triggers refuse them in the database. */
export async function insertAudit(trx: Trx, row: AuditInsert): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

const stmts = new WeakMap<SQLite.Database, SQLite.Statement>();

/** The same insert for synchronous code inside a group-commit item. */
export function insertAuditSync(db: SQLite.Database, row: AuditInsert): void {
  let st = stmts.get(db);
  if (!st) {
    st = db.prepare(
      `INSERT INTO audit_log (at, user_id, username, role, terminal, token_id, operation, subject, input_json, before_json, after_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    stmts.set(db, st);
  }
  // Positional: every sale writes one, and binding by name costs a property lookup per column.
  st.run(
    row.at,
    row.user_id ?? null,
    row.username ?? null,
    row.role ?? null,
    row.terminal ?? null,
    row.token_id ?? null,
    row.operation,
    row.subject ?? null,
    row.input_json,
    row.before_json ?? null,
    row.after_json ?? null,
  );
}

export interface AuditFilter {
  username?: string;
  operation?: string;
  subject?: string;
  fromUtc?: string;
  toUtc?: string;
  before?: number;
  limit: number;
}

export async function listAudit(db: DB, f: AuditFilter) {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.username) q = q.where('username', '=', f.username);
  if (f.operation) q = q.where('operation', '=', f.operation);
  if (f.subject) q = q.where('subject', '=', f.subject);
  if (f.fromUtc) q = q.where('at', '>=', f.fromUtc);
  if (f.toUtc) q = q.where('at', '<', f.toUtc);
  if (f.before) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(f.limit + 1).execute();
}

/** Who made the sale that created this order (the audit log is the record of it). */
export async function saleAuditOf(db: Trx, orderCode: string) {
  return db
    .selectFrom('audit_log')
    .select(['user_id', 'username', 'at'])
    .where('subject', '=', `order:${orderCode}`)
    .where('operation', 'in', ['sellTicket', 'createOrder', 'sellAny'])
    .orderBy('id')
    .executeTakeFirst();
}
