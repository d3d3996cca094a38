import { createHash, randomBytes } from 'node:crypto';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../../../shared/auth/roles.js';
import { PERMISSIONS, type Permission } from '../../../shared/operations/define.js';
import { nowIso } from '../../../shared/time.js';
import type { Caller } from '../services/dispatch.js';
import type { Actor, SessionPort } from '../services/context.js';
import type SQLite from 'better-sqlite3';
import { firstActiveAdminForAuth, tokenByHash, userForAuth, type UserAuthRow } from '../store/sqlite/auth-statements.js';
import type { Store } from '../store/sqlite/database.js';
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

/** An active user as a caller; null if the user is gone or deactivated (sessions and tokens stop at once). */
export function callerForUser(
  db: SQLite.Database,
  userId: number,
  o: { terminal: string | null; tokenId?: number | null; via: Actor['via']; session?: SessionPort },
): Caller | null {
  const u = userForAuth(db, userId);
  return u ? callerOfRow(u, o) : null;
}

function callerOfRow(u: UserAuthRow, o: { terminal: string | null; tokenId?: number | null; via: Actor['via']; session?: SessionPort }): Caller | null {
  if (u.active !== 1 || !isRole(u.role)) return null;
  return callerOf(
    { userId: u.id, username: u.username, role: u.role, sellerId: u.seller_id, terminal: o.terminal, tokenId: o.tokenId ?? null, via: o.via },
    o.session,
  );
}

/** The first active admin as a caller (the server token before its user exists), or null. */
export function firstAdminCaller(db: SQLite.Database, o: { terminal: string | null; via: Actor['via']; session?: SessionPort }): Caller | null {
  const u = firstActiveAdminForAuth(db);
  return u ? callerOfRow(u, o) : null;
}

export type TokenLookup = { kind: 'ok'; caller: Caller } | { kind: 'revoked' } | { kind: 'unknown' };

/** Looked up by hash on every request (no cache), so a revocation takes effect on the next request. */
export function callerForToken(db: SQLite.Database, token: string, terminal: string | null): TokenLookup {
  const row = tokenByHash(db, sha256Hex(token));
  if (!row) return { kind: 'unknown' };
  if (row.revoked_at !== null) return { kind: 'revoked' };
  const caller = callerForUser(db, row.user_id, { terminal, tokenId: row.token_id, via: 'token' });
  return caller ? { kind: 'ok', caller } : { kind: 'revoked' };
}

/**
 * Bearer tokens → callers, for the HTTP server. An entry is good only while nothing has been
 * committed to the database since it was looked up: PRAGMA data_version on the reader moves with
 * every commit of any other connection (this process's writer, the writer lane, another terminal),
 * so a revocation or a deactivation counts from the next request exactly as without the cache;
 * during a rush of sales an entry lives for about one group. An in-memory store's reader is its
 * writer, whose own commits do not move data_version: there every request looks the token up.
 *
 * data_version is read once per turn of the event loop, not per request: a rush brings tens of
 * requests per turn, and the PRAGMA (a WAL read lock) was the serving thread's costliest statement.
 * A request sent after a revocation was acknowledged (by this server or another process) is read
 * from its socket in a later turn than the one that read data_version, so it still sees the change.
 */
export class TokenCallers {
  private readonly version: SQLite.Statement | null;
  private readonly entries = new Map<string, Caller>();
  private seen = -1;
  private checkedThisTurn = false;
  private readonly endTurn = () => {
    this.checkedThisTurn = false;
  };

  constructor(private readonly store: Store) {
    this.version = store.readerRaw === store.writerRaw ? null : store.readerRaw.prepare('PRAGMA data_version').pluck();
  }

  lookup(token: string, terminal: string): TokenLookup {
    if (!this.version) return callerForToken(this.store.readerRaw, token, terminal);
    if (!this.checkedThisTurn) {
      this.checkedThisTurn = true;
      setImmediate(this.endTurn);
      const v = this.version.get() as number;
      if (v !== this.seen) {
        this.entries.clear();
        this.seen = v;
      }
    }
    const key = `${terminal}\n${token}`;
    const hit = this.entries.get(key);
    if (hit) return { kind: 'ok', caller: hit };
    const found = callerForToken(this.store.readerRaw, token, terminal);
    if (found.kind === 'ok' && this.entries.size < 1024) this.entries.set(key, found.caller);
    return found;
  }
}

// Keyed by the writer connection: handlers see a per-call view of the store (auth/audit.ts), not the store itself.
const throttles = new WeakMap<object, LoginThrottle>();
/** One sign-in throttle per store (i.e. per box office process); tests install their own clock. */
export function loginThrottle(store: Store, make?: () => LoginThrottle): LoginThrottle {
  let t = throttles.get(store.writerRaw);
  if (!t || make) {
    t = make?.() ?? new LoginThrottle();
    throttles.set(store.writerRaw, t);
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
    const caller = callerForUser(this.store.readerRaw, userId, { terminal, via: 'kiosk', session });
    if (!caller) this.users.delete(senderId);
    return caller ?? anonymous(session, terminal);
  }

  /** The idle lock: the window's user is signed out. */
  lock(senderId: number): void {
    this.users.delete(senderId);
  }
}
