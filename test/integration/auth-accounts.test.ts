import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callerForUser, ensureAdmin, loginThrottle, sha256Hex } from '../../electron/core/auth/callers.js';
import { SCRYPT, hashSecret, verifySecret } from '../../electron/core/auth/passwords.js';
import { LoginThrottle } from '../../electron/core/auth/throttle.js';
import { buildServer } from '../../electron/core/http/server.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { ROLE_PASSWORD, ROLE_PIN, buildWorld, fixtures, type World } from './support/auth-world.js';
import { column, exec, rows, value } from '../support/db.js';

describe('password and PIN hashing', () => {
  it('uses scrypt (memory-hard) with a per-user salt, and verifies', async () => {
    expect(SCRYPT.N).toBeGreaterThanOrEqual(2 ** 14);
    const [a, b] = await Promise.all([hashSecret('correct horse'), hashSecret('correct horse')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b); // different salts
    expect(await verifySecret('correct horse', a)).toBe(true);
    expect(await verifySecret('correct hors', a)).toBe(false);
    expect(await verifySecret('correct horse', null)).toBe(false);
    expect(await verifySecret('x', 'md5$abc')).toBe(false);
  });
});

describe('sign-in, throttling, tokens and sessions', () => {
  let w: World;
  let base: string;
  let close: () => Promise<void>;
  let now = Date.parse('2026-11-21T12:00:00Z');
  const SERVER_TOKEN = 'server-token-0123456789abcdef';
  const http = (path: string, init: RequestInit & { json?: unknown; token?: string; cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.cookie) headers.set('cookie', init.cookie);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(base + path, { ...init, headers, body: init.json === undefined ? init.body : JSON.stringify(init.json) });
  };

  beforeAll(async () => {
    w = await buildWorld();
    loginThrottle(w.store, () => new LoginThrottle(5, 15 * 60_000, () => now));
    const { app } = buildServer({ ctx: { store: w.store, version: 'test' }, token: SERVER_TOKEN });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = async () => {
      await app.close();
      await w.store.close();
    };
  });
  afterAll(async () => close());

  it('signs in with a password or a PIN, and says who is signed in', async () => {
    const r = await invoke(w.ctx, { permissions: new Set(), actor: null }, 'signIn', { username: 'clerk1', pin: ROLE_PIN });
    expect(r.user).toMatchObject({ username: 'clerk1', role: 'clerk', hasPin: true });
    const res = await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'ORGANIZER1', password: ROLE_PASSWORD } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const me = (await (await http('/api/v1/auth/me', { cookie })).json()) as { user: { username: string }; permissions: string[]; via: string };
    expect(me).toMatchObject({ user: { username: 'organizer1' }, via: 'session' });
    expect(me.permissions).toContain('manage-events');
    expect(me.permissions).not.toContain('sell');
    // The session can do what an organizer may, and no more.
    expect((await http('/api/v1/users', { cookie })).status).toBe(403);
    expect((await http('/api/v1/reports/revenue', { cookie })).status).toBe(200);
    const out = await http('/api/v1/auth/sign-out', { method: 'POST', cookie });
    expect(out.status).toBe(200);
    expect((await http('/api/v1/reports/revenue', { cookie })).status).toBe(401);
    const anon = (await (await http('/api/v1/auth/me')).json()) as { user: null };
    expect(anon.user).toBeNull();
  });

  it('throttles: 5 failures lock the username for 15 minutes (429 + Retry-After), even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'seller1', password: `wrong-${i}` } });
      expect(res.status).toBe(401);
    }
    const locked = await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'seller1', password: ROLE_PASSWORD } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBe(900);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    // Other accounts are not affected.
    expect((await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'clerk1', pin: ROLE_PIN } })).status).toBe(200);
    now += 14 * 60_000;
    expect((await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'seller1', password: ROLE_PASSWORD } })).status).toBe(429);
    now += 60_000 + 1;
    expect((await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'seller1', password: ROLE_PASSWORD } })).status).toBe(200);
  });

  it('API tokens: shown once, stored hashed, act as their user, revoked at once', async () => {
    const created = await invoke(w.ctx, w.callers.admin, 'createApiToken', { name: 'till script', userId: w.users.clerk });
    expect(created.token).toMatch(/^mq_[\w-]{43}$/);
    const row = (await rows(w.store, 'SELECT * FROM api_tokens WHERE id = ?', [created.apiToken.id]))[0] as Record<string, string>;
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.token_sha256).toBe(sha256Hex(created.token));
    const listed = await invoke(w.ctx, w.callers.clerk, 'listApiTokens', {});
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.items.map((t) => t.id)).toContain(created.apiToken.id);
    const me = (await (await http('/api/v1/auth/me', { token: created.token })).json()) as { user: { role: string }; via: string };
    expect(me).toMatchObject({ user: { role: 'clerk' }, via: 'token' });
    expect((await http('/api/v1/users', { token: created.token })).status).toBe(403);
    const sale = await http(`/api/v1/tickets/${(await fixtures.sellTicket!(w, 'clerk')).id}/sold`, { method: 'PUT', token: created.token });
    expect(sale.status).toBe(200);
    // A clerk cannot revoke someone else's token, but can revoke their own; the next request fails.
    const adminToken = await invoke(w.ctx, w.callers.admin, 'createApiToken', { name: 'admin ci' });
    await expect(invoke(w.ctx, w.callers.clerk, 'revokeApiToken', { id: adminToken.apiToken.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const revoke = await http(`/api/v1/tokens/${created.apiToken.id}`, { method: 'DELETE', token: created.token });
    expect(revoke.status).toBe(200);
    const after = await http('/api/v1/auth/me', { token: created.token });
    const denied = await http('/api/v1/listings', { token: created.token });
    expect(denied.status).toBe(404);
    const orders = await http('/api/v1/orders', { token: created.token });
    expect(orders.status).toBe(401);
    expect(((await orders.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    expect(((await after.json()) as { user: null }).user).toBeNull();
  });

  it('a deactivated account’s tokens and sessions stop working at once', async () => {
    const u = await invoke(w.ctx, w.callers.admin, 'createUser', { username: 'temp', displayName: 'Temp', role: 'clerk', pin: '1111' });
    const t = await invoke(w.ctx, w.callers.admin, 'createApiToken', { name: 't', userId: u.id });
    expect((await http('/api/v1/orders', { token: t.token })).status).toBe(200);
    await invoke(w.ctx, w.callers.admin, 'updateUser', { id: u.id, active: false });
    expect((await http('/api/v1/orders', { token: t.token })).status).toBe(401);
    await expect(invoke(w.ctx, w.callers.admin, 'signIn', { username: 'temp', pin: '1111' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('the global server token is the admin’s first token (revocable like any other)', async () => {
    await ensureAdmin(w.store, SERVER_TOKEN);
    const me = (await (await http('/api/v1/auth/me', { token: SERVER_TOKEN })).json()) as { user: { role: string; username: string } };
    expect(me.user).toMatchObject({ role: 'admin', username: 'admin1' });
    const tokens = await invoke(w.ctx, w.callers.admin, 'listApiTokens', {});
    const first = tokens.items.find((t) => t.prefix === SERVER_TOKEN.slice(0, 9))!;
    expect(first.userId).toBe(w.users.admin);
    await invoke(w.ctx, w.callers.admin, 'revokeApiToken', { id: first.id });
    expect((await http('/api/v1/users', { token: SERVER_TOKEN })).status).toBe(401);
  });

  it('a login link signs the browser in as the user who asked for it', async () => {
    const t = await invoke(w.ctx, FULL_ACCESS, 'createApiToken', { name: 'links', userId: w.users.clerk });
    const { url } = (await (await http('/api/v1/login-links', { method: 'POST', token: t.token, json: {} })).json()) as { url: string };
    const res = await http(url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await (await http('/api/v1/auth/me', { cookie })).json()) as { user: { username: string } };
    expect(me.user.username).toBe('clerk1');
    expect((await http('/api/v1/users', { cookie })).status).toBe(403);
  });

  it('polling health (the store banner does, every second or two) does not keep an idle session alive', async () => {
    const signIn = await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'organizer1', password: ROLE_PASSWORD } });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await http('/api/v1/venues', { cookie })).status).toBe(200);
    const real = Date.now.bind(Date);
    const start = real();
    const at = vi.spyOn(Date, 'now');
    try {
      // The page polls health with its cookie for 8 minutes (the idle lock is 5, the server allows 6).
      for (const minutes of [2, 4, 6, 8]) {
        at.mockImplementation(() => start + minutes * 60_000 + (real() - start));
        const h = await http('/api/v1/health', { cookie });
        expect(h.status).toBe(200);
      }
      // Nobody touched the box office meanwhile: the session is over.
      expect((await http('/api/v1/venues', { cookie })).status).toBe(401);
    } finally {
      at.mockRestore();
    }
  });

  it('first run creates one admin with one-time credentials, once', async () => {
    const fresh = await buildWorld();
    // buildWorld has an admin already; a store without one gets one.
    await exec(fresh.store, "UPDATE users SET active = 0 WHERE role = 'admin'");
    const first = await ensureAdmin(fresh.store);
    expect(first).toMatchObject({ username: 'admin' });
    expect(first!.password).toHaveLength(20);
    expect(await ensureAdmin(fresh.store)).toBeNull();
    const signedIn = await invoke(fresh.ctx, { permissions: new Set(), actor: null }, 'signIn', { username: 'admin', password: first!.password });
    expect(signedIn.user.role).toBe('admin');
    await fresh.store.close();
  });

  it('the last active admin cannot be demoted or deactivated', async () => {
    const fresh = await buildWorld();
    await expect(invoke(fresh.ctx, fresh.callers.admin, 'updateUser', { id: fresh.users.admin, role: 'clerk' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(invoke(fresh.ctx, fresh.callers.admin, 'updateUser', { id: fresh.users.admin, active: false })).rejects.toMatchObject({ code: 'CONFLICT' });
    await fresh.store.close();
  });

  it('a user changes their own password: the current one is asked again, wrong guesses are throttled, the log keeps neither', async () => {
    const u = await invoke(w.ctx, w.callers.admin, 'createUser', { username: 'selfservice', displayName: 'Self Service', role: 'clerk', password: 'first password 1' });
    const anon = { permissions: new Set<never>(), actor: null };
    // over HTTP, as the browser does it: signed in by cookie
    const signIn = await http('/api/v1/auth/sign-in', { method: 'POST', json: { username: 'selfservice', password: 'first password 1' } });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const change = (json: unknown) => http('/api/v1/auth/password', { method: 'PUT', cookie, json });
    const wrong = await change({ currentPassword: 'not it at all', newPassword: 'second password 2' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe('The current password is wrong');
    expect((await change({ currentPassword: 'first password 1', newPassword: 'short' })).status).toBe(400);
    expect((await http('/api/v1/auth/password', { method: 'PUT', json: { currentPassword: 'first password 1', newPassword: 'second password 2' } })).status).toBe(401);
    const ok = await change({ currentPassword: 'first password 1', newPassword: 'second password 2' });
    expect(ok.status).toBe(200);
    await expect(invoke(w.ctx, anon, 'signIn', { username: 'selfservice', password: 'first password 1' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(invoke(w.ctx, anon, 'signIn', { username: 'selfservice', password: 'second password 2' })).resolves.toMatchObject({ user: { username: 'selfservice' } });
    const logged = (await column(w.store, "SELECT input_json FROM audit_log WHERE operation = 'changeOwnPassword' AND subject = ?", [`user:${u.id}`])) as string[];
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toEqual({ currentPassword: '[redacted]', newPassword: '[redacted]' });
    // a session left open must not become a way to guess: 5 wrong answers lock it like sign-in does
    const me = (await callerForUser(w.store.auth, u.id, { terminal: 'test:self', via: 'session' }))!;
    for (let i = 0; i < 5; i++) {
      await expect(invoke(w.ctx, me, 'changeOwnPassword', { currentPassword: `guess ${i}`, newPassword: 'third password 3' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(invoke(w.ctx, me, 'changeOwnPassword', { currentPassword: 'second password 2', newPassword: 'third password 3' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    now += 16 * 60_000;
    await expect(invoke(w.ctx, me, 'changeOwnPassword', { currentPassword: 'second password 2', newPassword: 'third password 3' })).resolves.toEqual({ ok: true });
  });
});

describe('void and refund rules', () => {
  let w: World;
  let clock = Date.now();
  beforeAll(async () => {
    w = await buildWorld();
    w.ctx.clock = () => clock;
  });
  afterAll(async () => w.store.close());

  const ticketStatus = (ids: number[]) => Promise.all(ids.map((id) => value(w.store, 'SELECT status FROM tickets WHERE id = ?', [id])));

  it('a clerk voids their own cash sale within the window: order cancelled, tickets back on sale', async () => {
    const { code } = (await fixtures.voidOrder!(w, 'clerk')) as { code: string };
    clock = Date.now() + 9 * 60_000;
    const r = await invoke(w.ctx, w.callers.clerk, 'voidOrder', { code });
    expect(r.order.status).toBe('cancelled');
    expect(await ticketStatus(r.order.ticketIds)).toEqual(['available']);
    expect((await value(w.store, 'SELECT count(*) FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.code = ? AND voided_at IS NULL', [code]))).toBe(0);
    await expect(invoke(w.ctx, w.callers.clerk, 'voidOrder', { code })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a clerk: after the window, someone else’s sale, a card sale; a refund needs an organizer or admin', async () => {
    clock = Date.now();
    const late = (await fixtures.voidOrder!(w, 'clerk')) as { code: string };
    clock = Date.now() + 11 * 60_000;
    await expect(invoke(w.ctx, w.callers.clerk, 'voidOrder', late)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { voidWindowMinutes: 10 } });
    clock = Date.now();
    const others = (await fixtures.voidOrder!(w, 'admin')) as { code: string };
    await expect(invoke(w.ctx, w.callers.clerk, 'voidOrder', others)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const card = await invoke(w.ctx, w.callers.clerk, 'createOrder', await fixtures.createOrder!(w, 'clerk'));
    await expect(invoke(w.ctx, w.callers.clerk, 'voidOrder', { code: card.order.code })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(w.ctx, w.callers.clerk, 'refundOrder', { code: card.order.code })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const refunded = await invoke(w.ctx, w.callers.admin, 'refundOrder', { code: card.order.code });
    expect(refunded.order).toMatchObject({ status: 'refunded', refundedCents: 2000 });
    expect(await ticketStatus(refunded.order.ticketIds)).toEqual(['available', 'available']);
    // An admin may void anything, at any time.
    expect((await invoke(w.ctx, w.callers.admin, 'voidOrder', late)).order.status).toBe('cancelled');
  });

  it('an organizer refunds orders of their own events only', async () => {
    const own = (await fixtures.refundOrder!(w, 'organizer')) as { code: string };
    expect((await invoke(w.ctx, w.callers.organizer, 'refundOrder', own)).order.status).toBe('refunded');
    const house = (await fixtures.refundOrder!(w, 'admin')) as { code: string };
    await expect(invoke(w.ctx, w.callers.organizer, 'refundOrder', house)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(w.ctx, w.callers.organizer, 'cancelOrder', { ...house, reason: 'not mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(w.ctx, w.callers.clerk, 'cancelOrder', { ...house, reason: 'clerk' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('organizers edit only their own events; sellers work with their own seller only', async () => {
    await expect(invoke(w.ctx, w.callers.organizer, 'updateEvent', { id: w.houseEventId, name: 'Mine now' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const l = await invoke(w.ctx, w.callers.seller, 'postListing', { eventId: w.houseEventId, section: 'Z', row: '1', quantity: 1, priceCents: 100 });
    expect(l.listing.sellerId).toBe(w.ownSellerId);
    await expect(invoke(w.ctx, w.callers.seller, 'postListing', { eventId: w.houseEventId, sellerId: w.sellerId, section: 'Z', row: '2', quantity: 1, priceCents: 100 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(w.ctx, w.callers.seller, 'importTickets', { csv: 'eventId,section,quantity,price,row\n1,A,1,1.00,1\n', sellerId: w.sellerId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const batch = (await fixtures.rollbackImportBatch!(w, 'admin')) as { id: number };
    await expect(invoke(w.ctx, w.callers.seller, 'rollbackImportBatch', batch)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
