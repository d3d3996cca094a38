import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import type { OperationName } from '../../../shared/operations/index.js';
import type { HttpServerSettings, HttpServerStatus } from '../../../shared/operations/desktop-ops.js';
import type { FirstRunAdmin } from '../auth/callers.js';
import type { TicketPdfExport } from '../services/context.js';
import type { SeatChange } from '../store/contract/shapes.js';
import { startWorker } from '../threads/start-worker.js';
import { errorInfo, fromErrorInfo, type CallerRef, type CoreAnswer, type CoreClient, type HostCall, type HostInit, type HostMessage, type HostRequest, type StoreSettingsInit, type StoreSpec } from './protocol.js';

export interface CoreHostOptions {
  store: StoreSpec;
  version: string;
  /** The desktop's switchable HTTP API; `persist` runs on this thread with each new setting. */
  httpServer?: { dataDir: string; initial: HttpServerSettings; persist: (settings: HttpServerSettings) => void };
  /** Settings → Shared database: `persist` runs on this thread with each saved URL (null: embedded). */
  storeSettings?: StoreSettingsInit & { persist: (databaseUrl: string | null) => void };
  /** Committed seat changes (live seat maps); the worker forwards them only when this is given. */
  onSeatChange?: (change: SeatChange) => void;
  /** The worker died or failed unexpectedly (the calls in flight answer INTERNAL). */
  onFailure?: (err: Error) => void;
  /** Development only: a better-sqlite3 built for this runtime (MARQUEE_ELECTRON_NATIVE_DIR). */
  nativeDir?: string;
  /**
   * The desktop's PDF export (electron/app/ticket-pdf.ts), run on this thread where the windows are;
   * without it saveTicketsPdf answers CONFLICT. An AppError it throws reaches the caller as is.
   */
  ticketPdf?: TicketPdfExport;
  /** A failure of ticketPdf that is not an AppError (the caller sees INTERNAL). */
  onTicketPdfError?: (err: unknown) => void;
  /** String fields of an input longer than this many characters cross in slices (default 1 Mi). */
  sliceChars?: number;
  /** How the thread is started (tests hold on to the Worker to end it); threads/start-worker.ts by default. */
  startWorker?: typeof startWorker;
}

export interface CoreHost extends CoreClient {
  /** The worker thread's id: never this thread's. */
  readonly threadId: number;
  /** The admin created on first run of a data dir, with its one-time password (show it once). */
  readonly firstRunAdmin: FirstRunAdmin | null;
  /** Idle lock: the window's signed-in user is signed out before any later call of that window runs. */
  lock(senderId: number): void;
  /** Brings the HTTP server in line with the saved settings (at startup). */
  applyHttp(): Promise<HttpServerStatus>;
  /** Closes the HTTP server and the store, then ends the thread. Idempotent. */
  close(): Promise<void>;
}

/**
 * Copying a message to the worker blocks this thread for as long as the copy takes (a 1,000,000-row
 * CSV of 23.6 MB took 30–65 ms in one piece): larger string fields go ahead in slices, one per turn
 * of the event loop, and the worker joins them.
 */
const SLICE_CHARS = 1 << 20;

function largeStringFields(input: unknown, limit: number): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  return Object.entries(input).filter(([, v]) => typeof v === 'string' && v.length > limit).map(([k]) => k);
}

