import { createHash, randomBytes } from 'node:crypto';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../../../shared/auth/roles.js';
import { PERMISSIONS, type Permission } from '../../../shared/operations/define.js';
import { nowIso } from '../../../shared/time.js';
import type { Caller } from '../services/dispatch.js';
import type { Actor, SessionPort } from '../services/context.js';
import type { AuthLookups, Store, TokenAuthRow, UserAuthRow } from '../store/contract/store.js';
import * as usersRepo from '../store/common/users-repo.js';
import { insertAudit } from '../store/common/audit-repo.js';
import { hashSecret, newPassword } from './passwords.js';
import { LoginThrottle } from './throttle.js';

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
/** mq_ + 32 random bytes: the prefix lets secret scanners and people recognise a Marquee token. */
export const newApiToken = () => `mq_${randomBytes(32).toString('base64url')}`;
export const tokenPrefix = (token: string) => token.slice(0, 9);

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

export function permissionsOf(role: Role): ReadonlySet<Permission> | 'all' {
  const p = ROLE_PERMISSIONS[role];
  return p === 'all' ? 'all' : new Set<Permission>(p);
}

export function permissionList(caller: Caller): Permission[] {
  return caller.permissions === 'all' ? [...PERMISSIONS] : PERMISSIONS.filter((p) => p === 'public' || (caller.permissions as ReadonlySet<Permission>).has(p));
}

/** Nobody signed in: only public operations. */
export const anonymous = (session?: SessionPort, terminal?: string): Caller => ({ permissions: new Set<Permission>(), actor: null, session, terminal });

export function callerOf(actor: Actor, session?: SessionPort): Caller {
  return { permissions: permissionsOf(actor.role), actor, session };
}

type CallerOptions = { terminal: string | null; tokenId?: number | null; via: Actor['via']; session?: SessionPort };

/** An answer that may come now (SQLite) or later (PostgreSQL): awaited only when it is a promise, on the hot path. */
type Maybe<T> = T | Promise<T>;
const then = <T, R>(v: Maybe<T>, f: (t: T) => R): Maybe<R> => (v instanceof Promise ? v.then(f) : f(v));

/** An active user as a caller; null if the user is gone or deactivated (sessions and tokens stop at once). */
export function callerForUser(auth: AuthLookups, userId: number, o: CallerOptions): Maybe<Caller | null> {
  return then(auth.user(userId), (u) => (u ? callerOfRow(u, o) : null));
}

function callerOfRow(u: UserAuthRow, o: CallerOptions): Caller | null {
  if (Number(u.active) !== 1 || !isRole(u.role)) return null;
  return callerOf(
    { userId: Number(u.id), username: u.username, role: u.role, sellerId: u.seller_id === null ? null : Number(u.seller_id), terminal: o.terminal, tokenId: o.tokenId ?? null, via: o.via },
    o.session,
  );
}

/** The first active admin as a caller (the server token before its user exists), or null. */
export function firstAdminCaller(auth: AuthLookups, o: { terminal: string | null; via: Actor['via']; session?: SessionPort }): Maybe<Caller | null> {
  return then(auth.firstAdmin(), (u) => (u ? callerOfRow(u, o) : null));
}

export type TokenLookup = { kind: 'ok'; caller: Caller } | { kind: 'revoked' } | { kind: 'unknown' };

/** Looked up by hash (no cache), so a revocation takes effect on the next request. */
export function callerForToken(auth: AuthLookups, token: string, terminal: string | null): Maybe<TokenLookup> {
  return then(auth.tokenByHash(sha256Hex(token)), (row: TokenAuthRow | undefined): Maybe<TokenLookup> => {
    if (!row) return { kind: 'unknown' };
    if (row.revoked_at !== null) return { kind: 'revoked' };
    return then(callerForUser(auth, Number(row.user_id), { terminal, tokenId: Number(row.token_id), via: 'token' }), (caller): TokenLookup =>
      caller ? { kind: 'ok', caller } : { kind: 'revoked' },
    );
  }) as Maybe<TokenLookup>;
}

/**
 * Bearer tokens → callers, for the HTTP server. An entry is good only while the store's auth version
 * has not moved since it was looked up (store.auth.version(): it moves with every commit that could
 * change an answer, by any process on the store), so a revocation or a deactivation counts from the
 * next request exactly as without the cache; during a rush of sales an entry lives for about one
 * group. Where the engine cannot tell (version() null), every request looks the token up.
 */
export class TokenCallers {
  private readonly entries = new Map<string, Caller>();
  private seen: number | null = null;

  constructor(private readonly store: Store) {}

