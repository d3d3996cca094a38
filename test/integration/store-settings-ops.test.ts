import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, saveSettings, settingsFile } from '../../electron/app/settings.js';
import { desktopStoreControl } from '../../electron/core/host/store-control.js';
import type { HostMessage } from '../../electron/core/host/protocol.js';
import { buildServer } from '../../electron/core/http/server.js';
import type { OpContext, StoreControl } from '../../electron/core/services/context.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { maskDatabaseUrl, unmaskDatabaseUrl } from '../../shared/store-url.js';
import { freePort } from '../free-port.js';
import { TEST_TOKEN } from '../helpers.js';
import { rows } from '../support/db.js';
import { buildWorld, type World } from './support/auth-world.js';

const SAVED = 'postgres://box:Hunter2-secret@db.venue.example:5432/marquee';

/** A desktop settings file stand-in that remembers what was saved. */
function control(initial: string | null = null, editable = true): StoreControl & { saves: (string | null)[] } {
  let saved = initial;
  const saves: (string | null)[] = [];
  return {
    saves,
    status: () => ({ source: initial ? 'settings' : 'default', url: null, saved, editable }),
    save: async (url) => {
      saved = url;
      saves.push(url);
    },
  };
}

describe('Settings → Shared database operations', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(async () => w.store.close());
  const ctxWith = (storeControl: StoreControl): OpContext => ({ ...w.ctx, storeControl });

  it('getStoreSettings masks the saved password and says which engine runs now', async () => {
    const s = await invoke(ctxWith(control(SAVED)), w.callers.admin, 'getStoreSettings', {});
    expect(s).toMatchObject({ engine: w.store.engine, editable: true, source: 'settings', savedUrl: 'postgres://box:****@db.venue.example:5432/marquee' });
    expect(JSON.stringify(s)).not.toContain('Hunter2-secret');
  });

  it('only an admin may read, save or test the database settings', async () => {
    for (const role of ['organizer', 'clerk', 'seller'] as const) {
      for (const name of ['getStoreSettings', 'setStoreSettings', 'testStoreConnection'] as const) {
        const input = name === 'getStoreSettings' ? {} : { databaseUrl: '' };
        await expect(invoke(ctxWith(control()), w.callers[role], name, input)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
      }
    }
  });

  it('setStoreSettings refuses what is not postgres:// or empty, saving nothing', async () => {
    const c = control();
    for (const bad of ['mysql://root@db/x', 'postgres://', 'just words', 'sqlite:/tmp/x.db']) {
      await expect(invoke(ctxWith(c), w.callers.admin, 'setStoreSettings', { databaseUrl: bad })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(c.saves).toEqual([]);
  });

  it('saves a URL for the next start, says a restart is needed, and keeps the password out of the audit log', async () => {
    const c = control();
    const r = await invoke(ctxWith(c), w.callers.admin, 'setStoreSettings', { databaseUrl: SAVED });
    expect(c.saves).toEqual([SAVED]);
    expect(r).toMatchObject({ restartNeeded: true, savedUrl: 'postgres://box:****@db.venue.example:5432/marquee' });
    expect(r.message).toMatch(/restart/i);
    const [entry] = await rows<{ input_json: string; after_json: string }>(w.store, "SELECT input_json, after_json FROM audit_log WHERE operation = 'setStoreSettings' ORDER BY id DESC LIMIT 1");
    expect(entry).toBeDefined();
    expect(`${entry!.input_json}${entry!.after_json}`).not.toContain('Hunter2-secret');
    expect(entry!.after_json).toContain('db.venue.example');
    // Back to embedded: an empty URL.
    const back = await invoke(ctxWith(c), w.callers.admin, 'setStoreSettings', { databaseUrl: '' });
    expect(c.saves).toEqual([SAVED, null]);
    expect(back.savedUrl).toBeNull();
  });

  it('a masked password typed back keeps the saved one, but never travels to another host', async () => {
    const c = control(SAVED);
    await invoke(ctxWith(c), w.callers.admin, 'setStoreSettings', { databaseUrl: 'postgres://box:****@db.venue.example:5432/marquee2' });
    expect(c.saves).toEqual(['postgres://box:Hunter2-secret@db.venue.example:5432/marquee2']);
    await expect(invoke(ctxWith(c), w.callers.admin, 'setStoreSettings', { databaseUrl: 'postgres://box:****@evil.example:5432/marquee' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(c.saves).toHaveLength(1);
  });

  it('testStoreConnection: empty is the embedded store; a port nobody listens on is unreachable, in plain words', async () => {
    const ctx = ctxWith(control());
    expect(await invoke(ctx, w.callers.admin, 'testStoreConnection', { databaseUrl: '' })).toMatchObject({ ok: true, problem: 'embedded' });
    const port = await freePort();
    const v = await invoke(ctx, w.callers.admin, 'testStoreConnection', { databaseUrl: `postgres://box:pw-not-shown@127.0.0.1:${port}/x` });
    expect(v).toMatchObject({ ok: false, problem: 'unreachable', target: `box@127.0.0.1:${port}/x` });
    expect(JSON.stringify(v)).not.toContain('pw-not-shown');
    expect(await invoke(ctx, w.callers.admin, 'testStoreConnection', { databaseUrl: 'http://db/x' })).toMatchObject({ ok: false, problem: 'not-postgres-url' });
  });

  it('health reports the store: engine, up, schema version', async () => {
    const h = await invoke(w.ctx, FULL_ACCESS, 'health', {});
    expect(h).toMatchObject({ ok: true, store: { engine: w.store.engine, status: 'up', problem: null } });
    expect(h.store.schemaVersion).toMatch(/^2026-/);
  });

  it('health says unavailable, with the problem, while the store is down', async () => {
    const down = { ...w.store, health: () => ({ up: false, problem: 'the database server does not answer' }) } as typeof w.store;
    const h = await invoke({ ...w.ctx, store: down }, FULL_ACCESS, 'health', {});
    expect(h.store).toEqual({ engine: w.store.engine, status: 'unavailable', problem: 'the database server does not answer', schemaVersion: null });
  });
});

describe('browser mode (marquee serve): the database is the command line’s', () => {
  let w: World;
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    w = await buildWorld();
    const serveControl: StoreControl = {
      status: () => ({ source: 'command line', url: SAVED, saved: null, editable: false }),
      save: () => Promise.reject(new Error('not editable')),
    };
    const { app } = buildServer({ ctx: { store: w.store, version: 'test', storeControl: serveControl }, token: TEST_TOKEN });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
    close = async () => {
      await app.close();
      await w.store.close();
    };
  });
  afterAll(async () => close());
  const call = (method: string, path: string, body?: unknown) =>
    fetch(base + path, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  it('GET /settings/store says what is in effect and where it came from, password masked', async () => {
    const r = await call('GET', '/settings/store');
    expect(r.status).toBe(200);
    const s = (await r.json()) as Record<string, unknown>;
    expect(s).toMatchObject({ source: 'command line', editable: false, restartNeeded: false, savedUrl: null });
    expect(JSON.stringify(s)).not.toContain('Hunter2-secret');
    expect(s.message).toMatch(/--db/);
  });

  it('PUT /settings/store answers 409, saying it is set on the command line', async () => {
    const r = await call('PUT', '/settings/store', { databaseUrl: 'postgres://a:b@c/d' });
    expect(r.status).toBe(409);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CONFLICT');
    expect(body.error.message).toMatch(/command line/);
  });

  it('POST /settings/store/test works over HTTP too', async () => {
    const r = await call('POST', '/settings/store/test', { databaseUrl: '' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, problem: 'embedded' });
  });
});

describe('desktop pieces', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'marquee-store-settings-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the settings file keeps the URL; a damaged one falls back to the embedded store', () => {
    const file = settingsFile(dir);
    saveSettings(file, { ...loadSettings(file), store: { databaseUrl: SAVED } });
    expect(loadSettings(file).store.databaseUrl).toBe(SAVED);
    writeFileSync(file, JSON.stringify({ store: { databaseUrl: 'ftp://nope' } }));
    expect(loadSettings(file).store.databaseUrl).toBeNull();
    writeFileSync(file, JSON.stringify({ store: { databaseUrl: '' } }));
    expect(loadSettings(file).store.databaseUrl).toBeNull();
  });

  it('the worker’s control asks main to persist, and shows the new saved URL at once', async () => {
    const posted: HostMessage[] = [];
    const c = desktopStoreControl({ source: 'default', saved: null }, null, (m) => posted.push(m));
    expect(c.status().editable).toBe(true);
    await c.save(SAVED);
    expect(posted).toEqual([{ type: 'persist-store', databaseUrl: SAVED }]);
    expect(c.status().saved).toBe(SAVED);
    // A URL given by MARQUEE_DATABASE_URL is the environment's: not changed from Settings.
    expect(desktopStoreControl({ source: 'environment', saved: null }, SAVED, () => undefined).status().editable).toBe(false);
  });

  it('masking helpers', () => {
    expect(maskDatabaseUrl(SAVED)).toBe('postgres://box:****@db.venue.example:5432/marquee');
    expect(maskDatabaseUrl('postgres://db/x')).toBe('postgres://db/x');
    expect(maskDatabaseUrl(null)).toBeNull();
    expect(unmaskDatabaseUrl('postgres://box:****@db.venue.example/m', SAVED)).toEqual({ url: 'postgres://box:Hunter2-secret@db.venue.example/m', masked: false });
    expect(unmaskDatabaseUrl('postgres://other:****@db.venue.example/m', SAVED).masked).toBe(true);
  });
});
