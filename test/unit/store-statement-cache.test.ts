import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingDatabase } from '../../electron/core/store/sqlite/statement-cache.js';

const open: SQLite.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function scratch() {
  const db = new SQLite(':memory:');
  open.push(db);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
  return db;
}

describe('statement cache for Kysely (store/statement-cache.ts)', () => {
  it('hands back the compiled statement for the same SQL text, a new one for other text', () => {
    const c = cachingDatabase(scratch());
    const a = c.prepare('SELECT v FROM t WHERE id = ?');
    expect(c.prepare('SELECT v FROM t WHERE id = ?')).toBe(a);
    expect(c.prepare('SELECT id FROM t WHERE v = ?')).not.toBe(a);
  });

  it('compiles a fresh statement while the kept one is still iterating', () => {
    const c = cachingDatabase(scratch());
    const q = 'SELECT v FROM t ORDER BY id';
    const it1 = c.prepare(q).iterate([]);
    expect(it1.next().value).toEqual({ v: 'a' });
    const again = c.prepare(q);
    expect(again.all([])).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
    expect([...it1]).toEqual([{ v: 'b' }, { v: 'c' }]);
  });

  it('keeps at most `capacity` statements', () => {
    const c = cachingDatabase(scratch(), 2);
    const first = c.prepare('SELECT 1');
    c.prepare('SELECT 2');
    c.prepare('SELECT 3'); // evicts SELECT 1
    expect(c.prepare('SELECT 1')).not.toBe(first);
  });

  it('answers Kysely queries correctly, also after the schema changes under a kept statement', async () => {
    const raw = scratch();
    const db = new Kysely<{ t: { id: number; v: string; w?: string | null } }>({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
    const all = () => db.selectFrom('t').selectAll().orderBy('id').execute();
    expect(await all()).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
    await sql`ALTER TABLE t ADD COLUMN w TEXT`.execute(db);
    await db.updateTable('t').set({ w: 'x' }).where('id', '=', 2).execute();
    expect(await all()).toEqual([{ id: 1, v: 'a', w: null }, { id: 2, v: 'b', w: 'x' }, { id: 3, v: 'c', w: null }]);
    await db.destroy();
    expect(raw.open).toBe(false);
  });
});