  lookup(token: string, terminal: string): Maybe<TokenLookup> {
    const v = this.store.auth.version();
    if (v === null) return callerForToken(this.store.auth, token, terminal);
    if (v !== this.seen) {
      this.entries.clear();
      this.seen = v;
    }
    const key = `${terminal}\n${token}`;
    const hit = this.entries.get(key);
    if (hit) return { kind: 'ok', caller: hit };
    return then(callerForToken(this.store.auth, token, terminal), (found) => {
      // Only if nothing moved meanwhile: a lookup that waited on the network may have raced a revocation.
      if (found.kind === 'ok' && this.entries.size < 1024 && this.seen === v) this.entries.set(key, found.caller);
      return found;
    });
  }
}

// Keyed by the store's auth lookups: handlers see a per-call view of the store (auth/audit.ts), not the store itself.
const throttles = new WeakMap<object, LoginThrottle>();
/** One sign-in throttle per store (i.e. per box office process); tests install their own clock. */
export function loginThrottle(store: Store, make?: () => LoginThrottle): LoginThrottle {
  let t = throttles.get(store.auth);
  if (!t || make) {
    t = make?.() ?? new LoginThrottle();
    throttles.set(store.auth, t);
  }
  return t;
}

export interface FirstRunAdmin {
  username: string;
  password: string;
}

/**
 * First run: creates the admin (shown its one-time password once) and makes the global API token
 * (MARQUEE_API_TOKEN / DATA/api-token) that admin's first token. Idempotent: later runs do nothing
 * unless the global token changed, which then becomes another token of the first admin.
 */
export async function ensureAdmin(store: Store, globalToken?: string): Promise<FirstRunAdmin | null> {
  let created: FirstRunAdmin | null = null;
  const password = newPassword();
  const hash = (await usersRepo.firstActiveAdmin(store.reader)) ? null : await hashSecret(password);
  await store.write(async (trx) => {
    let admin = await usersRepo.firstActiveAdmin(trx);
    const now = nowIso();
    if (!admin && hash) {
      const username = (await usersRepo.findUserByUsername(trx, 'admin')) ? `admin-${randomBytes(2).toString('hex')}` : 'admin';
      admin = await usersRepo.insertUser(trx, {
        username,
        display_name: 'Administrator',
        role: 'admin',
        active: 1,
        password_hash: hash,
        pin_hash: null,
        seller_id: null,
        created_at: now,
        updated_at: now,
      });
      created = { username, password };
      await insertAudit(trx, {
        at: now,
        user_id: null,
        username: 'system',
        role: null,
        terminal: 'first-run',
        token_id: null,
        operation: 'createUser',
        subject: `user:${admin.id}`,
        input_json: JSON.stringify({ username, role: 'admin', password: '[redacted]' }),
        before_json: null,
        after_json: JSON.stringify({ id: admin.id, username, role: 'admin' }),
      });
    }
    if (admin && globalToken && !(await usersRepo.findTokenByHash(trx, sha256Hex(globalToken)))) {
      const { id } = await usersRepo.insertToken(trx, {
        user_id: admin.id,
        name: 'Server token (MARQUEE_API_TOKEN / api-token file)',
        token_sha256: sha256Hex(globalToken),
        prefix: tokenPrefix(globalToken),
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      });
      await insertAudit(trx, {
        at: now,
        user_id: null,
        username: 'system',
        role: null,
        terminal: 'boot',
        token_id: id,
        operation: 'createApiToken',
        subject: `token:${id}`,
        input_json: JSON.stringify({ userId: admin.id, name: 'server token' }),
        before_json: null,
        after_json: JSON.stringify({ id, userId: admin.id }),
      });
    }
  });
  return created;
}

/**
 * The Electron kiosk's sign-ins: one signed-in user per window (webContents id). The IPC bridge asks
 * for each call's caller; signIn/signOut arrive through the SessionPort.
 */
export class KioskSessions {
  private readonly users = new Map<number, number>();

  constructor(private readonly store: Store) {}

  async callerFor(senderId: number, terminal = `kiosk:${senderId}`): Promise<Caller> {
    const session: SessionPort = {
      start: (userId) => void this.users.set(senderId, userId),
      end: () => void this.users.delete(senderId),
    };
    const userId = this.users.get(senderId);
    if (userId === undefined) return anonymous(session, terminal);
    const caller = await callerForUser(this.store.auth, userId, { terminal, via: 'kiosk', session });
    if (!caller) this.users.delete(senderId);
    return caller ?? anonymous(session, terminal);
  }

  /** The idle lock: the window's user is signed out. */
  lock(senderId: number): void {
    this.users.delete(senderId);
  }
}
