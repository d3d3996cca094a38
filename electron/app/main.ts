// Electron main process: starts the core host (store, operations, change feed and the optional HTTP
// API on a worker thread, so no query ever freezes the window), relays IPC calls to it, and keeps
// the window locked down (own protocol, no navigation, no permissions but the camera for door scanning).
import './dev-native-modules.js';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, powerMonitor, protocol, session, shell } from 'electron';
import type { CoreHost } from '../core/host/core-host.js';
import { startRestartingCoreHost } from '../core/host/restarting-core-host.js';
import { VERSION } from '../core/version.js';
import { APP_SCHEME, IDLE_LOCK_CHANNEL, SEAT_CHANGE_CHANNEL, START_URL } from './app-origin.js';
import { parseDesktopArgs } from './desktop-args.js';
import { IdleLock } from './idle-lock.js';
import { createSenderCheck, registerIpcHandlers } from './ipc-bridge.js';
import { createAppProtocolHandler } from './protocol.js';
import { APP_SCHEME_PRIVILEGES, harden, lockDownSession, secureWebPreferences } from './security.js';
import { loadSettings, saveSettings, settingsFile } from './settings.js';
import { createTicketPdfExport } from './ticket-pdf.js';

const args = parseDesktopArgs(process.argv.slice(1));
// main.cjs sits in dist-electron/, next to dist/renderer — in the repo and inside app.asar alike.
const rendererDir = resolve(__dirname, '..', 'dist', 'renderer');
const preloadFile = join(__dirname, 'preload.cjs');
const appWebContents = new Set<number>();

// Must happen before `ready`: a standard, secure scheme gets a real origin, fetch and storage.
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
if (args.dataDir) app.setPath('userData', resolve(args.dataDir));

let core: CoreHost | null = null;
let idleTimer: NodeJS.Timeout | null = null;

const log = (...parts: unknown[]) => console.error('[marquee]', ...parts);

const guards = { openExternal: (url: string) => void shell.openExternal(url), log };

function lockDown(): void {
  lockDownSession(session.defaultSession, log, (id) => appWebContents.has(id));
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}

/** saveTicketsPdf: prints the calling window (one of ours, showing that order's tickets) to a PDF file. */
const ticketPdf = createTicketPdfExport<BrowserWindow>({
  appWindow: (id) => {
    if (!appWebContents.has(id)) return null;
    const win = BrowserWindow.getAllWindows().find((w) => !w.isDestroyed() && w.webContents.id === id);
    return win ? { window: win, contents: win.webContents } : null;
  },
  showSaveDialog: (win, options) => dialog.showSaveDialog(win, options),
  documentsDir: () => app.getPath('documents'),
  writeFile: (path, data) => writeFile(path, data),
  log,
});

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Marquee',
    show: false,
    backgroundColor: '#ffffff',
    kiosk: args.kiosk,
    fullscreen: args.kiosk,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences({ preload: preloadFile, devTools: !args.kiosk && !app.isPackaged }),
  });
  const id = win.webContents.id;
  appWebContents.add(id);
  win.on('closed', () => appWebContents.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(START_URL);
  return win;
}

function startIdleLock(minutes: number): void {
  const lock = new IdleLock({
    timeoutMs: minutes * 60_000,
    systemIdleSeconds: () => powerMonitor.getSystemIdleTime(),
    onLock: () => {
      for (const win of BrowserWindow.getAllWindows()) {
        if (!appWebContents.has(win.webContents.id)) continue;
        core?.lock(win.webContents.id);
        win.webContents.send(IDLE_LOCK_CHANNEL);
      }
    },
  });
  app.on('browser-window-created', (_e, win) => win.webContents.on('input-event', () => lock.activity()));
  for (const win of BrowserWindow.getAllWindows()) win.webContents.on('input-event', () => lock.activity());
  idleTimer = setInterval(() => lock.tick(), Math.min(5_000, Math.max(250, minutes * 60_000 / 4)));
}

