import type SQLite from 'better-sqlite3';
import type { AuditInsert } from '../contract/audit-row.js';

const stmts = new WeakMap<SQLite.Database, SQLite.Statement>();

/** The audit row of a task, inside its group item (common/audit-repo.ts has the Kysely insert). */
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
