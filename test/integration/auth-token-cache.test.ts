import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../electron/core/auth/callers.js';
import { buildServer } from '../../electron/core/http/server.js';
import { attachWriterLane } from '../../electron/core/store/sqlite/lane.js';
import { openStore, type SqliteStore as Store } from '../../electron/core/store/sqlite/database.js';
import { TEST_TOKEN } from '../helpers.js';

// The HTTP server keeps token → caller only while nothing has been committed since the lookup. These
// are the ways a token can stop working; each must count from the very next request, on a file store
// with a writer lane (where the cache is on) as on an in-memory one (where it is off).
let dir: string;
let store: Store;
let base: string;
let close: () => Promise<void>;

const call = (path: string, token: string, init: RequestInit & { json?: unknown } = {}) =>
  fetch(base + path, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });

async function newToken(name: string, userId?: number): Promise<{ token: string; id: number }> {
  const res = await call('/api/v1/tokens', TEST_TOKEN, { method: 'POST', json: { name, ...(userId ? { userId } : {}) } });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { token: string; apiToken: { id: number } };
  return { token: body.token, id: body.apiToken.id };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-token-cache-'));
  store = await openStore({ file: join(dir, 'marquee.sqlite') });
  await ensureAdmin(store, TEST_TOKEN);
  await attachWriterLane(store);
  const { app } = buildServer({ ctx: { store, version: 'test' }, token: TEST_TOKEN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = async () => {
    await app.close();
    await store.close();
  };
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

describe('token lookups on the HTTP server', () => {
  it('a revoked token is refused on the next request, though it was just used', async () => {
    const t = await newToken('soon revoked');
    for (let i = 0; i < 3; i++) expect((await call('/api/v1/tokens', t.token)).status).toBe(200);
    expect((await call(`/api/v1/tokens/${t.id}`, TEST_TOKEN, { method: 'DELETE' })).status).toBe(200);
    const res = await call('/api/v1/tokens', t.token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
  });

  it('a deactivated user’s token stops at once', async () => {
    const u = await call('/api/v1/users', TEST_TOKEN, { method: 'POST', json: { username: 'cachey', displayName: 'Cache Clerk', role: 'clerk', pin: '9731' } });
    expect(u.status).toBe(201);
    const userId = ((await u.json()) as { id: number }).id;
    const t = await newToken('clerk token', userId);
    expect((await call('/api/v1/tokens', t.token)).status).toBe(200);
    expect((await call(`/api/v1/users/${userId}`, TEST_TOKEN, { method: 'PATCH', json: { active: false } })).status).toBe(200);
    expect((await call('/api/v1/tokens', t.token)).status).toBe(401);
  });

  it('a revocation made by another process on the same database counts from the next request', async () => {
    const t = await newToken('revoked elsewhere');
    expect((await call('/api/v1/tokens', t.token)).status).toBe(200);
    const other = new SQLite(join(dir, 'marquee.sqlite'));
    try {
      other.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(new Date().toISOString(), t.id);
    } finally {
      other.close();
    }
    expect((await call('/api/v1/tokens', t.token)).status).toBe(401);
  });

  it('sales committed between requests do not let a revoked token through', async () => {
    const t = await newToken('busy');
    const v = (await (await call('/api/v1/venues', TEST_TOKEN, { method: 'POST', json: { name: 'Cache Hall', city: 'Boise', country: 'US', timezone: 'America/Boise' } })).json()) as { id: number };
    const e = (await (await call('/api/v1/events', TEST_TOKEN, { method: 'POST', json: { name: 'Cache Night', venueId: v.id, startsAt: '2027-07-01T20:00:00-06:00' } })).json()) as { id: number };
    const l = (await (await call('/api/v1/tickets', TEST_TOKEN, { method: 'POST', json: { eventId: e.id, seller: { name: 'Cache Seller' }, section: 'C', row: '1', quantity: 6, priceCents: 1200 } })).json()) as {
      tickets: { id: number }[];
    };
    const sells = l.tickets.slice(0, 5).map((x) => call(`/api/v1/tickets/${x.id}/sold`, t.token, { method: 'PUT' }));
    expect((await Promise.all(sells)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await call(`/api/v1/tokens/${t.id}`, TEST_TOKEN, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`/api/v1/tickets/${l.tickets[5]!.id}/sold`, t.token, { method: 'PUT' })).status).toBe(401);
    expect(store.readerRaw.prepare("SELECT status FROM tickets WHERE id = ?").pluck().get(l.tickets[5]!.id)).toBe('available');
  });
});
