import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { buildElectron } from '../../../build/build-electron.mjs';
import { createSenderCheck, registerIpcHandlers, type IpcResult, type SenderEvent } from '../../../electron/app/ipc-bridge.js';
import type { CoreHost } from '../../../electron/core/host/core-host.js';
import { resolveAppPath } from '../../../electron/app/protocol.js';
import { CSP } from '../../../electron/core/http/server.js';

/**
 * What the renderer sees of the desktop app, minus Electron itself (as in electron.spec.ts's
 * "preload and bridge in Chromium"): the system Chromium with the real preload bundle
 * (dist-electron/preload.cjs) and the real main-side IPC bridge on a core host, joined by a
 * stand-in for contextBridge/ipcRenderer, dist/renderer served the way protocol.ts does.
 */
const root = resolve(import.meta.dirname, '..', '..', '..');

export async function desktopWindow(browser: Browser, host: CoreHost): Promise<{ page: Page; context: BrowserContext }> {
  const { preload: preloadFile } = await buildElectron({ quiet: true });
  const preload = readFileSync(preloadFile, 'utf8');
  const handlers = new Map<string, (event: SenderEvent, input: unknown) => Promise<IpcResult>>();
  registerIpcHandlers({ handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) }, {
    core: host,
    isTrustedSender: createSenderCheck((id) => id === 1),
  });
  const rendererDir = join(root, 'dist', 'renderer');
  const context = await browser.newContext();
  const page = await context.newPage();
  const appFrame: SenderEvent = { sender: { id: 1 }, senderFrame: { url: 'app://marquee/index.html', parent: null } };
  await page.exposeFunction('__marqueeIpcInvoke', async (channel: string, input: unknown) => {
    const handler = handlers.get(channel);
    return handler ? handler(appFrame, input) : { ok: false, error: { code: 'NOT_FOUND', message: `no handler for ${channel}` } };
  });
  await page.addInitScript({
    content: `(() => {
      const electron = {
        contextBridge: { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: api, enumerable: true }) },
        ipcRenderer: {
          invoke: (channel, ...args) => window.__marqueeIpcInvoke(channel, args[0]),
          on: () => electron.ipcRenderer,
        },
      };
      const require = (name) => { if (name === 'electron') return electron; throw new Error('a sandboxed preload cannot require ' + name); };
      const module = { exports: {} };
      (function (require, module, exports) { ${preload} })(require, module, module.exports);
    })();`,
  });
  await page.route('http://marquee.test/**', async (route) => {
    const r = resolveAppPath(rendererDir, route.request().url().replace('http://marquee.test/', 'app://marquee/'));
    if (r.kind !== 'file') return route.fulfill({ status: r.status, body: 'refused' });
    const body = await readFile(r.path).catch(() => null);
    if (!body) return route.fulfill({ status: 404, body: 'Not found' });
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
    return route.fulfill({ status: 200, body, headers: { 'content-type': types[extname(r.path)] ?? 'application/octet-stream', 'content-security-policy': CSP } });
  });
  await page.goto('http://marquee.test/index.html');
  return { page, context };
}
