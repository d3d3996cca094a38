import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, START_URL, isAppUrl } from '../../electron/app/app-origin.js';
import { EXTERNAL_HOSTS, isVettedExternalUrl } from '../../electron/app/external-links.js';
import { createSenderCheck, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { exposeApi, type ContextBridgeLike, type IpcRendererLike } from '../../electron/app/preload-client.js';
import { createAppProtocolHandler, resolveAppPath } from '../../electron/app/protocol.js';
import { APP_SCHEME_PRIVILEGES, BLOCKED_REQUEST_URLS, harden, lockDownSession, secureWebPreferences, type HardenTarget, type LockDownTarget } from '../../electron/app/security.js';
import { operationNames } from '../../shared/operations/index.js';
import { CSP, PERMISSIONS_POLICY } from '../../electron/core/http/server.js';
import { allowPermissionCheck, allowPermissionRequest } from '../../electron/app/permissions.js';

describe('shell.openExternal allow-list', () => {
  it('lets through https links to listed hosts', () => {
    expect(isVettedExternalUrl('https://www.openstreetmap.org/#map=16/41.88/-87.63')).toBe(true);
    expect(isVettedExternalUrl('https://github.com/marquee/marquee/issues')).toBe(true);
    expect(isVettedExternalUrl('https://GitHub.com/x')).toBe(true);
    expect(isVettedExternalUrl('https://tickets.example/e/1', ['tickets.example'])).toBe(true);
  });

  it.each([
    'http://github.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://github.com/share',
    'ms-msdt:/id PCWDiagnostic',
    'https://github.com.evil.example/',
    'https://evilgithub.com/',
    'https://user:pw@github.com/',
    'https://github.com@evil.example/',
    'https://github.com:8443/',
    'app://marquee/index.html',
    'not a url',
    '',
    `https://github.com/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => {
    expect(isVettedExternalUrl(url)).toBe(false);
  });

  it('refuses hosts missing from the list it is given', () => {
    expect(isVettedExternalUrl('https://github.com/', [])).toBe(false);
    expect(EXTERNAL_HOSTS.every((h) => h === h.toLowerCase())).toBe(true);
  });
});

describe('app origin', () => {
  it('recognises only app://marquee pages', () => {
    expect(isAppUrl('app://marquee/index.html')).toBe(true);
    expect(isAppUrl('app://marquee/orders/ABC')).toBe(true);
    for (const url of ['app://marquee.evil/', 'app://evil/', 'https://marquee/', 'app://x@marquee/', 'app://marquee:99/', 'about:blank', 'garbage']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('permissions: the camera for door scanning, nothing else', () => {
  it('lets the app’s own pages ask for the camera (video only)', () => {
    expect(allowPermissionRequest('media', 'app://marquee/index.html#/door', ['video'])).toBe(true);
    expect(allowPermissionCheck('media', 'app://marquee', 'video')).toBe(true);
  });

  it.each([
    ['media', 'app://marquee/index.html', ['video', 'audio']],
    ['media', 'app://marquee/index.html', ['audio']],
    ['media', 'app://marquee/index.html', []],
    ['media', 'app://marquee/index.html', undefined],
    ['media', 'https://evil.example/', ['video']],
    ['media', 'app://evil/', ['video']],
    ['media', 'app://marquee.evil/', ['video']],
    ['media', undefined, ['video']],
    ['geolocation', 'app://marquee/index.html', undefined],
    ['notifications', 'app://marquee/index.html', undefined],
    ['openExternal', 'app://marquee/index.html', undefined],
    ['display-capture', 'app://marquee/index.html', ['video']],
    ['hid', 'app://marquee/index.html', undefined],
  ] as const)('refuses %s from %s (%j)', (permission, url, media) => {
    expect(allowPermissionRequest(permission, url, media)).toBe(false);
  });

  it('answers checks for the camera only, for the app’s origin only', () => {
    expect(allowPermissionCheck('media', 'app://marquee', 'audio')).toBe(false);
    expect(allowPermissionCheck('media', 'app://marquee', 'unknown')).toBe(false);
    expect(allowPermissionCheck('media', 'https://evil.example', 'video')).toBe(false);
    expect(allowPermissionCheck('media', '', 'video')).toBe(false);
    expect(allowPermissionCheck('clipboard-read', 'app://marquee', undefined)).toBe(false);
  });

  it('the pages’ Permissions-Policy allows the camera on their own origin and nothing of the rest', () => {
    const features = Object.fromEntries(PERMISSIONS_POLICY.split(',').map((d) => d.trim().split('=') as [string, string]));
    expect(features.camera).toBe('(self)');
    for (const [name, allow] of Object.entries(features)) if (name !== 'camera') expect(allow, name).toBe('()');
    expect(features.microphone).toBe('()');
  });
});

describe('app:// protocol', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'marquee-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Marquee</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'api token');
    mkdirSync(join(base, 'renderer-evil'));
    writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('maps paths inside the renderer folder, and routes to index.html', () => {
    expect(resolveAppPath(root, 'app://marquee/assets/app.js')).toEqual({ kind: 'file', path: join(root, 'assets', 'app.js') });
    expect(resolveAppPath(root, 'app://marquee/')).toEqual({ kind: 'file', path: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://marquee/events/107')).toEqual({ kind: 'file', path: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://marquee/a%20b.js')).toEqual({ kind: 'file', path: join(root, 'a b.js') });
  });

  it.each([
    'app://marquee/..%2fsecret.txt',
    'app://marquee/assets/..%2f..%2fsecret.txt',
    'app://marquee/%2E%2E%2Fsecret.txt',
    'app://marquee/..%5csecret.txt',
    'app://marquee/assets%5c..%5c..%5csecret.txt',
    'app://marquee/x%00.js',
    'app://marquee/%E0%A4%A',
    'app://evil/index.html',
    'https://marquee/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url).kind).toBe('refused');
  });

  it.each(['app://marquee/../renderer-evil/x.js', 'app://marquee/%2e%2e/secret.txt', 'app://marquee/assets/../../secret.txt'])(
    'keeps %s inside the root (the URL parser drops plain dot segments first)',
    (url) => {
      const r = resolveAppPath(root, url);
      expect(r.kind).toBe('file');
      expect(r.kind === 'file' && r.path.startsWith(join(root, '/'))).toBe(true);
    },
  );

  it('serves files with the CSP and refuses traversal with no body leak', async () => {
    const handle = createAppProtocolHandler(root);
    const ok = await handle(new Request('app://marquee/assets/app.js'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe(CSP);
    expect(ok.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toBe('console.log(1)');

    const page = await handle(new Request('app://marquee/'));
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Marquee</title>');

    for (const url of ['app://marquee/..%2fsecret.txt', 'app://marquee/%2e%2e/secret.txt']) {
      const r = await handle(new Request(url));
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(await r.text()).not.toContain('api token');
    }
    expect((await handle(new Request('app://marquee/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://marquee/assets'))).status).toBe(200); // a route, not the folder
    expect((await handle(new Request('app://marquee/assets/app.js', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

// ---------------------------------------------------------------------------------------------
// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), one
// test per item that applies, named "#<item> <item name>: ..." so the README table can point at
// each. Items set by packaging (#16 current Electron, #19 fuses) are in electron-builder-config.test.ts.
// ---------------------------------------------------------------------------------------------

type Fn = (...args: unknown[]) => unknown;
const root = join(import.meta.dirname, '..', '..');
const source = (rel: string) => readFileSync(join(root, rel), 'utf8');
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mts|mjs|cjs|js)$/.test(name)) out.push(rel);
  }
  return out;
}
const appSources = () => sourceFiles('electron/app').map((f) => [f, source(f)] as const);

class FakeContents {
  readonly listeners = new Map<string, Fn[]>();
  windowOpenHandler: ((d: { url: string }) => unknown) | null = null;
  on(event: string, fn: Fn) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  setWindowOpenHandler(fn: (d: { url: string }) => unknown) {
    this.windowOpenHandler = fn;
  }
  /** Emits a cancellable event; true when a listener called preventDefault. */
  fire(event: string, url?: string): boolean {
    let prevented = false;
    for (const fn of this.listeners.get(event) ?? []) fn({ url, preventDefault: () => (prevented = true) }, { allowpopups: 'true', src: url }, { src: url });
    return prevented;
  }
}

function hardened() {
  const contents = new FakeContents();
  const opened: string[] = [];
  const logged: unknown[][] = [];
  harden(contents as unknown as HardenTarget, { openExternal: (url) => opened.push(url), log: (...parts) => logged.push(parts) });
  return { contents, opened, logged };
}

function lockedSession(isAppContents?: (id: number) => boolean) {
  const h = { request: null as Fn | null, check: null as Fn | null, device: null as Fn | null, before: null as { filter: { urls: string[] }; fn: Fn } | null };
  const ses = {
    setPermissionRequestHandler: (fn: Fn) => void (h.request = fn),
    setPermissionCheckHandler: (fn: Fn) => void (h.check = fn),
    setDevicePermissionHandler: (fn: Fn) => void (h.device = fn),
    webRequest: { onBeforeRequest: (filter: { urls: string[] }, fn: Fn) => void (h.before = { filter, fn }) },
  };
  lockDownSession(ses as unknown as LockDownTarget, () => undefined, isAppContents);
  return h;
}

const prefs = secureWebPreferences({ preload: '/app/preload.cjs', devTools: false }) as Record<string, unknown>;

describe('Electron security checklist', () => {
  it('#1 only load secure content: every http, https, ws, wss and file request of the session is cancelled', () => {
    const h = lockedSession();
    expect(h.before!.filter.urls).toEqual(BLOCKED_REQUEST_URLS);
    expect(BLOCKED_REQUEST_URLS).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*']));
    for (const url of ['https://cdn.example/x.js', 'http://evil.example/', 'wss://evil.example/s', 'file:///etc/passwd']) {
      let answer: unknown;
      h.before!.fn({ url }, (r: unknown) => (answer = r));
      expect(answer, url).toEqual({ cancel: true });
    }
    // The window starts on our own protocol, never on a remote or plain-http page.
    expect(START_URL.startsWith(`${APP_ORIGIN}/`)).toBe(true);
  });

  it('#2 no Node.js integration: off in the page, its workers and its subframes', () => {
    expect(prefs).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('#3 context isolation: on', () => {
    expect(prefs.contextIsolation).toBe(true);
  });

  it('#4 process sandboxing: on, and the preload bundle requires nothing but electron', () => {
    expect(prefs.sandbox).toBe(true);
    // build-electron.mjs fails the build on any other require in preload.cjs; the preload source imports only electron and app modules.
    expect(source('build/build-electron.mjs')).toContain("a sandboxed preload may only require electron");
    const imports = [...source('electron/app/preload.ts').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((i) => i !== 'electron' && !i!.startsWith('./'))).toEqual([]);
  });

  it('#5 session permission requests: every request, check and device permission is denied by default', () => {
    const h = lockedSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'midi', 'pointerLock', 'fullscreen', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb', 'unknown']) {
      const answers: boolean[] = [];
      h.request!({}, permission, (ok: boolean) => answers.push(ok), {});
      expect(answers, permission).toEqual([false]);
      expect(h.check!({}, permission, APP_ORIGIN, {}), permission).toBe(false);
    }
    expect(h.device!({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false);
  });

  it('#5 session permission requests: the one exception is the camera (video only) for our own windows on app://', () => {
    const h = lockedSession((id) => id === 7);
    const ask = (wc: { id?: number }, permission: string, details: object) => {
      const answers: boolean[] = [];
      h.request!(wc, permission, (ok: boolean) => answers.push(ok), details);
      return answers;
    };
    expect(ask({ id: 7 }, 'media', { requestingUrl: START_URL, mediaTypes: ['video'] })).toEqual([true]);
    expect(ask({ id: 7 }, 'media', { requestingUrl: START_URL, mediaTypes: ['video', 'audio'] })).toEqual([false]);
    expect(ask({ id: 8 }, 'media', { requestingUrl: START_URL, mediaTypes: ['video'] })).toEqual([false]);
    expect(ask({ id: 7 }, 'media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] })).toEqual([false]);
    expect(ask({ id: 7 }, 'geolocation', { requestingUrl: START_URL })).toEqual([false]);
    expect(h.check!({ id: 7 }, 'media', APP_ORIGIN, { mediaType: 'video' })).toBe(true);
    expect(h.check!({ id: 7 }, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(false);
    expect(h.check!(null, 'media', APP_ORIGIN, { mediaType: 'video' })).toBe(false);
  });

  it('#6 webSecurity not disabled', () => {
    expect(prefs.webSecurity).toBe(true);
  });

  it('#7 Content Security Policy: sent with every app:// response; scripts only from the app, no eval, no plugins, no framing', async () => {
    const directives = new Map(CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/unsafe-eval|https?:|\*/);
    const dir = mkdtempSync(join(tmpdir(), 'marquee-csp-'));
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      const handle = createAppProtocolHandler(dir);
      for (const url of ['app://marquee/', 'app://marquee/orders/X/tickets', 'app://marquee/missing.js', 'app://evil/']) {
        expect((await handle(new Request(url))).headers.get('content-security-policy'), url).toBe(CSP);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('#8 allowRunningInsecureContent not enabled', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('#9 experimental features not enabled', () => {
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('#10 enableBlinkFeatures not used', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    for (const [file, text] of appSources()) expect(text, file).not.toMatch(/enableBlinkFeatures\s*:/);
  });

  it('#11 <webview> allowpopups: no webview at all (webviewTag off, attaching refused)', () => {
    expect(prefs.webviewTag).toBe(false);
    const { contents } = hardened();
    expect(contents.fire('will-attach-webview', 'app://marquee/index.html')).toBe(true);
  });

  it('#12 <webview> options and params verified: will-attach-webview refuses every webview, our own pages included', () => {
    const { contents } = hardened();
    for (const url of ['https://evil.example/', 'app://marquee/index.html', 'file:///etc/passwd']) expect(contents.fire('will-attach-webview', url), url).toBe(true);
  });

  it('#13 navigation limited: will-navigate, will-frame-navigate and will-redirect stop anything outside app://marquee', () => {
    const { contents, opened } = hardened();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of ['https://evil.example/phish', 'http://marquee/', 'file:///etc/passwd', 'app://evil/', 'app://x@marquee/', 'javascript:alert(1)', 'data:text/html,x']) {
        expect(contents.fire(event, url), `${event} ${url}`).toBe(true);
      }
      expect(contents.fire(event, 'app://marquee/orders/MQ-1/tickets'), event).toBe(false);
    }
    // A vetted link the page tried to navigate to goes to the browser instead; nothing else does.
    expect(contents.fire('will-navigate', 'https://github.com/marquee')).toBe(true);
    expect(opened).toEqual(['https://github.com/marquee']);
  });

  it('#14 new windows refused: setWindowOpenHandler denies every window.open and target=_blank', () => {
    const { contents } = hardened();
    for (const url of ['https://github.com/marquee', 'app://marquee/index.html', 'https://evil.example/', 'about:blank', '']) {
      expect(contents.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' });
    }
  });

  it('#15 shell.openExternal only with vetted content: only allow-listed https links reach it, the rest is logged', () => {
    const { contents, opened, logged } = hardened();
    for (const url of ['https://github.com/marquee/marquee', 'https://www.openstreetmap.org/#map=1/2/3', 'file:///bin/sh', 'smb://evil/share', 'ms-msdt:/id x', 'https://github.com.evil.example/', 'http://github.com/']) {
      contents.windowOpenHandler!({ url });
    }
    expect(opened).toEqual(['https://github.com/marquee/marquee', 'https://www.openstreetmap.org/#map=1/2/3']);
    expect(logged.map((l) => l[0])).toEqual(Array(5).fill('blocked link'));
    // main.ts calls shell.openExternal in exactly one place: the guards given to harden().
    const calls = appSources().flatMap(([file, text]) => [...text.matchAll(/shell\.openExternal\(/g)].map(() => file));
    expect(calls).toEqual([join('electron/app/main.ts')]);
  });

  it('#17 IPC sender validated: only the top frame of one of our windows on app://marquee may call', () => {
    const check = createSenderCheck((id) => id === 1);
    const ev = (id: number, url: string, parent: unknown = null): SenderEvent => ({ sender: { id }, senderFrame: { url, parent } });
    expect(check(ev(1, 'app://marquee/index.html'))).toBe(true);
    expect(check(ev(2, 'app://marquee/index.html'))).toBe(false); // a window we did not open
    expect(check(ev(1, 'https://evil.example/'))).toBe(false); // our window, a foreign page
    expect(check(ev(1, 'app://marquee/index.html', {}))).toBe(false); // a subframe
    expect(check(ev(1, 'file:///index.html'))).toBe(false);
    expect(check({ sender: { id: 1 }, senderFrame: null })).toBe(false); // frame already gone
    // Every handler the bridge registers goes through the check (ipcMain.on is never used).
    const bridge = source('electron/app/ipc-bridge.ts');
    expect(bridge).toMatch(/if \(!o\.isTrustedSender\(event\)\)/);
    for (const [file, text] of appSources()) expect(text, file).not.toMatch(/ipcMain\.on\(/);
  });

  it('#18 custom protocol instead of file://: pages come from app://marquee, registered secure and standard; no loadFile', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(START_URL).toBe('app://marquee/index.html');
    for (const [file, text] of appSources()) {
      expect(text, file).not.toMatch(/\.loadFile\(|loadURL\(\s*['"`]file:/);
    }
    expect(source('electron/app/main.ts')).toContain('protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir))');
  });

  it('#20 Electron APIs not exposed to web content: the page gets window.marquee (one function per operation) and window.marqueeEvents, never ipcRenderer', () => {
    const exposed: Record<string, unknown> = {};
    const bridge: ContextBridgeLike = { exposeInMainWorld: (k, api) => void (exposed[k] = api) };
    const ipc: IpcRendererLike & { send: Fn } = { invoke: async () => ({ ok: true, value: null }), on: () => undefined, send: () => undefined };
    exposeApi(bridge, ipc, () => undefined);
    expect(Object.keys(exposed).sort()).toEqual(['marquee', 'marqueeEvents']);
    const api = exposed.marquee as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...operationNames].sort());
    expect(Object.isFrozen(api) && Object.isFrozen(exposed.marqueeEvents)).toBe(true);
    expect(Object.keys(exposed.marqueeEvents as object).sort()).toEqual(['onIdleLock', 'onSeatChange']);
    for (const value of [...Object.values(api), ...Object.values(exposed.marqueeEvents as object)]) {
      expect(value).not.toBe(ipc);
      expect(value).not.toBe(ipc.invoke);
      expect(value).not.toBe(ipc.on);
    }
    // The preload passes ipcRenderer only to exposeApi, never to exposeInMainWorld.
    expect(source('electron/app/preload.ts')).not.toMatch(/exposeInMainWorld/);
  });

  it('#R no remote module: no @electron/remote dependency, no enableRemoteModule, no import of it anywhere', () => {
    const pkg = JSON.parse(source('package.json')) as Record<string, Record<string, string> | undefined>;
    for (const deps of [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies]) expect(Object.keys(deps ?? {})).not.toContain('@electron/remote');
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    for (const file of [...sourceFiles('electron'), ...sourceFiles('renderer/src'), ...sourceFiles('shared')]) {
      expect(source(file), file).not.toMatch(/@electron\/remote|\bremote\s*}\s*from\s*'electron'|enableRemoteModule/);
    }
  });

  it('#2–#14 wiring: every window main.ts opens uses secureWebPreferences, and every webContents gets harden()', () => {
    for (const [file, text] of appSources()) {
      const windows = [...text.matchAll(/new BrowserWindow\(/g)].length;
      const secured = [...text.matchAll(/webPreferences: secureWebPreferences\(/g)].length;
      expect(secured, file).toBe(windows);
    }
    const main = source('electron/app/main.ts');
    expect(main).toContain("app.on('web-contents-created', (_e, contents) => harden(contents, guards))");
    expect(main).toContain('lockDownSession(session.defaultSession, log, (id) => appWebContents.has(id))');
    // devTools follow the caller: off in kiosk mode and in the packaged app.
    expect(secureWebPreferences({ devTools: true }).devTools).toBe(true);
    expect(secureWebPreferences({ devTools: false })).not.toHaveProperty('preload');
  });
});

describe('README security checklist table', () => {
  it('names only tests that exist, in the files it says, and every checklist item 1–20 has a row', () => {
    const readme = source('README.md');
    const start = readme.indexOf("### The desktop window: Electron's security checklist");
    expect(start).toBeGreaterThan(-1);
    const rows = readme
      .slice(start, readme.indexOf('\n## ', start))
      .split('\n')
      .filter((l) => /^\| (\d+|—) /.test(l));
    const items = rows.map((r) => /^\| (\d+|—) /.exec(r)?.[1]).filter((n) => n !== '—');
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    for (const row of rows) {
      const [cell = '', names = ''] = row.split(' | ').at(-1)!.split(' → ');
      const files = [...cell.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]!);
      expect(files.length, row).toBeGreaterThan(0);
      const text = files.map(source).join('\n');
      for (const [, name] of names.matchAll(/`(#[^`]+)`/g)) {
        const prefix = name!.replace(/…$/, '');
        expect(text.includes(`it('${prefix}`), `${prefix} in ${files.join(', ')}`).toBe(true);
      }
    }
  });
});
