import { Kysely, Migrator, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../electron/core/store/sqlite/migrations/index.js';
import * as importPipeline from '../../electron/core/store/sqlite/migrations/2026-11-21T0600-import-pipeline.js';
import * as initial from '../../electron/core/store/sqlite/migrations/2026-11-21T0500-initial-schema.js';

describe('migration 2026-11-21T0600-import-pipeline', () => {
  it('is registered, adds the staging and rejected-row tables and the progress columns, and goes down cleanly', async () => {
    expect(Object.keys(await migrationProvider.getMigrations())).toContain('2026-11-21T0600-import-pipeline');
    const raw = new SQLite(':memory:');
    raw.pragma('foreign_keys = ON');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await initial.up(db);
    raw.exec(`INSERT INTO sellers (id, name, created_at) VALUES (1, 'Box office', 'x')`);
    raw.exec(`INSERT INTO import_batches (seller_id, sha256, status, created_at) VALUES (1, '${'a'.repeat(64)}', 'completed', 'x')`);
    await importPipeline.up(db);
    const cols = (t: string) => (raw.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    expect(cols('import_batches')).toEqual(expect.arrayContaining(['mode', 'phase', 'imported_by', 'owner_pid', 'rows_published', 'last_line', 'cancel_requested', 'failure_code', 'rolled_back_at']));
    expect(cols('import_staged_rows')).toEqual(['id', 'batch_id', 'line', 'event_id', 'section', 'row', 'quantity', 'price_cents']);
    expect(cols('import_rejected_rows')).toEqual(['id', 'batch_id', 'line', 'errors_json', 'cells_json']);
    // Batches from before the migration read as finished valid-rows imports.
    expect(raw.prepare('SELECT mode, phase, cancel_requested FROM import_batches').get()).toEqual({ mode: 'valid-rows', phase: 'done', cancel_requested: 0 });
    expect(() => raw.exec(`UPDATE import_batches SET phase = 'nope'`)).toThrow(/CHECK/);
    expect(() => raw.exec(`INSERT INTO import_staged_rows (batch_id, line, event_id, section, row, quantity, price_cents) VALUES (1, 2, 107, '', 'A', 1, 100)`)).toThrow(/CHECK/);
    await importPipeline.down(db);
    expect(cols('import_batches')).not.toContain('phase');
    expect(raw.prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'import_%_rows'`).pluck().get()).toBe(0);
    expect(raw.prepare('SELECT count(*) FROM import_batches').pluck().get()).toBe(1);
    await db.destroy();
  });

  it('runs in order with the others through the migrator', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    expect(error).toBeUndefined();
    expect(results?.map((r) => r.migrationName)).toContain('2026-11-21T0600-import-pipeline');
    await db.destroy();
  });
});
