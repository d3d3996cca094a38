// Runs the real bundled main process (dist-electron/main.cjs, built into a temporary folder) in
// plain Node against a fake `electron` module: no Electron binary can be had here, but the wiring
// — handlers from the table, sender check, window flags, protocol, navigation and permission
// lockdown, kiosk idle lock — is all main.cjs's own code.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildElectron } from '../../build/build-electron.mjs';
import { IDLE_LOCK_CHANNEL } from '../../electron/app/app-origin.js';
import { secureWebPreferences } from '../../electron/app/security.js';
import { CSP } from '../../electron/core/http/server.js';
import { ipcChannel, operations, type OperationName } from '../../shared/operations/index.js';

type Fn = (...args: unknown[]) => unknown;
const root = join(import.meta.dirname, '..', '..');
const projectRequire = createRequire(join(root, 'package.json'));

class FakeWebContents {
  readonly listeners = new Map<string, Fn[]>();
  readonly sent: string[] = [];
  windowOpenHandler: Fn | null = null;
  constructor(readonly id: number) {}
  on(event: string, fn: Fn) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
  setWindowOpenHandler(fn: Fn) {
    this.windowOpenHandler = fn;
  }
  send(channel: string) {
    this.sent.push(channel);
  }
}

function fakeElectron() {
  const appListeners = new Map<string, Fn[]>();
  const emitApp = (event: string, ...args: unknown[]) => {
    for (const fn of appListeners.get(event) ?? []) fn(...args);
  };
  const paths: Record<string, string> = { userData: join(tmpdir(), 'marquee-should-be-overridden') };
  const windows: FakeWindow[] = [];
  let nextId = 1;
  class FakeWindow {
    readonly webContents = new FakeWebContents(nextId++);
    loaded: string | null = null;
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
      emitApp('web-contents-created', {}, this.webContents);
      emitApp('browser-window-created', {}, this);
    }
    static getAllWindows() {
      return windows;
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }
  const e = {
    windows,
    emitApp,
    quitCalls: 0,
    exitCodes: [] as number[],
    errors: [] as string[],
    messages: [] as string[],
    opened: [] as string[],
    menus: [] as unknown[],
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (r: Request) => Promise<Response>>(),
    ipcHandlers: new Map<string, Fn>(),
    permissionRequest: null as Fn | null,
    permissionCheck: null as Fn | null,
    beforeRequest: null as { filter: { urls: string[] }; fn: Fn } | null,
  };
  const electron = {
    app: {
      isPackaged: false,
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => paths[name],
      setPath: (name: string, p: string) => void (paths[name] = p),
      on: (event: string, fn: Fn) => void appListeners.set(event, [...(appListeners.get(event) ?? []), fn]),
      requestSingleInstanceLock: () => true,
      quit: () => void e.quitCalls++,
      exit: (code: number) => void e.exitCodes.push(code),
    },
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: Fn) => void e.ipcHandlers.set(channel, fn),
      removeHandler: (channel: string) => void e.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => void e.schemes.push(...s),
      handle: (scheme: string, fn: (r: Request) => Promise<Response>) => void e.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => void (e.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => void (e.permissionCheck = fn),
        setDevicePermissionHandler: () => undefined,
        webRequest: { onBeforeRequest: (filter: { urls: string[] }, fn: Fn) => void (e.beforeRequest = { filter, fn }) },
      },
    },
    shell: { openExternal: async (url: string) => void e.opened.push(url) },
    Menu: { setApplicationMenu: (m: unknown) => void e.menus.push(m) },
    dialog: { showErrorBox: (_t: string, m: string) => void e.errors.push(m), showMessageBox: async (o: { detail?: string }) => (e.messages.push(o.detail ?? ''), { response: 0 }) },
    powerMonitor: { getSystemIdleTime: () => 0 },
  };
  return { electron, e };
}

type Loader = { _load: (request: string, ...rest: unknown[]) => unknown };
let base: string;
let mainFile: string;