async function boot(): Promise<void> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The box office UI is not built (${rendererDir} has no index.html). Run \`npm run build\` first.`);
  }
  const dataDir = app.getPath('userData');
  const file = settingsFile(dataDir);
  const settings = loadSettings(file);
  const sendToWindows = (channel: string, payload: unknown) => {
    for (const win of BrowserWindow.getAllWindows()) if (appWebContents.has(win.webContents.id)) win.webContents.send(channel, payload);
  };
  const host = await startRestartingCoreHost(
    {
      // MARQUEE_DATABASE_URL wins over the saved setting (a venue's managed install); else Settings → Shared database.
      store: { dataDir, databaseUrl: process.env.MARQUEE_DATABASE_URL || settings.store.databaseUrl },
      storeSettings: {
        source: process.env.MARQUEE_DATABASE_URL ? 'environment' : settings.store.databaseUrl ? 'settings' : 'default',
        saved: settings.store.databaseUrl,
        persist: (databaseUrl) => saveSettings(file, { ...loadSettings(file), store: { databaseUrl } }),
      },
      version: VERSION,
      httpServer: { dataDir, initial: settings.httpServer, persist: (httpServer) => saveSettings(file, { ...loadSettings(file), httpServer }) },
      // Live seat maps: every committed seat change goes to our windows (the preload's onSeatChange).
      onSeatChange: (change) => sendToWindows(SEAT_CHANGE_CHANNEL, change),
      onFailure: (err) => log('the core stopped; starting it again', err),
      // The worker has its own module loader: dev-native-modules.ts does not reach it.
      nativeDir: app.isPackaged ? undefined : process.env.MARQUEE_ELECTRON_NATIVE_DIR,
      ticketPdf,
      onTicketPdfError: (err) => log('saving tickets as PDF failed', err),
    },
    {
      // The new core knows no kiosk sign-ins: every window goes back to its sign-in screen.
      onRestart: () => sendToWindows(IDLE_LOCK_CHANNEL, undefined),
      onGiveUp: (err) => log('the core failed again and stays stopped; calls now fail', err),
    },
  );
  core = host;
  if (host.firstRunAdmin) {
    // Shown once: only the scrypt hash is kept.
    void dialog.showMessageBox({
      type: 'info',
      message: 'Marquee created the admin account',
      detail: `Username: ${host.firstRunAdmin.username}\nPassword: ${host.firstRunAdmin.password}\n\nWrite it down now: it is shown only this once. Change it, and add staff, in Users.`,
    });
  }
  registerIpcHandlers(ipcMain, {
    core: host,
    // Each window's signed-in user (sign-in screen, PIN pad), kept in the core; the idle lock signs it out.
    caller: (event) => ({ kind: 'kiosk', senderId: event.sender.id }),
    isTrustedSender: createSenderCheck((id) => appWebContents.has(id)),
    onRefused: (name, event) => log(`refused ${name} from`, event.senderFrame?.url ?? 'a destroyed frame'),
    onInternalError: (name, err) => log(`${name} failed`, err),
  });
  lockDown();
  if (args.kiosk) Menu.setApplicationMenu(null);
  createWindow();
  if (args.kiosk) startIdleLock(args.idleMinutes ?? settings.idleLockMinutes);
  // The window does not wait for the optional API; a busy port is reported in Settings.
  host.applyHttp().then(
    (s) => s.error && log(s.error),
    (err: unknown) => log('HTTP server', err),
  );
}

let quitting = false;
async function shutdown(): Promise<void> {
  if (idleTimer) clearInterval(idleTimer);
  await core?.close().catch((err: unknown) => log('closing the core', err));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => harden(contents, guards));
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void shutdown().finally(() => app.quit());
  });
  app.whenReady().then(boot).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    log(message);
    dialog.showErrorBox('Marquee could not start', message);
    app.exit(1);
  });
}
