import type { ErrorCode } from '../../../shared/errors.js';
import type { OperationName } from '../../../shared/operations/index.js';
import type { HttpServerSettings, HttpServerStatus } from '../../../shared/operations/desktop-ops.js';
import type { FirstRunAdmin } from '../auth/callers.js';
import type { TicketPdfRequest } from '../services/context.js';
import type { SeatChange } from '../store/contract/shapes.js';

/** What one operation call answers, across IPC and across the worker: errors travel as data. */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

/** An error as data (a thrown Error does not survive postMessage with its class or fields). */
export interface ErrorInfo {
  message: string;
  stack?: string;
}

/** The answer plus, for an unexpected (INTERNAL) failure, what went wrong, for the log only. */
export interface CoreAnswer {
  result: IpcResult;
  internal?: ErrorInfo;
}

/**
 * Who is calling, as data: the Caller itself holds a SessionPort (functions) and cannot cross
 * threads, so the core resolves it where the sessions live. `full` = an internal caller with every
 * permission (tests, bench); `kiosk` = the user signed in on that window (webContents id).
 */
export type CallerRef = { kind: 'full' } | { kind: 'kiosk'; senderId: number };

/** What the IPC bridge needs of the core: one call, answered as data. */
export interface CoreClient {
  invoke(name: OperationName, input: unknown, caller: CallerRef): Promise<CoreAnswer>;
}

/** How the worker opens its store: a data dir (migrated, seeded when fresh, admin ensured) or a bare file. */
export type StoreSpec = { dataDir: string; empty?: boolean; databaseUrl?: string | null } | { file: string };

/** The desktop's store choice: where the one in effect came from, and the saved one (main keeps the file). */
export interface StoreSettingsInit {
  source: 'settings' | 'environment' | 'default';
  saved: string | null;
}

/** The worker's workerData. */
export interface HostInit {
  store: StoreSpec;
  version: string;
  /** Present: the desktop's switchable HTTP API runs in the worker beside the store. */
  httpServer?: { dataDir: string; initial: HttpServerSettings };
  /** Present: Settings → Shared database can save a URL for the next start. */
  storeSettings?: StoreSettingsInit;
  /** Forward committed seat changes to the main thread. */
  seatChanges: boolean;
  /** Development only: where a better-sqlite3 built for this runtime lives (see native-modules.ts). */
  nativeDir?: string;
  /** Present: main saves tickets as PDF (saveTicketsPdf asks it with a `ticket-pdf` message). */
  ticketPdf?: true;
}

/** Requests that get a reply (matched by id). */
export type HostCall =
  /** `chunked`: these fields of `input` came ahead in `part` messages of the same id (see core-host.ts). */
  | { type: 'invoke'; name: OperationName; input: unknown; caller: CallerRef; chunked?: string[] }
  | { type: 'apply-http' }
  | { type: 'close' };

export type HostRequest =
  | (HostCall & { id: number })
  /** A slice of a large string field of the input of invoke `id`, in order. */
  | { type: 'part'; id: number; field: string; text: string }
  /** Idle lock: the window's user is signed out. No reply; later calls of that window see it. */
  | { type: 'lock'; senderId: number }
  /** Main's answer to the worker's `ticket-pdf` of the same id. */
  | { type: 'ticket-pdf-reply'; id: number; result: IpcResult<{ saved: boolean; path: string | null }> };

export type HostMessage =
  | { type: 'ready'; firstRunAdmin: FirstRunAdmin | null; threadId: number }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'reply-error'; id: number; error: ErrorInfo }
  | { type: 'seat-change'; change: SeatChange }
  | { type: 'persist-http'; settings: HttpServerSettings }
  | { type: 'persist-store'; databaseUrl: string | null }
  /** saveTicketsPdf, asking main (which has the windows) to save one as PDF; answered by `ticket-pdf-reply`. */
  | { type: 'ticket-pdf'; id: number; request: TicketPdfRequest };

export type { HttpServerStatus };

export const errorInfo = (err: unknown): ErrorInfo =>
  err instanceof Error ? { message: err.message, stack: err.stack } : { message: String(err) };

/** An Error again on the receiving side, for logs (`String(err)` shows the message). */
export function fromErrorInfo(info: ErrorInfo): Error {
  const err = new Error(info.message);
  if (info.stack) err.stack = info.stack;
  return err;
}
