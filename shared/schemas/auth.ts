import { z } from 'zod';
import { ROLES } from '../auth/roles.js';
import { PERMISSIONS } from '../operations/define.js';
import { DateOrDateTime, Id, Limit } from './common.js';

export const Role = z.enum(ROLES);
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, '2–32 letters, digits, dot, dash or underscore');
/** Long enough to resist guessing even offline; the KDF makes each guess expensive. */
export const Password = z.string().min(10, 'at least 10 characters').max(200);
/** A short PIN for kiosks: only usable at the kiosk sign-in, and throttled like passwords. */
export const Pin = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  active: z.boolean(),
  hasPassword: z.boolean(),
  hasPin: z.boolean(),
  sellerId: Id.nullable().describe('the seller a seller account posts and imports for'),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});

export const SignInInput = z
  .strictObject({ username: Username, password: z.string().min(1).max(200).optional(), pin: z.string().min(1).max(16).optional() })
  .refine((v) => (v.password === undefined) !== (v.pin === undefined), { message: 'give a password or a PIN', path: ['password'] });

export const WhoAmI = z.object({
  user: User.nullable(),
  permissions: z.array(z.enum(PERMISSIONS)),
  via: z.enum(['session', 'token', 'kiosk', 'system']).nullable(),
  idleLockMinutes: z.number().int(),
});

export const UserCreate = z
  .strictObject({
    username: Username,
    displayName: z.string().trim().min(1).max(80),
    role: Role,
    password: Password.optional(),
    pin: Pin.optional(),
    sellerId: Id.optional(),
  })
  .refine((v) => v.password !== undefined || v.pin !== undefined, { message: 'give a password, a PIN or both', path: ['password'] });

export const UserPatch = z.strictObject({
  id: Id,
  displayName: z.string().trim().min(1).max(80).optional(),
  role: Role.optional(),
  active: z.boolean().optional(),
  password: Password.optional(),
  pin: Pin.nullable().optional().describe('null removes the PIN'),
  sellerId: Id.nullable().optional(),
});

export const OwnPasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
});

export const ApiToken = z.object({
  id: Id,
  userId: Id,
  username: z.string(),
  name: z.string(),
  prefix: z.string().describe('the first characters, to recognise it; the token itself is never shown again'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const TokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(60),
  userId: Id.optional().describe('admins may create a token for another user'),
});
export const TokenCreated = z.object({ token: z.string().describe('shown once; only its hash is kept'), apiToken: ApiToken });
export const TokenList = z.strictObject({ all: z.boolean().optional().describe('admins: every user’s tokens') });

export const AuditEntry = z.object({
  id: Id,
  at: z.string(),
  userId: Id.nullable(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  terminal: z.string().nullable(),
  tokenId: Id.nullable(),
  operation: z.string(),
  subject: z.string().nullable(),
  input: z.unknown(),
  before: z.unknown(),
  after: z.unknown(),
});
export const AuditQuery = z.strictObject({
  actor: z.string().trim().min(1).max(64).optional().describe('username'),
  operation: z.string().trim().min(1).max(64).optional(),
  subject: z.string().trim().min(1).max(120).optional(),
  from: DateOrDateTime.optional(),
  to: DateOrDateTime.optional(),
  before: Id.optional().describe('page: entries older than this id'),
  limit: Limit.default(100),
});

export const OrderChange = z.strictObject({
  code: z.string().trim().min(1).max(40),
  reason: z.string().trim().max(200).optional(),
});
export const OrderChanged = z.object({
  order: z.object({ code: z.string(), status: z.enum(['cancelled', 'refunded']), refundedCents: z.number().int(), ticketIds: z.array(Id) }),
});

export const SecuritySettings = z.strictObject({
  idleLockMinutes: z.number().int().min(1).max(240),
  voidWindowMinutes: z.number().int().min(0).max(240),
});
