// Issue 14: a page on another port of this machine (same site for the browser, so SameSite=Strict does
// not stop the cookie) tries to act on the signed-in box office with the real Chromium: credentialed
// fetches and form posts. Each is refused or unreadable, and nothing changes in Marquee.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, expect, serverBase, shot, signIn, test } from './support/fixtures.js';

interface Page<T> {
  items: T[];
}

let attacker: Server;
let attackerBase = '';
/** What the attacker page is: a form for each target and nothing else; the test drives its script. */
const attackerPage = (marquee: string) => `<!doctype html><title>Win a prize</title>
<h1>Win a prize</h1>
<form id="venue" method="POST" action="${marquee}/api/v1/venues">
  <input name="name" value="Evil Hall"><input name="city" value="X"><input name="country" value="US"><input name="timezone" value="UTC">
  <button>Claim</button>
</form>
<form id="multipart" method="POST" enctype="multipart/form-data" action="${marquee}/api/v1/venues"><input name="name" value="Evil Hall"></form>
<form id="plain" method="POST" enctype="text/plain" action="${marquee}/api/v1/venues"><input name='{"name":"Evil Hall","city":"X","country":"US","timezone":"UTC","x":"' value='"}'></form>
<form id="signout" method="POST" action="${marquee}/api/v1/auth/sign-out"></form>`;

test.beforeAll(async () => {
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackerPage(serverBase()));
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerBase = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise<void>((r) => attacker.close(() => r()));
});

test('a page on another localhost port cannot use the signed-in session', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ baseURL: serverBase() });
  const marquee = await context.newPage();
  await signIn(marquee);
  const venuesBefore = (await api<Page<{ name: string }>>('/api/v1/venues')).items.length;
  const auditBefore = (await api<Page<{ id: number }>>('/api/v1/audit?limit=200')).items.length;

  const evil = await context.newPage();
  await evil.goto(attackerBase);
  await expect(evil.getByRole('heading', { name: 'Win a prize' })).toBeVisible();

  const results = await evil.evaluate(async (base) => {
    const body = JSON.stringify({ name: 'Evil Hall', city: 'X', country: 'US', timezone: 'UTC' });
    const attempt = async (url: string, init: RequestInit) => {
      try {
        const r = await fetch(url, { credentials: 'include', ...init });
        let text: string | null = null;
        try {
          text = await r.text();
        } catch {
          text = null;
        }
        return { outcome: 'answered', type: r.type, status: r.status, text };
      } catch (e) {
        return { outcome: 'refused', error: String(e) };
      }
    };
    return {
      jsonPost: await attempt(`${base}/api/v1/venues`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      plainPost: await attempt(`${base}/api/v1/venues`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
      noCorsPost: await attempt(`${base}/api/v1/venues`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }),
      noCorsSignOut: await attempt(`${base}/api/v1/auth/sign-out`, { method: 'POST', mode: 'no-cors' }),
      readOrders: await attempt(`${base}/api/v1/orders`, { method: 'GET' }),
      readMe: await attempt(`${base}/api/v1/auth/me`, { method: 'GET' }),
    };
  }, serverBase());
  // A CORS request gets no Access-Control-Allow-Origin: the browser refuses to hand over the answer.
  for (const k of ['jsonPost', 'plainPost', 'readOrders', 'readMe'] as const) expect(results[k], k).toMatchObject({ outcome: 'refused' });
  // A no-cors request goes out, but its answer is opaque: no status, no body.
  for (const k of ['noCorsPost', 'noCorsSignOut'] as const) expect(results[k], k).toMatchObject({ outcome: 'answered', type: 'opaque', status: 0, text: '' });

  // Form posts navigate the attacker's tab to Marquee's answer: a refusal, never a success.
  for (const form of ['venue', 'multipart', 'plain', 'signout']) {
    await evil.goto(attackerBase);
    const answer = evil.waitForResponse((r) => r.url().startsWith(serverBase()) && r.request().method() === 'POST');
    await evil.locator(`form#${form}`).evaluate((f: HTMLFormElement) => f.submit());
    const r = await answer;
    expect([403, 415], `form ${form}`).toContain(r.status());
    expect(((await r.json()) as { error: { code: string } }).error.code).toMatch(/^(FORBIDDEN|UNSUPPORTED_MEDIA_TYPE)$/);
  }
  await shot(evil, testInfo, 'hostile-01-form-post-refused');

  // Nothing changed: no venue, no audit entry (a sign-out would be one), and Marquee's tab is still signed in.
  expect((await api<Page<{ name: string }>>('/api/v1/venues')).items.length).toBe(venuesBefore);
  expect((await api<Page<{ name: string }>>('/api/v1/venues')).items.map((v) => v.name)).not.toContain('Evil Hall');
  expect((await api<Page<{ id: number }>>('/api/v1/audit?limit=200')).items.length).toBe(auditBefore);
  await marquee.reload();
  await expect(marquee.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  const me = await marquee.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()) as { user: { username: string } | null });
  expect(me.user).not.toBeNull();
  await context.close();
});
