// Frozen: never edit a migration that has shipped; add a new one instead.
import { sql, type Kysely } from 'kysely';

// The import pipeline writes rows to a staging table first (invisible to sales) and publishes them
// to listings/tickets afterwards, so a crash leaves either nothing visible or a batch that can be
// rolled forward. Progress columns let another window poll a running import.
const columns = [
  `mode TEXT NOT NULL DEFAULT 'valid-rows' CHECK (mode IN ('valid-rows','all-or-nothing'))`,
  `phase TEXT NOT NULL DEFAULT 'done' CHECK (phase IN ('staging','publishing','done'))`,
  `imported_by TEXT`,
  `client_ref TEXT`,
  `owner_pid INTEGER`,
  `bytes_read INTEGER NOT NULL DEFAULT 0 CHECK (bytes_read >= 0)`,
  `total_bytes INTEGER CHECK (total_bytes IS NULL OR total_bytes >= 0)`,
  `rows_published INTEGER NOT NULL DEFAULT 0 CHECK (rows_published >= 0)`,
  `last_line INTEGER NOT NULL DEFAULT 0 CHECK (last_line >= 0)`,
  `cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1))`,
  `failure_code TEXT CHECK (failure_code IS NULL OR failure_code IN ('cancelled','interrupted','rejected-rows','error'))`,
  `failure_message TEXT`,
  `delimiter TEXT`,
  `encoding TEXT`,
  `mapping_json TEXT CHECK (mapping_json IS NULL OR json_valid(mapping_json))`,
  `rolled_back_at TEXT`,
  `updated_at TEXT`,
];

const statements = [
  ...columns.map((c) => `ALTER TABLE import_batches ADD COLUMN ${c}`),
  `CREATE INDEX import_batches_by_status ON import_batches (status, phase)`,
  `CREATE INDEX import_batches_by_client_ref ON import_batches (client_ref) WHERE client_ref IS NOT NULL`,
  `CREATE TABLE import_staged_rows (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batches(id),
    line INTEGER NOT NULL CHECK (line > 0),
    event_id INTEGER NOT NULL,
    section TEXT NOT NULL CHECK (length(section) > 0),
    row TEXT NOT NULL CHECK (length(row) > 0),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0)
  ) STRICT`,
  `CREATE INDEX import_staged_rows_by_batch ON import_staged_rows (batch_id, id)`,
  `CREATE TABLE import_rejected_rows (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batches(id),
    line INTEGER NOT NULL CHECK (line > 0),
    errors_json TEXT NOT NULL CHECK (json_valid(errors_json)),
    cells_json TEXT NOT NULL CHECK (json_valid(cells_json))
  ) STRICT`,
  `CREATE INDEX import_rejected_rows_by_batch ON import_rejected_rows (batch_id, line)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE import_rejected_rows').execute(db);
  await sql.raw('DROP TABLE import_staged_rows').execute(db);
  await sql.raw('DROP INDEX import_batches_by_client_ref').execute(db);
  await sql.raw('DROP INDEX import_batches_by_status').execute(db);
  for (const c of [...columns].reverse()) await sql.raw(`ALTER TABLE import_batches DROP COLUMN ${c.split(' ')[0]}`).execute(db);
}
