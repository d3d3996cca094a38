import type { CustomerFields } from '../contract/shapes.js';
import type { SqlRunner } from '../contract/sql.js';

const COLUMNS = ['name', 'email', 'phone', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country'] as const;

/**
 * A customer by email (case-insensitive, the customers_by_email index): given fields overwrite, missing
 * ones keep what is on file. One statement, so two terminals recording the same email at once meet in
 * the unique index instead of making two customers. Without an email every sale is a new customer.
 */
export async function upsertCustomerSql(db: SqlRunner, c: CustomerFields, now: string): Promise<number> {
  const values = [...COLUMNS.map((k) => c[k]), now];
  const insert = `INSERT INTO customers (${COLUMNS.join(', ')}, created_at) VALUES (${values.map(() => '?').join(', ')})`;
  if (!c.email) return Number((await db.get<{ id: number }>(`${insert} RETURNING id`, values))!.id);
  const keep = COLUMNS.filter((k) => k !== 'email').map((k) => `${k} = coalesce(excluded.${k}, customers.${k})`);
  const row = await db.get<{ id: number }>(`${insert} ON CONFLICT (lower(email)) WHERE email IS NOT NULL DO UPDATE SET ${keep.join(', ')} RETURNING id`, values);
  return Number(row!.id);
}
