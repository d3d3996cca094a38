// Issue 14: what a hostile web page can make a browser send to the loopback API, each refused. The
// browser's own part (SameSite, CORS) is proved in test/e2e/hostile-cross-site.spec.ts; this file sends
// the exact requests such a page produces, session cookie included, and checks nothing changed.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../electron/core/http/server.js';
import { memoryStore, startServer, type TestServer } from '../helpers.js';
import { value } from '../support/db.js';

let s: TestServer;
let cookie: string;
beforeAll(async () => {
  s = await startServer(await memoryStore({ seed: true }));
  // A real account, signed in as the box office page does it.
  const made = await s.api('/api/v1/users', { method: 'POST', json: { username: 'proofadmin', displayName: 'Proof Admin', role: 'admin', password: 'correct horse battery 9' } });
  expect(made.status).toBe(201);
  const signIn = await s.api('/api/v1/auth/sign-in', { method: 'POST', noAuth: true, json: { username: 'proofadmin', password: 'correct horse battery 9' } });
  expect(signIn.status).toBe(200);
  const setCookie = signIn.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  cookie = setCookie.split(';')[0]!;
});
afterAll(async () => s.close());

const venues = () => value(s.store, 'SELECT count(*) FROM venues', []);
const venueJson = JSON.stringify({ name: 'Evil Hall', city: 'X', country: 'US', timezone: 'UTC' });
/** As the browser sends it for the signed-in box office: the cookie, never the token. */
const asBrowser = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  s.api(path, { ...init, noAuth: true, headers: { cookie, ...init.headers } });
const code = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

/** node:http, because fetch will not send a forged Host. */
function withHost(host: string | null, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.port, path, setHost: host !== null, headers: { ...(host === null ? {} : { host }), ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the session works when used properly (so the refusals below are not a broken session)', () => {
  it('a same-origin request with the cookie is answered', async () => {
    expect((await asBrowser('/api/v1/auth/me', { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    const r = await asBrowser('/api/v1/venues', { method: 'POST', body: venueJson, headers: { 'content-type': 'application/json', origin: s.base, 'sec-fetch-site': 'same-origin' } });
    expect(r.status).toBe(201);
    const typed = await asBrowser('/api/v1/venues', { headers: { 'sec-fetch-site': 'none' } }); // the address typed by the user
    expect(typed.status).toBe(200);
  });
});

describe('DNS rebinding', () => {
  it('answers only to its loopback Host at its own port', async () => {
    for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, `127.0.0.1:${s.port}.evil.example`, `localhost.evil.example:${s.port}`]) {
      const r = await withHost(host, '/api/v1/venues', { cookie });
      expect(r.status, `Host: ${host}`).toBe(403);
      expect(JSON.parse(r.body).error.code).toBe('FORBIDDEN');
    }
    expect([400, 403]).toContain((await withHost(null, '/api/v1/venues', { cookie })).status); // no Host at all (Node itself refuses HTTP/1.1 without one)
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `LOCALHOST:${s.port}`]) expect((await withHost(host, '/api/v1/health')).status, host).toBe(200);
  });
});

describe('CSRF by an HTML form on another site', () => {
  it('refuses an application/x-www-form-urlencoded post with the session cookie', async () => {
    const before = await venues();
    for (const origin of ['http://evil.example', `http://127.0.0.1:${s.port + 1}`, undefined]) {
      const r = await asBrowser('/api/v1/venues', { method: 'POST', body: 'name=Evil+Hall&city=X&country=US&timezone=UTC', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', ...(origin ? { origin } : {}) } });
      expect([403, 415]).toContain(r.status);
    }
    expect(await venues()).toBe(before);
  });

  it('refuses a multipart/form-data post with the session cookie', async () => {
    const before = await venues();
    const form = new FormData();
    for (const [k, v] of Object.entries(JSON.parse(venueJson) as Record<string, string>)) form.set(k, v);
    const r = await asBrowser('/api/v1/venues', { method: 'POST', body: form, headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(r.status).toBe(415);
    expect(await code(r)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await venues()).toBe(before);
  });

  it('refuses a text/plain body (what a no-cors fetch or enctype=text/plain sends), even when it is valid JSON', async () => {
    const before = await venues();
    const r = await asBrowser('/api/v1/venues', { method: 'POST', body: venueJson, headers: { 'content-type': 'text/plain', origin: 'http://evil.example' } });
    expect(r.status).toBe(415);
    expect(await venues()).toBe(before);
  });

  it('refuses a bodiless form post (sign-out, void) from another origin: the session survives', async () => {
    const attempts: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of attempts) {
      const r = await asBrowser('/api/v1/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
      expect([403, 415], JSON.stringify(headers)).toContain(r.status);
      const bare = await asBrowser('/api/v1/auth/sign-out', { method: 'POST', headers });
      expect(bare.status, JSON.stringify(headers)).toBe(403);
      expect(await code(bare)).toBe('FORBIDDEN');
    }
    const me = (await (await asBrowser('/api/v1/auth/me')).json()) as { user: unknown };
    expect(me.user).not.toBeNull();
  });
});

describe('a request from another origin', () => {
  it('refuses JSON with the cookie from another site, another port of this machine, or an opaque origin', async () => {
    const before = await venues();
    for (const origin of ['http://evil.example', `http://127.0.0.1:${s.port + 1}`, `http://localhost:${s.port + 1}`, 'null', `http://127.0.0.1:${s.port}.evil.example`]) {
      const r = await asBrowser('/api/v1/venues', { method: 'POST', body: venueJson, headers: { 'content-type': 'application/json', origin } });
      expect(r.status, origin).toBe(403);
      expect(await code(r)).toBe('FORBIDDEN');
    }
    expect(await venues()).toBe(before);
  });

  it('refuses a cookie GET that a <script>/<img> on another port sends (no Origin, Sec-Fetch-Site says so)', async () => {
    for (const site of ['same-site', 'cross-site']) {
      const r = await asBrowser('/api/v1/orders', { headers: { 'sec-fetch-site': site } });
      expect(r.status, site).toBe(403);
    }
  });

  it('sends no CORS headers and answers no preflight, so a cross-origin page cannot read an answer', async () => {
    const pre = await fetch(`${s.base}/api/v1/venues`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(404);
    for (const h of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods']) expect(pre.headers.get(h)).toBeNull();
    const get = await s.api('/api/v1/venues', { headers: { origin: 'http://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('cookies from other apps on localhost', () => {
  it('a cookie that is not valid %-encoding (set by another port of localhost) breaks nothing', async () => {
    const junk = 'other_app=%E0%A4%A; theme=%%';
    expect((await s.api('/api/v1/venues', { headers: { cookie: junk } })).status).toBe(200);
    expect((await fetch(`${s.base}/api/v1/health`, { headers: { cookie: junk } })).status).toBe(200);
    const anon = await fetch(`${s.base}/api/v1/venues`, { headers: { cookie: junk } });
    expect(anon.status).toBe(401);
    const mixed = await fetch(`${s.base}/api/v1/auth/me`, { headers: { cookie: `${junk}; ${cookie}` } });
    expect(((await mixed.json()) as { user: unknown }).user).not.toBeNull();
    const badSession = await fetch(`${s.base}/api/v1/venues`, { headers: { cookie: `${SESSION_COOKIE}=%E0%A4%A` } });
    expect(badSession.status).toBe(401);
  });
});
