import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpControl, type DesktopHttpControl } from '../../electron/core/host/http-control.js';
import { DEFAULT_IDLE_LOCK_MINUTES, loadSettings, saveSettings, settingsFile } from '../../electron/app/settings.js';
import { invoke, FULL_ACCESS } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import type { HttpServerSettings } from '../../shared/operations/desktop-ops.js';
import { memoryStore, startServer } from '../helpers.js';
import { freePort } from '../free-port.js';


let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-desktop-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop settings file', () => {
  it('falls back to defaults when missing or damaged, and keeps the valid parts', () => {
    const file = settingsFile(dir);
    expect(loadSettings(file)).toEqual({ httpServer: { enabled: false, port: 4310 }, store: { databaseUrl: null }, idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES });
    writeFileSync(file, '{ not json');
    expect(loadSettings(file).httpServer.enabled).toBe(false);
    writeFileSync(file, JSON.stringify({ httpServer: { enabled: true, port: 99999 }, idleLockMinutes: 5 }));
    expect(loadSettings(file)).toEqual({ httpServer: { enabled: false, port: 4310 }, store: { databaseUrl: null }, idleLockMinutes: 5 });
  });

  it('round-trips and leaves no temporary file behind', () => {
    const file = settingsFile(dir);
    saveSettings(file, { httpServer: { enabled: true, port: 5555 }, store: { databaseUrl: 'postgres://box:pw@db:5432/marquee' }, idleLockMinutes: 2 });
    expect(loadSettings(file)).toEqual({ httpServer: { enabled: true, port: 5555 }, store: { databaseUrl: 'postgres://box:pw@db:5432/marquee' }, idleLockMinutes: 2 });
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });
});

describe('HTTP server capability (setHttpServer in the desktop app)', () => {
  let store: Store;
  let control: DesktopHttpControl;
  let persisted: HttpServerSettings[];

  beforeEach(async () => {
    store = await memoryStore({ seed: true });
    persisted = [];
    control = createHttpControl({
      ctx: { store, version: 'test' },
      dataDir: dir,
      initial: { enabled: false, port: 4310 },
      persist: (s) => persisted.push(s),
      env: {},
    });
  });
  afterEach(async () => {
    await control.close();
    await store.close();
  });

  const kiosk = () => ({ store, version: 'test', channel: 'kiosk' as const, httpControl: control });

  it('starts on the chosen port, answers with the kept token, and stops again', async () => {
    const port = await freePort();
    const on = await invoke(kiosk(), FULL_ACCESS, 'setHttpServer', { enabled: true, port });
    expect(on).toMatchObject({ available: true, enabled: true, running: true, port, url: `http://127.0.0.1:${port}/api/v1`, error: null });
    expect(persisted).toEqual([{ enabled: true, port }]);
    const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    expect(on.tokenFile).toBe(join(dir, 'api-token'));

    const health = await fetch(`${on.url}/health`);
    expect(await health.json()).toMatchObject({ ok: true, version: 'test', store: { engine: 'sqlite', status: 'up' } });
    expect((await fetch(`${on.url}/venues`)).status).toBe(401);
    const venues = await fetch(`${on.url}/venues`, { headers: { authorization: `Bearer ${token}` } });
    expect(venues.status).toBe(200);

    // Over HTTP the settings can be read but not changed: a client must not switch off the server it uses.
    const status = await fetch(`${on.url}/settings/http-server`, { headers: { authorization: `Bearer ${token}` } });
    expect(await status.json()).toMatchObject({ available: true, running: true, port });
    const flip = await fetch(`${on.url}/settings/http-server`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(flip.status).toBe(403);
    expect(control.status().running).toBe(true);

    const off = await invoke(kiosk(), FULL_ACCESS, 'setHttpServer', { enabled: false, port });
    expect(off).toMatchObject({ enabled: false, running: false, url: null });
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
  });

  it('reports a busy port instead of failing, and recovers on another port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      const r = await invoke(kiosk(), FULL_ACCESS, 'setHttpServer', { enabled: true, port: busy });
      expect(r).toMatchObject({ enabled: true, running: false, error: `Port ${busy} is already in use; choose another port` });
      const port = await freePort();
      const ok = await invoke(kiosk(), FULL_ACCESS, 'setHttpServer', { enabled: true, port });
      expect(ok).toMatchObject({ running: true, port, error: null });
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('moves to a new port when the setting changes, and applies saved settings at startup', async () => {
    const [a, b] = [await freePort(), await freePort()];
    await control.configure({ enabled: true, port: a });
    const moved = await control.configure({ enabled: true, port: b });
    expect(moved).toMatchObject({ running: true, port: b });
    await expect(fetch(`http://127.0.0.1:${a}/api/v1/health`)).rejects.toThrow();
    await control.close();

    const port = await freePort();
    control = createHttpControl({ ctx: { store, version: 'test' }, dataDir: dir, initial: { enabled: true, port }, persist: () => undefined, env: {} });
    expect(control.status().running).toBe(false);
    expect(await control.apply()).toMatchObject({ running: true, port });
  });

  it('takes the token from MARQUEE_API_TOKEN without writing a token file', async () => {
    await control.close();
    control = createHttpControl({ ctx: { store, version: 'test' }, dataDir: dir, initial: { enabled: true, port: await freePort() }, persist: () => undefined, env: { MARQUEE_API_TOKEN: 'from-env-token' } });
    const s = await control.apply();
    expect(s.tokenFile).toBeNull();
    expect(existsSync(join(dir, 'api-token'))).toBe(false);
    expect((await fetch(`${s.url}/venues`, { headers: { authorization: 'Bearer from-env-token' } })).status).toBe(200);
  });
});

describe('HTTP server settings in browser mode (marquee serve: no desktop capability)', () => {
  it('GET reports unavailable; PUT answers 409 with a clear message, and bad input 400', async () => {
    const server = await startServer(await memoryStore());
    try {
      const get = await server.api('/api/v1/settings/http-server');
      expect(get.status).toBe(200);
      expect(await get.json()).toEqual({ available: false, enabled: false, running: false, port: null, url: null, tokenFile: null, error: null });
      const put = await server.api('/api/v1/settings/http-server', { method: 'PUT', json: { enabled: true, port: 4311 } });
      expect(put.status).toBe(409);
      const body = (await put.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('CONFLICT');
      expect(body.error.message).toMatch(/desktop app/);
      const bad = await server.api('/api/v1/settings/http-server', { method: 'PUT', json: { enabled: true, port: 22 } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    } finally {
      await server.close();
    }
  });
});
