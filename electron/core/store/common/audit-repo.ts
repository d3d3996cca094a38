import type { DB, Trx } from '../contract/store.js';

import type { AuditInsert } from '../contract/audit-row.js';

export type { AuditInsert };

/** Append only: this module has no update or delete, and triggers refuse them in the database. */
export async function insertAudit(trx: Trx, row: AuditInsert): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
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
    .where('operation', 'in', ['sellTicket', 'createOrder', 'sellAny', 'sellFromListing'])
    .orderBy('id')
    .executeTakeFirst();
}
