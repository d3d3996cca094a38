// Each SQLite migration commits whole, with its kysely_migration row, or not at all
// (electron/core/store/sqlite/migrate.ts). Before, Kysely ran them in autocommit: a failure or a kill
// in the middle of one left its first tables without the row, and every later open failed with
// "table … already exists". test/proof/crash-consistency.test.ts SIGKILLs inside them; this file
// fails a statement at chosen points, in-process, and upgrades a file with data through the users rebuild.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/core/store/sqlite/database.js';
import { migrationProvider, migrations } from '../../electron/core/store/sqlite/migrations/index.js';

const dir = mkdtempSync(join(tmpdir(), 'marquee-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NAMES = Object.keys(migrations);

function inspect(file: string) {
  const db = new SQLite(file);
  try {
    return {
      applied: db.prepare('SELECT count(*) FROM kysely_migration').pluck().get() as number,
      integrity: db.pragma('integrity_check', { simple: true }),
      foreignKeys: (db.pragma('foreign_key_check') as unknown[]).length,
    };
  } finally {
    db.close();
  }
}

/** Makes the nth schema statement (CREATE/ALTER/DROP) prepared from now on throw, as a crash there would stop it. */
function failAtSchemaStatement(n: number): () => void {
  const prepare = SQLite.prototype.prepare;
  let seen = 0;
  SQLite.prototype.prepare = function (this: SQLite.Database, source: string) {
    if (/^\s*(CREATE|ALTER|DROP)\b/i.test(source) && ++seen === n) throw new Error(`injected failure at schema statement ${n}`);
    return prepare.call(this, source);
  } as typeof prepare;
  return () => {
    SQLite.prototype.prepare = prepare;
  };
}

describe('SQLite migrations commit whole', () => {
  it.each([3, 12, 40, 70, 100, 112])('a failure at schema statement %i leaves whole migrations only, and the next open finishes them', async (n) => {
    const file = join(dir, `fail-${n}.sqlite`);
    const restore = failAtSchemaStatement(n);
    try {
      await expect(openStore({ file })).rejects.toThrow(`injected failure at schema statement ${n}`);
    } finally {
      restore();
    }
    const failed = inspect(file);
    expect(failed.applied).toBeLessThan(NAMES.length);
    expect(failed).toMatchObject({ integrity: 'ok', foreignKeys: 0 });
    const store = await openStore({ file });
    await store.close();
    expect(inspect(file)).toEqual({ applied: NAMES.length, integrity: 'ok', foreignKeys: 0 });
  });

  it('upgrades a file with staff and API tokens through the users rebuild (foreign keys off around it, on after)', async () => {
    const file = join(dir, 'upgrade.sqlite');
    const raw = new SQLite(file);
    raw.pragma('foreign_keys = ON');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    const rebuild = NAMES.indexOf('2026-12-04T0700-door-check-ins');
    expect(rebuild).toBeGreaterThan(0);
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(NAMES[rebuild - 1]!);
    expect(error).toBeUndefined();
    const now = '2026-12-01T00:00:00.000Z';
    raw.prepare(`INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (1, 'ada', 'Ada', 'admin', 'x', ?, ?)`).run(now, now);
    raw.prepare(`INSERT INTO api_tokens (user_id, name, token_sha256, prefix, created_at) VALUES (1, 'kiosk', ?, 'mq_', ?)`).run('a'.repeat(64), now);
    await db.destroy();

    const store = await openStore({ file });
    try {
      expect(store.writerRaw.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      await store.close();
    }
    expect(inspect(file)).toEqual({ applied: NAMES.length, integrity: 'ok', foreignKeys: 0 });
    const after = new SQLite(file);
    try {
      expect(after.prepare('SELECT u.username, t.name FROM api_tokens t JOIN users u ON u.id = t.user_id').all()).toEqual([{ username: 'ada', name: 'kiosk' }]);
      // the rebuilt CHECK admits door accounts
      after.prepare(`INSERT INTO users (username, display_name, role, pin_hash, created_at, updated_at) VALUES ('door1', 'Door', 'door', 'x', ?, ?)`).run(now, now);
    } finally {
      after.close();
    }
  });
});
