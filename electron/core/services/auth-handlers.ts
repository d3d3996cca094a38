import { AppError, notFound } from '../../../shared/errors.js';
import { PERMISSIONS } from '../../../shared/operations/define.js';
import type { OpOutput } from '../../../shared/operations/index.js';
import { nowIso, toUtcIso } from '../../../shared/time.js';
import { callerOf, isRole, loginThrottle, newApiToken, permissionList, sha256Hex, tokenPrefix } from '../auth/callers.js';
import { hashSecret, verifySecret } from '../auth/passwords.js';
import type { DB, Trx } from '../store/contract/store.js';
import { listAudit, saleAuditOf } from '../store/common/audit-repo.js';
import { endOrder, orderForChange } from '../store/common/refunds-repo.js';
import * as sellersRepo from '../store/common/sellers-repo.js';
import * as usersRepo from '../store/common/users-repo.js';
import type { Actor, OpContext } from './context.js';
import type { Handlers } from './handlers.js';

type UserRow = NonNullable<Awaited<ReturnType<typeof usersRepo.findUserById>>>;
type User = OpOutput<'createUser'>;
type Security = OpOutput<'getSecuritySettings'>;

export const DEFAULT_SECURITY: Security = { idleLockMinutes: 5, voidWindowMinutes: 10 };

function toUser(u: UserRow): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: isRole(u.role) ? u.role : 'clerk',
    active: u.active === 1,
    hasPassword: u.password_hash !== null,
    hasPin: u.pin_hash !== null,
    sellerId: u.seller_id,
    createdAt: u.created_at,
    lastSignInAt: u.last_sign_in_at,
  };
}

type TokenRow = NonNullable<Awaited<ReturnType<typeof usersRepo.findToken>>>;
const toToken = (t: TokenRow) => ({
  id: t.id,
  userId: t.user_id,
  username: t.username,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
  revokedAt: t.revoked_at,
});

// undefined = an internal call with full access (never an anonymous one: that is null).
const isAdmin = (a: Actor | null | undefined) => a === undefined || a?.role === 'admin';
const forbidden = (message: string, details?: unknown) => new AppError('FORBIDDEN', message, details);

export async function securitySettings(db: Trx): Promise<Security> {
  const v = (await usersRepo.getSetting(db, 'security')) as Partial<Security> | undefined;
  return { ...DEFAULT_SECURITY, ...v };
}

async function checkSeller(trx: Trx, role: string, sellerId: number | null | undefined) {
  if (sellerId !== undefined && sellerId !== null && !(await sellersRepo.sellerExists(trx, sellerId))) throw notFound('seller', sellerId);
  if (role === 'seller' && (sellerId === undefined || sellerId === null)) {
    throw new AppError('VALIDATION_FAILED', 'A seller account needs the seller it works for', { field: 'sellerId' });
  }
}

/** The last active admin cannot be demoted or deactivated: nobody could manage users after that. */
async function keepAnAdmin(trx: Trx, id: number) {
  const others = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', 1).where('id', '<>', id).executeTakeFirst();
  if (!others) throw new AppError('CONFLICT', 'This is the last active admin; make another admin first', { id });
}

