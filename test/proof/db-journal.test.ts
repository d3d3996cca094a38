import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/core/store/contract/store.js';
import { exec } from '../support/db.js';
import { memoryStore, testEngine } from '../helpers.js';
import { changedTables, openJournal, type DbJournal } from './support/db-journal.js';

/** The fuzzers' proof that a refused call wrote nothing is only as good as the journal: it must see every committed row and no rolled-back one. */
describe(`the fuzzers' row journal (${testEngine()})`, () => {
  let store: Store;
  let journal: DbJournal;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
    journal = await openJournal(store);
  });
  afterAll(async () => store.close());

  const NOW = '2026-12-04T12:00:00.000Z';
  const insertVenue = (name: string) => exec(store, 'INSERT INTO venues (name, city, country, timezone, created_at) VALUES (?, ?, ?, ?, ?)', [name, 'Chicago', 'US', 'UTC', NOW]);

  it('counts a committed insert, update and delete in their table only, and changes the checksum', async () => {
    expect(journal.tables).toEqual(expect.arrayContaining(['venues', 'tickets', 'orders', 'audit_log']));
    const sum = await journal.checksum();
    const before = await journal.snapshot();
    await insertVenue('Journal Hall');
    expect(changedTables(before, await journal.snapshot())).toEqual(['venues']);
    expect(await journal.checksum()).not.toBe(sum);
    const mid = await journal.snapshot();
    await exec(store, "UPDATE venues SET city = 'Evanston' WHERE name = 'Journal Hall'");
    await exec(store, "DELETE FROM venues WHERE name = 'Journal Hall'");
    expect(changedTables(mid, await journal.snapshot())).toEqual(['venues']);
    expect(await journal.checksum()).toBe(sum);
  });

  it('sees nothing of a write that was rolled back', async () => {
    const sum = await journal.checksum();
    const before = await journal.snapshot();
    await expect(
      store.write(async (trx) => {
        await store.sql(trx).run('INSERT INTO venues (name, city, country, timezone, created_at) VALUES (?, ?, ?, ?, ?)', ['Gone Hall', 'Chicago', 'US', 'UTC', NOW]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(changedTables(before, await journal.snapshot())).toEqual([]);
    expect(await journal.checksum()).toBe(sum);
  });
});