/** Loads main.cjs once with these arguments and waits for its window. */
async function launch(args: string[]) {
  const { electron, e } = fakeElectron();
  const loader = Module as unknown as Loader;
  const originalLoad = loader._load;
  const originalArgv = process.argv;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'electron') return electron;
    // The temporary bundle has no node_modules of its own.
    if (request === 'better-sqlite3') return originalLoad.call(this, projectRequire.resolve('better-sqlite3'), ...rest);
    return originalLoad.call(this, request, ...rest);
  };
  process.argv = [process.execPath, mainFile, ...args];
  const require = createRequire(mainFile);
  delete require.cache[mainFile];
  const logs = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    require(mainFile);
  } finally {
    loader._load = originalLoad;
    process.argv = originalArgv;
  }
  await vi.waitFor(() => expect(e.windows.length + e.errors.length).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
  if (e.errors.length > 0) {
    logs.mockRestore();
    throw new Error(`main failed (exit ${e.exitCodes.join(',')}): ${e.errors.join('; ')}`);
  }
  expect(e.windows).toHaveLength(1);
  const quit = async () => {
    e.emitApp('before-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(e.quitCalls).toBe(1), { timeout: 10_000 });
    logs.mockRestore();
  };
  return { e, quit, logs };
}

const nativeDirBefore = process.env.MARQUEE_ELECTRON_NATIVE_DIR;
beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'marquee-main-'));
  let worker: string;
  let writerLane: string;
  ({ main: mainFile, worker, writerLane } = await buildElectron({ outdir: join(base, 'dist-electron'), quiet: true }));
  // So is the writer lane's, which the core host starts (store/sqlite/lane.ts).
  expect(writerLane).toBe(join(base, 'dist-electron', 'group-worker.cjs'));
  expect(existsSync(writerLane)).toBe(true);
  // The core host's worker is bundled beside main.cjs, where startWorker looks for it.
  expect(worker).toBe(join(base, 'dist-electron', 'core-host-worker.cjs'));
  expect(existsSync(worker)).toBe(true);
  // The worker thread has its own module loader, which the _load override below does not reach:
  // main passes this folder to it, as `npm start` does for its Electron-built copy.
  process.env.MARQUEE_ELECTRON_NATIVE_DIR = join(root, 'node_modules');
  mkdirSync(join(base, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(base, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Marquee test</title>');
}, 60_000);
afterAll(() => {
  if (nativeDirBefore === undefined) delete process.env.MARQUEE_ELECTRON_NATIVE_DIR;
  else process.env.MARQUEE_ELECTRON_NATIVE_DIR = nativeDirBefore;
  rmSync(base, { recursive: true, force: true });
});

describe('bundled main process', () => {
  it('wires the store, IPC, window, protocol and lockdown', async () => {
    const { e, quit } = await launch(['--data', join(base, 'data-desktop')]);
    try {
      // Window: isolated, sandboxed, no Node, our preload, our protocol.
      const win = e.windows[0]!;
      expect(win.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        preload: join(base, 'dist-electron', 'preload.cjs'),
      });
      // Exactly the checklist's preferences (security.ts), nothing added or left out.
      expect(win.options.webPreferences).toEqual(secureWebPreferences({ preload: join(base, 'dist-electron', 'preload.cjs'), devTools: true }));
      expect(win.options.kiosk).toBe(false);
      expect(win.loaded).toBe('app://marquee/index.html');
      expect(e.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

      // IPC: one handler per operation, answering the app's frame and refusing anything else.
      expect([...e.ipcHandlers.keys()].sort()).toEqual(Object.keys(operations).map((n) => ipcChannel(n as OperationName)).sort());
      const own = { sender: { id: win.webContents.id }, senderFrame: { url: 'app://marquee/index.html', parent: null } };
      const call = (event: unknown, name: OperationName, input: unknown) => e.ipcHandlers.get(ipcChannel(name))!(event, input) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
      // Each window signs in (issue 6); the first run showed the admin's one-time password once.
      expect(await call(own, 'searchEvents', { limit: 3 })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      const [, username, password] = /Username: (\S+)\nPassword: (\S+)/.exec(e.messages[0] ?? '') ?? [];
      expect(await call(own, 'signIn', { username, password })).toMatchObject({ ok: true, value: { user: { role: 'admin' } } });
      const found = await call(own, 'searchEvents', { limit: 3 });
      expect(found.ok).toBe(true);
      expect((found.value as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect(await call(own, 'getHttpServer', {})).toMatchObject({ ok: true, value: { available: true, enabled: false, running: false } });
      // The PDF export is wired (issue 13): without it this would be CONFLICT before the order is looked up.
      expect(await call(own, 'saveTicketsPdf', { code: 'MQ-AAAA-BBBB' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const foreign = { sender: { id: win.webContents.id }, senderFrame: { url: 'https://evil.example/', parent: null } };
      expect(await call(foreign, 'searchEvents', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const otherContents = { sender: { id: 999 }, senderFrame: { url: 'app://marquee/index.html', parent: null } };
      expect(await call(otherContents, 'searchEvents', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      // Protocol: serves dist/renderer with the CSP.
      const page = await e.protocolHandlers.get('app')!(new Request('app://marquee/'));
      expect(await page.text()).toContain('Marquee test');
      expect(page.headers.get('content-security-policy')).toBe(CSP);

      // Navigation and new windows: denied; only vetted https links go to the browser.
      const wc = win.webContents;
      expect(wc.windowOpenHandler!({ url: 'https://github.com/marquee' })).toEqual({ action: 'deny' });
      expect(wc.windowOpenHandler!({ url: 'http://evil.example/' })).toEqual({ action: 'deny' });
      const nav = (url: string) => {
        let prevented = false;
        wc.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
        return prevented;
      };
      expect(nav('https://evil.example/phish')).toBe(true);
      expect(nav('file:///etc/passwd')).toBe(true);
      expect(nav('app://marquee/index.html')).toBe(false);
      await vi.waitFor(() => expect(e.opened).toEqual(['https://github.com/marquee']));
      let webviewPrevented = false;
      wc.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
      expect(webviewPrevented).toBe(true);

      // Permissions and remote requests.
      const answers: boolean[] = [];
      for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) e.permissionRequest!(wc, p, (ok: boolean) => answers.push(ok));
      expect(answers).toEqual([false, false, false, false]);
      expect(e.permissionCheck!(wc, 'media')).toBe(false);
      // The one exception: the camera (video only) for the app's own page in its own window (door scanning).
      const camera: boolean[] = [];
      const ask = (contents: unknown, permission: string, details: unknown) => e.permissionRequest!(contents, permission, (ok: boolean) => camera.push(ok), details);
      ask(wc, 'media', { requestingUrl: 'app://marquee/index.html', mediaTypes: ['video'] });
      ask(wc, 'media', { requestingUrl: 'app://marquee/index.html', mediaTypes: ['video', 'audio'] });
      ask(wc, 'media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] });
      ask(new FakeWebContents(9999), 'media', { requestingUrl: 'app://marquee/index.html', mediaTypes: ['video'] });
      ask(wc, 'geolocation', { requestingUrl: 'app://marquee/index.html' });
      expect(camera).toEqual([true, false, false, false, false]);
      expect(e.permissionCheck!(wc, 'media', 'app://marquee', { mediaType: 'video' })).toBe(true);
      expect(e.permissionCheck!(wc, 'media', 'app://marquee', { mediaType: 'audio' })).toBe(false);
      expect(e.permissionCheck!(null, 'media', 'app://marquee', { mediaType: 'video' })).toBe(false);
      expect(e.beforeRequest!.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*']));
      let cancelled: unknown;
      e.beforeRequest!.fn({ url: 'https://cdn.example/x.js' }, (r: unknown) => (cancelled = r));
      expect(cancelled).toEqual({ cancel: true });

      expect(e.menus).toEqual([]); // the normal window keeps its menu
    } finally {
      await quit();
    }
  }, 60_000);

  it('kiosk mode: no menu, full screen, idle lock sent to the window, signs it out, and re-armed by input', async () => {
    const { e, quit } = await launch(['--kiosk', '--idle-minutes', '0.005', '--data', join(base, 'data-kiosk')]);
    try {
      const win = e.windows[0]!;
      expect(e.menus).toEqual([null]);
      expect(win.options).toMatchObject({ kiosk: true, fullscreen: true });
      expect((win.options.webPreferences as { devTools: boolean }).devTools).toBe(false);
      await vi.waitFor(() => expect(win.webContents.sent).toEqual([IDLE_LOCK_CHANNEL]), { timeout: 5_000, interval: 50 });
      // Signed in after the first lock; no input since, so the lock stays spent until input re-arms it.
      const own = { sender: { id: win.webContents.id }, senderFrame: { url: 'app://marquee/index.html', parent: null } };
      const call = (name: OperationName, input: unknown) => e.ipcHandlers.get(ipcChannel(name))!(own, input) as Promise<{ ok: boolean; error?: { code: string } }>;
      const [, username, password] = /Username: (\S+)\nPassword: (\S+)/.exec(e.messages[0] ?? '') ?? [];
      expect(await call('signIn', { username, password })).toMatchObject({ ok: true });
      expect(await call('listUsers', {})).toMatchObject({ ok: true });
      win.webContents.emit('input-event', {}, { type: 'mouseDown' });
      await vi.waitFor(() => expect(win.webContents.sent).toEqual([IDLE_LOCK_CHANNEL, IDLE_LOCK_CHANNEL]), { timeout: 5_000, interval: 50 });
      // The lock reached the core's session of this window (in the worker): signed out.
      expect(await call('listUsers', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    } finally {
      await quit();
    }
  }, 60_000);

  it('refuses to start without a built renderer, with a clear message', async () => {
    rmSync(join(base, 'dist', 'renderer', 'index.html'));
    try {
      await expect(launch(['--data', join(base, 'data-missing')])).rejects.toThrow(/exit 1\): The box office UI is not built .* Run `npm run build` first/);
    } finally {
      writeFileSync(join(base, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Marquee test</title>');
    }
  }, 60_000);
});