function dayBound(v: string | undefined, end: boolean): string | undefined {
  if (v === undefined) return undefined;
  if (v.length === 10) {
    const d = new Date(`${v}T00:00:00.000Z`);
    if (end) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  return toUtcIso(v);
}

async function changeOrder(ctx: OpContext, code: string, reason: string | undefined, kind: 'void' | 'refund') {
  const found = await orderForChange(ctx.store.reader, code);
  if (!found) throw notFound('order', code);
  const { order, lines, tenders } = found;
  if (order.status !== 'completed') throw new AppError('CONFLICT', `Order ${order.code} is already ${order.status}`, { status: order.status });
  const actor = ctx.actor;
  const now = ctx.clock?.() ?? Date.now();
  if (kind === 'void' && actor && actor.role !== 'admin') {
    const sale = await saleAuditOf(ctx.store.reader, order.code);
    const { voidWindowMinutes } = await securitySettings(ctx.store.reader);
    const ageMinutes = (now - Date.parse(order.created_at)) / 60_000;
    if (!sale || sale.user_id !== actor.userId) throw forbidden('A clerk may void only their own sales; ask an organizer or admin for a refund', { code: order.code });
    if (tenders.some((t) => t.tender !== 'cash')) throw forbidden('Only cash sales can be voided at the till; a card sale needs a refund by an organizer or admin', { code: order.code });
    if (ageMinutes > voidWindowMinutes) {
      throw forbidden(`The void window (${voidWindowMinutes} min) has passed; ask an organizer or admin for a refund`, { code: order.code, voidWindowMinutes });
    }
  }
  if (kind === 'refund' && actor?.role === 'organizer' && lines.some((l) => l.owner_user_id !== actor.userId)) {
    throw forbidden('Organizers refund orders of their own events only', { code: order.code });
  }
  const ticketIds = lines.map((l) => l.ticket_id);
  const status = kind === 'void' ? 'cancelled' : 'refunded';
  const refundedCents = lines.reduce((n, l) => n + l.price_cents, 0);
  ctx.audit!.subject = `order:${order.code}`;
  ctx.audit!.before = { status: order.status, ticketIds };
  ctx.audit!.after = { status, refundedCents, reason: reason ?? null };
  // Refused inside the transaction, not after it: the call's audit entry rides in this write, and a
  // refund that lost the race to another one (409) used to commit an entry claiming a second refund
  // (found by test/proof/crash-consistency.test.ts). Throwing rolls the entry back with the write.
  await ctx.store.write(async (trx) => {
    if (!(await endOrder(trx, order.id, ticketIds, status, new Date(now).toISOString()))) {
      throw new AppError('CONFLICT', `Order ${order.code} was changed by someone else just now`, { code: order.code });
    }
  });
  return { order: { code: order.code, status, refundedCents, ticketIds } } as const;
}

export const authHandlers: Pick<
  Handlers,
  | 'signIn'
  | 'signOut'
  | 'whoAmI'
  | 'changeOwnPassword'
  | 'listUsers'
  | 'createUser'
  | 'updateUser'
  | 'createApiToken'
  | 'listApiTokens'
  | 'revokeApiToken'
  | 'listAuditLog'
  | 'getSecuritySettings'
  | 'setSecuritySettings'
  | 'voidOrder'
  | 'refundOrder'
> = {
  signIn: async (ctx, { username, password, pin }) => {
    const throttle = loginThrottle(ctx.store);
    throttle.check(username);
    const u = await usersRepo.findUserByUsername(ctx.store.reader, username);
    const stored = u ? (password !== undefined ? u.password_hash : u.pin_hash) : null;
    const ok = (await verifySecret(password ?? pin ?? '', stored)) && u !== undefined && u.active === 1 && isRole(u.role);
    if (!ok || !u) {
      throttle.fail(username);
      throw new AppError('UNAUTHORIZED', password !== undefined ? 'Wrong username or password' : 'Wrong username or PIN');
    }
    throttle.succeed(username);
    const actor: Actor = {
      userId: u.id,
      username: u.username,
      role: isRole(u.role) ? u.role : 'clerk',
      sellerId: u.seller_id,
      terminal: ctx.terminal ?? null,
      tokenId: null,
      via: ctx.channel === 'kiosk' ? 'kiosk' : 'session',
    };
    ctx.audit!.actor = actor;
    ctx.audit!.subject = `user:${u.id}`;
    ctx.audit!.after = { username: u.username, method: password !== undefined ? 'password' : 'pin' };
    const row = await ctx.store.write((trx) => usersRepo.updateUser(trx, u.id, { last_sign_in_at: nowIso() }));
    ctx.session?.start(u.id);
    return { user: toUser(row) };
  },

  signOut: async (ctx) => {
    ctx.session?.end();
    return { ok: true };
  },

  changeOwnPassword: async (ctx, { currentPassword, newPassword }) => {
    const userId = ctx.actor?.userId;
    if (userId === undefined || userId === null) throw forbidden('This caller has no account of its own; an admin sets passwords under Users');
    const u = await usersRepo.findUserById(ctx.store.reader, userId);
    if (!u) throw notFound('user', userId);
    // A session left open at a kiosk must not become a way to guess the password: same throttle as sign-in.
    const throttle = loginThrottle(ctx.store);
    throttle.check(u.username);
    if (!(await verifySecret(currentPassword, u.password_hash))) {
      throttle.fail(u.username);
      throw new AppError('VALIDATION_FAILED', 'The current password is wrong', { field: 'currentPassword' });
    }
    throttle.succeed(u.username);
    const password_hash = await hashSecret(newPassword);
    ctx.audit!.subject = `user:${userId}`;
    await ctx.store.write((trx) => usersRepo.updateUser(trx, userId, { password_hash, updated_at: nowIso() }));
    return { ok: true };
  },

  whoAmI: async (ctx) => {
    const actor = ctx.actor;
    const { idleLockMinutes } = await securitySettings(ctx.store.reader);
    if (actor === undefined) return { user: null, permissions: [...PERMISSIONS], via: 'system', idleLockMinutes };
    if (actor === null) return { user: null, permissions: ['public'], via: null, idleLockMinutes };
    const row = actor.userId === null ? undefined : await usersRepo.findUserById(ctx.store.reader, actor.userId);
    return { user: row ? toUser(row) : null, permissions: permissionList(callerOf(actor)), via: actor.via, idleLockMinutes };
  },

  listUsers: async (ctx) => ({ items: (await usersRepo.listUsers(ctx.store.reader)).map(toUser) }),

  createUser: async (ctx, u) => {
    // Hash before taking the write lock: scrypt is deliberately slow.
    const [password_hash, pin_hash] = await Promise.all([u.password ? hashSecret(u.password) : null, u.pin ? hashSecret(u.pin) : null]);
    const row = await ctx.store.write(async (trx) => {
      if (await usersRepo.findUserByUsername(trx, u.username)) throw new AppError('CONFLICT', `The username ${u.username} is taken`, { field: 'username' });
      await checkSeller(trx, u.role, u.sellerId);
      const now = nowIso();
      const inserted = await usersRepo.insertUser(trx, {
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        active: 1,
        password_hash,
        pin_hash,
        seller_id: u.sellerId ?? null,
        created_at: now,
        updated_at: now,
      });
      ctx.audit!.subject = `user:${inserted.id}`;
      ctx.audit!.after = toUser(inserted);
      return inserted;
    });
    return toUser(row);
  },

  updateUser: async (ctx, { id, ...p }) => {
    const [password_hash, pin_hash] = await Promise.all([
      p.password ? hashSecret(p.password) : undefined,
      p.pin === undefined ? undefined : p.pin === null ? null : hashSecret(p.pin),
    ]);
    ctx.audit!.subject = `user:${id}`;
    const row = await ctx.store.write(async (trx) => {
      const before = await usersRepo.findUserById(trx, id);
      if (!before) throw notFound('user', id);
      const role = p.role ?? before.role;
      const stillAdmin = role === 'admin' && (p.active ?? before.active === 1);
      if (before.role === 'admin' && before.active === 1 && !stillAdmin) await keepAnAdmin(trx, id);
      await checkSeller(trx, role, p.sellerId === undefined ? before.seller_id : p.sellerId);
      if ((password_hash === undefined ? before.password_hash : password_hash) === null && (pin_hash === undefined ? before.pin_hash : pin_hash) === null) {
        throw new AppError('VALIDATION_FAILED', 'An account needs a password or a PIN', { field: 'pin' });
      }
      ctx.audit!.before = toUser(before);
      const after = await usersRepo.updateUser(trx, id, {
        ...(p.displayName === undefined ? {} : { display_name: p.displayName }),
        ...(p.role === undefined ? {} : { role: p.role }),
        ...(p.active === undefined ? {} : { active: p.active ? 1 : 0 }),
        ...(password_hash === undefined ? {} : { password_hash }),
        ...(pin_hash === undefined ? {} : { pin_hash }),
        ...(p.sellerId === undefined ? {} : { seller_id: p.sellerId }),
        updated_at: nowIso(),
      });
      ctx.audit!.after = toUser(after);
      return after;
    });
    return toUser(row);
  },

  createApiToken: async (ctx, { name, userId }) => {
    const actor = ctx.actor;
    if (userId !== undefined && actor && userId !== actor.userId && actor.role !== 'admin') throw forbidden('Only admins create tokens for other users');
    const token = newApiToken();
    const id = await ctx.store.write(async (trx) => {
      const owner = userId ?? actor?.userId ?? (await usersRepo.firstActiveAdmin(trx))?.id;
      if (owner === undefined || owner === null) throw new AppError('VALIDATION_FAILED', 'Which user is the token for?', { field: 'userId' });
      const u = await usersRepo.findUserById(trx, owner);
      if (!u || u.active !== 1) throw notFound('user', owner);
      const row = await usersRepo.insertToken(trx, {
        user_id: owner,
        name,
        token_sha256: sha256Hex(token),
        prefix: tokenPrefix(token),
        created_at: nowIso(),
        last_used_at: null,
        revoked_at: null,
      });
      ctx.audit!.subject = `token:${row.id}`;
      ctx.audit!.after = { id: row.id, userId: owner, name, prefix: tokenPrefix(token) };
      return row.id;
    });
    const apiToken = toToken((await usersRepo.findToken(ctx.store.reader, id))!);
    return { token, apiToken };
  },

  listApiTokens: async (ctx, { all }) => {
    const actor = ctx.actor;
    if (all && !isAdmin(actor)) throw forbidden('Only admins see every user’s tokens');
    const rows = await usersRepo.listTokens(ctx.store.reader, all || actor === undefined ? null : (actor?.userId ?? -1));
    return { items: rows.map(toToken) };
  },

  revokeApiToken: async (ctx, { id }) => {
    const actor = ctx.actor;
    const t = await usersRepo.findToken(ctx.store.reader, id);
    if (!t || (actor && !isAdmin(actor) && t.user_id !== actor.userId)) throw notFound('token', id);
    if (t.revoked_at !== null) throw new AppError('CONFLICT', 'That token is already revoked', { id });
    ctx.audit!.subject = `token:${id}`;
    ctx.audit!.before = toToken(t);
    await ctx.store.write(async (trx) => {
      if (!(await usersRepo.revokeToken(trx, id, nowIso()))) throw new AppError('CONFLICT', 'That token is already revoked', { id });
      ctx.audit!.after = toToken((await usersRepo.findToken(trx, id))!);
    });
    return toToken((await usersRepo.findToken(ctx.store.reader, id))!);
  },

  listAuditLog: async (ctx, q) => {
    const rows = await listAudit(ctx.store.reader as DB, {
      username: q.actor?.toLowerCase(),
      operation: q.operation,
      subject: q.subject,
      fromUtc: dayBound(q.from, false),
      toUtc: dayBound(q.to, true),
      before: q.before,
      limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    const parse = (s: string | null) => (s === null ? null : (JSON.parse(s) as unknown));
    return {
      items: page.map((r) => ({
        id: r.id,
        at: r.at,
        userId: r.user_id,
        username: r.username,
        role: r.role,
        terminal: r.terminal,
        tokenId: r.token_id,
        operation: r.operation,
        subject: r.subject,
        input: parse(r.input_json),
        before: parse(r.before_json),
        after: parse(r.after_json),
      })),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  },

  getSecuritySettings: async (ctx) => securitySettings(ctx.store.reader),

  setSecuritySettings: async (ctx, s) => {
    ctx.audit!.subject = 'settings:security';
    ctx.audit!.after = s;
    await ctx.store.write(async (trx) => {
      ctx.audit!.before = await securitySettings(trx);
      await usersRepo.putSetting(trx, 'security', s, nowIso());
    });
    return s;
  },

  voidOrder: async (ctx, { code, reason }) => changeOrder(ctx, code, reason, 'void'),
  refundOrder: async (ctx, { code, reason }) => changeOrder(ctx, code, reason, 'refund'),
};

