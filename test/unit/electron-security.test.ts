import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppUrl } from '../../electron/app/app-origin.js';
import { EXTERNAL_HOSTS, isVettedExternalUrl } from '../../electron/app/external-links.js';
import { allowPermissionCheck, allowPermissionRequest } from '../../electron/app/permissions.js';
import { createAppProtocolHandler, resolveAppPath } from '../../electron/app/protocol.js';
import { CSP, PERMISSIONS_POLICY } from '../../electron/core/http/server.js';

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
