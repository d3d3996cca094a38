// Frozen once shipped: one index fewer on the sell path (issue 8).
// PostgreSQL twin of sqlite/migrations/2026-11-21T0700-sale-path-indexes.ts (rules in ../README.md).
import { sql, type Kysely } from 'kysely';

/**
 * orders_by_customer indexed every order, walk-ins (customer_id NULL, most box-office sales) included,
 * so each sale paid one more B-tree insert for an entry nothing reads. orders_by_customer_report
 * (partial, customer_id IS NOT NULL, customer_id first) already serves every lookup by customer,
 * including the foreign-key check when a customer row changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX orders_by_customer`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX orders_by_customer ON orders (customer_id)`.execute(db);
}
