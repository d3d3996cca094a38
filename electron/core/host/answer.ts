import { AppError } from '../../../shared/errors.js';
import type { OperationName } from '../../../shared/operations/index.js';
import type { KioskSessions } from '../auth/callers.js';
import type { OpContext } from '../services/context.js';
import { FULL_ACCESS, invoke, toAppError, type Caller } from '../services/dispatch.js';
import { errorInfo, type CallerRef, type CoreAnswer, type CoreClient } from './protocol.js';

/** The Caller a CallerRef stands for, resolved where the kiosk sessions live. */
export async function resolveCaller(ref: CallerRef, sessions: KioskSessions | null): Promise<Caller> {
  if (ref.kind === 'full') return FULL_ACCESS;
  // Without sessions nobody can sign in; refusing beats silently granting full access.
  if (!sessions) throw new Error('kiosk callers need kiosk sessions');
  return sessions.callerFor(ref.senderId);
}

/** A kiosk call runs with its window (webContents id) in the context: saveTicketsPdf prints that window. */
export const callContext = (ctx: OpContext, ref: CallerRef): OpContext => (ref.kind === 'kiosk' ? { ...ctx, window: ref.senderId } : ctx);

/** One call through the dispatcher (permission → validation → handler), answered as data. */
export async function answerCall(ctx: OpContext, caller: () => Promise<Caller>, name: OperationName, input: unknown): Promise<CoreAnswer> {
  try {
    return { result: { ok: true, value: await invoke(ctx, await caller(), name, input) } };
  } catch (err) {
    // As over HTTP: the store describes its own failures (lost database → STORE_UNAVAILABLE).
    const appError = err instanceof AppError ? err : (ctx.store.describeError?.(err) ?? toAppError(err));
    const result = { ok: false as const, error: appError.toBody().error };
    return appError.code === 'INTERNAL' ? { result, internal: errorInfo(err) } : { result };
  }
}

/**
 * The core on the calling thread: for tests with fakes that cannot cross threads (a broken store, a
 * fake HTTP capability) and for tools that accept blocking. The desktop uses the core host instead.
 */
export function inProcessCore(ctx: Omit<OpContext, 'channel'>, sessions: KioskSessions | null = null): CoreClient {
  const kiosk: OpContext = { ...ctx, channel: 'kiosk' };
  return { invoke: (name, input, ref) => answerCall(callContext(kiosk, ref), () => resolveCaller(ref, sessions), name, input) };
}
