import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore as Store } from '../../electron/core/store/sqlite/database.js';

// A scratch table keeps these tests about the write path, not about the sell rules.
async function scratchStore(file = ':memory:', groupCommit?: { maxBatch?: number }): Promise<Store> {
  const store = await openStore({ file, ...(groupCommit ? { groupCommit } : {}) });
  store.writerRaw.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  return store;
}

const insert = (v: string) => (db: Store['writerRaw']) => Number(db.prepare('INSERT INTO scratch (v) VALUES (?)').run(v).lastInsertRowid);
const values = (store: Store) => (store.writerRaw.prepare('SELECT v FROM scratch ORDER BY id').pluck().all() as string[]);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('group commit (store.writeGrouped)', () => {
  it('writes concurrent submissions in one transaction and answers each with its own result', async () => {
    const store = await scratchStore();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.writeGrouped(insert(`v${i}`))));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(store.group.stats.groups).toBe(1);
    expect(store.group.stats.items).toBe(50);
    expect(values(store)).toHaveLength(50);
    await store.close();
  });

  it('a failing item is rolled back alone; the rest of its group commits', async () => {
    const store = await scratchStore();
    const outcomes = await Promise.allSettled([
      store.writeGrouped(insert('a')),
      // writes, then fails: its savepoint must undo the write
      store.writeGrouped((db) => {
        insert('half-done')(db);
        throw new Error('clerk cancelled');
      }),
      // fails inside SQLite (UNIQUE), after the first item wrote the same value
      store.writeGrouped(insert('a')),
      store.writeGrouped(insert('b')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('clerk cancelled');
    expect((outcomes[2] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(values(store)).toEqual(['a', 'b']);
    expect(store.group.stats.groups).toBe(1);
    expect(store.group.stats.failedItems).toBe(2);
    await store.close();
  });

  it("savepoints: 'when-needed' needs no replay for items that fail before writing", async () => {
    const store = await openStore({ file: ':memory:', groupCommit: { savepoints: 'when-needed' } });
    store.writerRaw.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    const outcomes = await Promise.allSettled([
      store.writeGrouped(insert('a')),
      store.writeGrouped(() => {
        throw new Error('sold out');
      }),
      store.writeGrouped(insert('a')), // UNIQUE fails on its first (and only) statement: nothing written
      store.writeGrouped(insert('b')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(values(store)).toEqual(['a', 'b']);
    expect(store.group.stats.replays).toBe(0);
    await store.close();
  });

  it("savepoints: 'when-needed' replays a group whose item failed after writing; only that item's rows disappear", async () => {
    const store = await openStore({ file: ':memory:', groupCommit: { savepoints: 'when-needed' } });
    store.writerRaw.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
    let runs = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.writeGrouped((db) => {
          if (i === 17) runs++;
          const id = insert(`r${i}`)(db);
          if (i === 17) throw new Error('refused after writing');
          return id;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(values(store)).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`).filter((v) => v !== 'r17'));
    expect(runs).toBe(2); // once optimistically, once under its savepoint
    expect(store.group.stats.replays).toBe(1);
    expect(store.group.stats.groups).toBe(1);
    await store.close();
  });

  it('answers only after COMMIT', async () => {
    const store = await scratchStore();
    const answered: number[] = [];
    const atCommit: number[] = [];
    store.onCommit = () => atCommit.push(answered.length);
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.writeGrouped(insert(`x${i}`)).then(() => answered.push(i))));
    expect(atCommit).toEqual([0]);
    expect(answered).toHaveLength(5);
    await store.close();
  });

  it('splits a burst larger than maxBatch into several groups', async () => {
    const store = await scratchStore(':memory:', { maxBatch: 8 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.writeGrouped(insert(`m${i}`))));
    expect(store.group.stats.groups).toBe(3);
    expect(store.group.stats.largestGroup).toBe(8);
    expect(values(store)).toHaveLength(20);
    await store.close();
  });

  it('never interleaves with an async store.write transaction on the same connection', async () => {
    const store = await scratchStore();
    let releaseWrite!: () => void;
    const gate = new Promise<void>((r) => (releaseWrite = r));
    const slow = store.write(async (trx) => {
      await sql`INSERT INTO scratch (v) VALUES ('slow-1')`.execute(trx);
      await gate; // the transaction is open across event-loop turns
      await sql`INSERT INTO scratch (v) VALUES ('slow-2')`.execute(trx);
      return 'slow';
    });
    const grouped = Promise.all([store.writeGrouped(insert('g1')), store.writeGrouped(insert('g2'))]);
    await new Promise((r) => setTimeout(r, 20));
    expect(store.group.stats.groups).toBe(0); // still waiting for the async writer
    releaseWrite();
    await expect(slow).resolves.toBe('slow');
    await expect(grouped).resolves.toEqual([3, 4]);
    expect(values(store)).toEqual(['slow-1', 'slow-2', 'g1', 'g2']);
    await store.close();
  });

  it('close() writes what is still queued', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-gc-'));
    dirs.push(dir);
    const file = join(dir, 'store.db');
    const store = await scratchStore(file);
    const pending = store.writeGrouped(insert('last'));
    await store.close();
    await expect(pending).resolves.toBe(1);
    const again = await openStore({ file });
    expect(again.readerRaw.prepare('SELECT v FROM scratch').pluck().all()).toEqual(['last']);
    await again.close();
  });
});
