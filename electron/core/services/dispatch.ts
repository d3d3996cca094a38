import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { operations, type OperationName, type OpOutput } from '../../../shared/operations/index.js';
import type { Permission } from '../../../shared/operations/define.js';
import { findBadText } from '../../../shared/schemas/text-guard.js';
import { auditRecorder } from '../auth/audit.js';
import { checkOwnership, ownershipApplies, scopeInput } from '../auth/ownership.js';
import type { Actor, AuditNote, OpContext, SessionPort } from './context.js';
import { handlers } from './handlers.js';

export interface Caller {
  /** What this caller may do; the dispatcher is the one place that checks it. */
  permissions: ReadonlySet<Permission> | 'all';
  /** Who it is (handlers see it as ctx.actor); absent = an internal call with full access (tests, CLI, seed). */
  actor?: Actor | null;
  /** The transport's sign-in session, for signIn/signOut. */
  session?: SessionPort;
  /** Where an anonymous call comes from (kiosk window, HTTP client), for the sign-in's audit entry. */
  terminal?: string;
}

export const FULL_ACCESS: Caller = { permissions: 'all' };

export function zodDetails(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
}

/** Maps anything thrown below the transports into the one error shape both transports send. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return new AppError('VALIDATION_FAILED', 'The input is not valid', zodDetails(err));
  // The engine's own errors (constraints, busy, a lost server) are the store's to describe: describeError.
  return new AppError('INTERNAL', 'Something went wrong inside Marquee; nothing was changed');
}

/**
 * The one entry point behind IPC and HTTP: permission, validation, ownership, handler, audit.
 * A refused call (403) changes nothing and writes nothing; a successful mutating call writes exactly
 * one audit entry (see auth/audit.ts).
 */
export async function invoke<K extends OperationName>(ctx: OpContext, caller: Caller, name: K, rawInput: unknown): Promise<OpOutput<K>> {
  const def = operations[name];
  if (!def) throw new AppError('NOT_FOUND', `unknown operation ${String(name)}`);
  if (def.permission !== 'public' && caller.permissions !== 'all' && !caller.permissions.has(def.permission)) {
    throw new AppError(caller.actor === null ? 'UNAUTHORIZED' : 'FORBIDDEN', `This account may not ${def.summary.toLowerCase()}`, {
      permission: def.permission,
      operation: name,
    });
  }
  const parsed = def.input.safeParse(scopeInput(caller.actor, name, rawInput ?? {}));
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'The input is not valid', zodDetails(parsed.error));
  const bad = findBadText(parsed.data, def.ownTextCheck);
  if (bad) throw new AppError('VALIDATION_FAILED', 'The input is not valid', [{ path: bad.path, message: bad.message, code: 'bad_text' }]);
  // undefined: an internal caller with full access (tests, CLI, a bridge without sign-in); null: nobody signed in.
  const actor = caller.actor;
  const audit: AuditNote = {};
  const recorder = def.mutates ? auditRecorder(ctx.store, name, parsed.data, actor ?? null, audit) : null;
  const callCtx: OpContext = { ...ctx, store: recorder?.store ?? ctx.store, actor, session: caller.session, terminal: actor?.terminal ?? caller.terminal ?? null, audit };
  // Awaited only when there is something to check: a sale is a hot path, and each await is a turn of the microtask queue.
  if (ownershipApplies(actor, name)) await checkOwnership(callCtx, name, parsed.data as Record<string, unknown>);
  const handler = handlers[name] as (ctx: OpContext, input: unknown) => Promise<OpOutput<K>>;
  const result = await handler(callCtx, parsed.data);
  if (recorder?.pending()) await recorder.finish(result);
  return result;
}
