import { AppError } from '../../../../shared/errors.js';
import { constraintConflict, type ConstraintRule } from '../contract/constraint-conflict.js';

// Class 23 (integrity constraint violation); 23000 is the audit log's append-only trigger (migrations/2026-11-21T0630).
const PG_RULES: Record<string, ConstraintRule> = { '23514': 'check', '23505': 'unique', '23503': 'foreign_key', '23502': 'not_null', '23000': 'append_only' };

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Whether the error says the server is out of reach: the socket (refused, reset, timed out), the
 * server going away (57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting up or shutting down,
 * class 08 connection exceptions), or node-postgres noticing a dead connection.
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as PgLikeError | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  const msg = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|Connection closed|not queryable/i.test(msg);
}

/**
 * node-postgres' pool gave up waiting for one of its own connections to come free: every one is busy
 * (a rush at this terminal, transactions queued on one event's row lock). The server is fine, so this
 * is not an outage; nothing was begun.
 */
export function isPoolBusy(err: unknown): boolean {
  const msg = (err as PgLikeError | null)?.message;
  return typeof msg === 'string' && /timeout exceeded when trying to connect/i.test(msg);
}

export function busy(): AppError {
  return new AppError('TOO_MANY_REQUESTS', 'Every connection of this terminal to the database is busy; nothing was changed, try again in a moment', {
    retryAfterSeconds: 1,
  });
}

/** Serialization failure and deadlock: the transaction did nothing and may run again. */
export const isRetryable = (err: unknown) => {
  const code = (err as PgLikeError | null)?.code;
  return code === '40001' || code === '40P01';
};

export function unavailable(problem: string): AppError {
  return new AppError('STORE_UNAVAILABLE', `The box office cannot reach its database (${problem}). The change was not confirmed: resend it with the same Idempotency-Key to learn whether it was made. Marquee reconnects by itself.`, {
    problem,
  });
}

/** In plain words, for the banner. */
export function connectionProblem(err: unknown): string {
  const e = err as PgLikeError | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'ECONNREFUSED') return 'the database server refuses connections: it is stopped or restarting';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the database server’s name does not resolve';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') return 'the database server does not answer';
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'the database server is shutting down or starting up';
  return 'the connection to the database server was lost';
}

/** The engine's errors in the one error shape; null when the error is not the store's. */
export function describePgError(err: unknown): AppError | null {
  if (isPoolBusy(err)) return busy();
  if (isConnectionError(err)) return unavailable(connectionProblem(err));
  const e = err as PgLikeError | null;
  const code = typeof e?.code === 'string' ? e.code : null;
  if (code === null || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code.startsWith('23')) return constraintConflict(PG_RULES[code] ?? 'other');
  if (code === '40001' || code === '40P01') return new AppError('CONFLICT', 'The database was busy with the same rows; try again', { retryable: true });
  // Data exceptions (a number out of range, text a type refuses): bad input that got past validation.
  if (code.startsWith('22')) return new AppError('VALIDATION_FAILED', 'A value is out of range or of the wrong kind for the database', { sqlstate: code });
  // lock_timeout (connect.ts): another terminal holds these rows, maybe frozen mid-transaction.
  if (code === '55P03') {
    return new AppError('CONFLICT', 'Another terminal is holding these seats or rows; nothing was changed. Try again in a moment, or choose other seats.', { retryable: true });
  }
  if (code === '57014') return new AppError('CONFLICT', 'The database cancelled a statement that ran too long; try again', { retryable: true });
  return null;
}
