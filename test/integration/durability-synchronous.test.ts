import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitInfo } from '../../electron/core/store/sqlite/group-commit.js';
import { openStore, type SqliteStore as Store } from '../../electron/core/store/sqlite/database.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { kioskCtx } from '../helpers.js';

// Power loss cannot be staged in a test; what can be shown is that every commit the store makes runs
// with synchronous=FULL on the writer (WAL: the log is fsynced before COMMIT returns), and that the
// store refuses to acknowledge a commit made under anything weaker.
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-sync-'));
  store = await openStore({ file: join(dir, 'marquee.sqlite') });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('durability: synchronous=FULL at every commit', () => {
  it('the writer runs WAL with synchronous=FULL; the reader is a separate connection', () => {
    expect(store.writerRaw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.writerRaw.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.readerRaw).not.toBe(store.writerRaw);
  });

  it('every commit of a mixed storm (group-committed sells and ordinary writes) sees synchronous=FULL', async () => {
    const commits: CommitInfo[] = [];
    store.onCommit = (info) => commits.push(info);
    const ctx = kioskCtx(store);
    const v = await invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Sync Hall', city: 'Boise', country: 'US', timezone: 'America/Boise' });
    const e = await invoke(ctx, FULL_ACCESS, 'createEvent', { name: 'Sync Night', venueId: v.id, startsAt: '2027-06-01T20:00:00-06:00' });
    const l = await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: e.id, seller: { name: 'Sync Seller' }, section: 'A', row: '1', quantity: 300, priceCents: 1000 });
    const rush = await invoke(ctx, FULL_ACCESS, 'createEvent', { name: 'Sync Rush', venueId: v.id, startsAt: '2027-06-02T20:00:00-06:00' });
    await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: rush.id, sellerId: l.listing.sellerId, section: 'R', row: '1', quantity: 100, priceCents: 900 });
    const groupsBefore = store.group.stats.groups;
    const storm = await Promise.allSettled([
      ...l.tickets.map((t) => invoke(ctx, FULL_ACCESS, 'sellTicket', { id: t.id })),
      ...Array.from({ length: 20 }, (_, i) => invoke(ctx, FULL_ACCESS, 'postListing', { eventId: e.id, sellerId: l.listing.sellerId, section: 'B', row: String(i + 1), quantity: 2, priceCents: 500 })),
      ...Array.from({ length: 100 }, () => invoke(ctx, FULL_ACCESS, 'sellAny', { id: rush.id })),
    ]);
    store.onCommit = null;
    expect(storm.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([]);
    const groups = commits.filter((c) => c.kind === 'group');
    expect(groups).toHaveLength(store.group.stats.groups - groupsBefore);
    expect(groups.reduce((n, c) => n + c.items, 0)).toBe(400);
    expect(commits.filter((c) => c.kind === 'write').length).toBeGreaterThanOrEqual(23);
    expect(new Set(commits.map((c) => c.synchronous))).toEqual(new Set([2]));
  });

  it('refuses to acknowledge sales if synchronous on the writer is weakened, and nothing is written', async () => {
    const ctx = kioskCtx(store);
    const e = (await invoke(ctx, FULL_ACCESS, 'searchEvents', { q: 'Sync Night' })).items[0]!;
    const l = await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: e.id, seller: { name: 'Weak Seller' }, section: 'W', row: '1', quantity: 3, priceCents: 700 });
    const ordersBefore = store.readerRaw.prepare('SELECT count(*) FROM orders').pluck().get();
    store.writerRaw.pragma('synchronous = NORMAL');
    try {
      const results = await Promise.allSettled(l.tickets.map((t) => invoke(ctx, FULL_ACCESS, 'sellTicket', { id: t.id })));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/synchronous is 1/);
      await expect(invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Weak Hall', city: 'Reno', country: 'US', timezone: 'America/Los_Angeles' })).rejects.toThrow(/synchronous/);
    } finally {
      store.writerRaw.pragma('synchronous = FULL');
    }
    expect(store.readerRaw.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(ordersBefore);
    expect(store.readerRaw.prepare("SELECT count(*) FROM venues WHERE name = 'Weak Hall'").pluck().get()).toBe(0);
    await expect(invoke(ctx, FULL_ACCESS, 'sellTicket', { id: l.tickets[0]!.id })).resolves.toMatchObject({ order: { ticketIds: [l.tickets[0]!.id] } });
  });

  it('reads on the reader connection do not wait for an open write transaction and do not see it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writing = store.write(async (trx) => {
      await trx.insertInto('sellers').values({ name: 'Pending Seller', email: null, created_at: new Date().toISOString() }).execute();
      await gate;
    });
    await new Promise((r) => setTimeout(r, 10));
    const seen = await store.reader.selectFrom('sellers').select('name').where('name', '=', 'Pending Seller').execute();
    expect(seen).toEqual([]);
    release();
    await writing;
    expect(await store.reader.selectFrom('sellers').select('name').where('name', '=', 'Pending Seller').execute()).toHaveLength(1);
  });
});
