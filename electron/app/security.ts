// The Electron security checklist (https://www.electronjs.org/docs/latest/tutorial/security) as
// code: the webPreferences of every window, the guards put on every webContents, and the session
// lockdown. Only types come from `electron` here, so unit tests drive these with fakes; main.ts
// passes the real objects (and test/unit/electron-main-bundle.test.ts checks it does).
import type { Session, WebContents, WebPreferences } from 'electron';
import { APP_SCHEME, isAppUrl } from './app-origin.js';
import { isVettedExternalUrl } from './external-links.js';
import { allowPermissionCheck, allowPermissionRequest } from './permissions.js';

/**
 * The webPreferences of every window Marquee opens (the box office and the hidden PDF window).
 * Each flag is spelt out, even where it is Electron's default, so a change of default or a stray
 * edit shows up in review and in test/unit/electron-security.test.ts. `enableBlinkFeatures` is
 * absent on purpose.
 */
export function secureWebPreferences(o: { preload?: string; devTools: boolean }): WebPreferences {
  return {
    ...(o.preload ? { preload: o.preload } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: o.devTools,
  };
}

/** app:// is registered before `ready` as a standard, secure scheme: a real origin, fetch and storage. */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }];

/** Everything the network stack would fetch from outside the app: cancelled (the CSP says the same to the page). */
export const BLOCKED_REQUEST_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'];

export interface GuardDeps {
  openExternal: (url: string) => void;
  log: (...parts: unknown[]) => void;
}

/** shell.openExternal only for vetted https links (external-links.ts); anything else is logged and dropped. */
export function externalOpener(deps: GuardDeps): (url: string) => boolean {
  return (url) => {
    if (isVettedExternalUrl(url)) {
      deps.openExternal(url);
      return true;
    }
    deps.log('blocked link', String(url).slice(0, 200));
    return false;
  };
}

/** The part of WebContents harden() uses; the real one is passed by main.ts. */
export type HardenTarget = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/**
 * Applied to every webContents (app 'web-contents-created'), including any a bug or an attack
 * manages to create: no new windows, no navigation or redirect away from app://, no <webview>.
 */
export function harden(contents: HardenTarget, deps: GuardDeps): void {
  const open = externalOpener(deps);
  contents.setWindowOpenHandler(({ url }) => {
    open(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    open(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The part of Session lockDownSession() uses. */
export type LockDownTarget = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** Every permission (geolocation, notifications, USB, HID, serial, microphone…) denied, the camera only to our own windows; no remote request leaves. */
export function lockDownSession(ses: LockDownTarget, log: (...parts: unknown[]) => void, isAppContents: (id: number) => boolean = () => false): void {
  // Nothing but the camera (video only) for our own windows' pages: the Door screen's QR scanning (permissions.ts).
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const mediaTypes = details && 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isAppContents(wc.id) && allowPermissionRequest(permission, details?.requestingUrl, mediaTypes));
  });
  ses.setPermissionCheckHandler((wc, permission, requestingOrigin, details) => {
    const mediaType = details && 'mediaType' in details ? details.mediaType : undefined;
    return wc !== null && isAppContents(wc.id) && allowPermissionCheck(permission, requestingOrigin, mediaType);
  });
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: BLOCKED_REQUEST_URLS }, (details, callback) => {
    log('blocked request', details.url.slice(0, 200));
    callback({ cancel: true });
  });
}