const STOPPED: CoreAnswer['result'] = { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Marquee; nothing was changed' } };

/**
 * Starts the core (store, operations, change feed, optional HTTP API) on a worker thread and
 * resolves once the store is open. This thread only relays calls and answers: every synchronous
 * SQLite statement — a year-long report, a million-row import — runs on the worker.
 */
export async function startCoreHost(o: CoreHostOptions): Promise<CoreHost> {
  const init: HostInit = {
    store: o.store,
    version: o.version,
    ...(o.httpServer ? { httpServer: { dataDir: o.httpServer.dataDir, initial: o.httpServer.initial } } : {}),
    ...(o.storeSettings ? { storeSettings: { source: o.storeSettings.source, saved: o.storeSettings.saved } } : {}),
    seatChanges: o.onSeatChange !== undefined,
    ...(o.nativeDir ? { nativeDir: o.nativeDir } : {}),
    ...(o.ticketPdf ? { ticketPdf: true as const } : {}),
  };
  const worker: Worker = (o.startWorker ?? startWorker)(new URL('./core-host-worker.ts', import.meta.url), { workerData: init });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  let closing: Promise<void> | null = null;
  let running = false;

  const fail = (err: Error) => {
    if (dead) return;
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    // Before `ready`, startCoreHost itself rejects; after close, the exit is expected.
    if (running && !closing) o.onFailure?.(err);
  };

  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const ready = new Promise<Extract<HostMessage, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (m: HostMessage) => {
      switch (m.type) {
        case 'ready':
          return resolve(m);
        case 'failed':
          reject(fromErrorInfo(m.error));
          return void worker.terminate();
        case 'reply':
        case 'reply-error': {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (m.type === 'reply') p?.resolve(m.value);
          else p?.reject(fromErrorInfo(m.error));
          return;
        }
        case 'seat-change':
          return o.onSeatChange?.(m.change);
        case 'persist-http':
          return o.httpServer?.persist(m.settings);
        case 'persist-store':
          return o.storeSettings?.persist(m.databaseUrl);
        case 'ticket-pdf':
          return void answerTicketPdf(m.id, m.request);
      }
    });
    worker.on('error', (err) => {
      reject(err);
      fail(err);
    });
    worker.on('exit', (code) => {
      const err = new Error(`the core host thread exited (code ${code})`);
      reject(err);
      fail(err);
    });
  });

  const answerTicketPdf = async (id: number, request: Extract<HostMessage, { type: 'ticket-pdf' }>['request']) => {
    let result: Extract<HostRequest, { type: 'ticket-pdf-reply' }>['result'];
    try {
      if (!o.ticketPdf) throw new AppError('CONFLICT', 'This core host saves no PDFs', { available: false });
      result = { ok: true, value: await o.ticketPdf.save(request) };
    } catch (err) {
      if (!(err instanceof AppError)) o.onTicketPdfError?.(err);
      result = { ok: false, error: err instanceof AppError ? err.toBody().error : { code: 'INTERNAL', message: 'Something went wrong inside Marquee; nothing was changed' } };
    }
    if (!dead) worker.postMessage({ type: 'ticket-pdf-reply', id, result } satisfies HostRequest);
  };

  /** `ahead` posts what must reach the worker before the call itself (the slices of large fields). */
  const request = <T>(call: HostCall, ahead?: (id: number) => Promise<void>): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      (ahead ? ahead(id) : Promise.resolve())
        .then(() => worker.postMessage({ ...call, id } satisfies HostRequest))
        .catch((err: unknown) => {
          pending.delete(id);
          reject(err as Error);
        });
    });
  };

  const sliceChars = o.sliceChars ?? SLICE_CHARS;
  const sliced = (input: Record<string, unknown>, fields: string[]) => async (id: number) => {
    for (const field of fields) {
      const text = input[field] as string;
      for (let at = 0; at < text.length; at += sliceChars) {
        worker.postMessage({ type: 'part', id, field, text: text.slice(at, at + sliceChars) } satisfies HostRequest);
        await new Promise((r) => setImmediate(r));
      }
    }
  };

  const started = await ready;
  running = true;
  const host: CoreHost = {
    threadId: started.threadId,
    firstRunAdmin: started.firstRunAdmin,
    invoke: async (name: OperationName, input: unknown, caller: CallerRef): Promise<CoreAnswer> => {
      try {
        const large = largeStringFields(input, sliceChars);
        if (large.length === 0) return await request<CoreAnswer>({ type: 'invoke', name, input, caller });
        const rest = { ...(input as Record<string, unknown>) };
        for (const f of large) rest[f] = '';
        return await request<CoreAnswer>({ type: 'invoke', name, input: rest, caller, chunked: large }, sliced(input as Record<string, unknown>, large));
      } catch (err) {
        // A dead worker, or input that cannot be cloned: still an answer, never a throw across IPC.
        return { result: STOPPED, internal: errorInfo(err) };
      }
    },
    lock: (senderId) => {
      if (!dead) worker.postMessage({ type: 'lock', senderId } satisfies HostRequest);
    },
    applyHttp: () => request<HttpServerStatus>({ type: 'apply-http' }),
    close: () =>
      (closing ??= (async () => {
        if (!dead) await request({ type: 'close' }).catch(() => undefined);
        await worker.terminate();
        await exited;
      })()),
  };
  return host;
}
