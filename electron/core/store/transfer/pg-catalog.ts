import type pg from 'pg';
import { columnKind, type ColumnKind } from './copy-text.js';
import { MIGRATOR_TABLES } from './sqlite-source.js';
import { TransferError } from './transfer-error.js';

export interface TargetColumn {
  name: string;
  kind: ColumnKind;
  /** GENERATED … AS IDENTITY: its sequence is moved past the copied ids. */
  identity: boolean;
}

export interface TargetTable {
  name: string;
  /** In the table's column order; rows are copied in this order. */
  columns: TargetColumn[];
  /** Primary-key columns in key order (the checksum reads rows in this order). */
  primaryKey: string[];
}

export interface ForeignKey {
  child: string;
  parent: string;
}

/** Marquee's tables in the target's schema, read from the catalog (after the migrations ran). */
export async function targetTables(client: pg.ClientBase): Promise<Map<string, TargetTable>> {
  const cols = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_identity
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const keys = await client.query<{ table_name: string; column_name: string }>(
    `SELECT k.table_name, k.column_name
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
      WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'
      ORDER BY k.table_name, k.ordinal_position`,
  );
  const tables = new Map<string, TargetTable>();
  for (const r of cols.rows) {
    if (MIGRATOR_TABLES.has(r.table_name)) continue;
    const kind = columnKind(r.data_type);
    if (!kind) throw new TransferError(`${r.table_name}.${r.column_name} is ${r.data_type}, a type migrate-store has no rule for`, 'failed');
    let t = tables.get(r.table_name);
    if (!t) tables.set(r.table_name, (t = { name: r.table_name, columns: [], primaryKey: [] }));
    t.columns.push({ name: r.column_name, kind, identity: r.is_identity === 'YES' });
  }
  for (const r of keys.rows) tables.get(r.table_name)?.primaryKey.push(r.column_name);
  return tables;
}

export async function targetForeignKeys(client: pg.ClientBase): Promise<ForeignKey[]> {
  const r = await client.query<ForeignKey>(
    `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint c
       JOIN pg_class child ON child.oid = c.conrelid
       JOIN pg_class parent ON parent.oid = c.confrelid
      WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace`,
  );
  return r.rows;
}
