import type { ErrorCode } from '../../../shared/errors.js';

/**
 * The one error type screens see, whatever the transport: HTTP error bodies and IPC rejections
 * both become a ClientError with the server's code, message and details.
 */
export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK' | 'BAD_RESPONSE',
    message: string,
    readonly details?: unknown,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** Electron's IPC loses the class of a thrown error; the preload passes {code,message,details} through. */
export function toClientError(e: unknown): ClientError {
  if (e instanceof ClientError) return e;
  if (typeof e === 'object' && e !== null) {
    const body = 'error' in e && typeof (e as { error: unknown }).error === 'object' ? (e as { error: object }).error : e;
    const { code, message, details } = body as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return new ClientError(code as ErrorCode, message, details);
    if (e instanceof Error) return new ClientError('NETWORK', e.message);
  }
  return new ClientError('NETWORK', String(e));
}

export const isCode = (e: unknown, code: ClientError['code']) => e instanceof ClientError && e.code === code;
