// The core host's worker thread: the store, every operation, the change feed and the optional HTTP
// API live here, so no query, import or report ever blocks the thread that runs the windows.
// Started by core-host.ts; talks to it only through the messages in protocol.ts.
import './native-modules.js';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import { KioskSessions } from '../auth/callers.js';
import { openDataDir } from '../boot.js';
import { recoverInterruptedImports } from '../import/csv-import.js';
import type { OpContext, TicketPdfExport } from '../services/context.js';
import type { Store } from '../store/contract/store.js';
import { openStore } from '../store/sqlite/database.js';
import { answerCall, callContext, resolveCaller } from './answer.js';
import { createHttpControl, type DesktopHttpControl } from './http-control.js';
import { desktopStoreControl } from './store-control.js';
import { errorInfo, type HostInit, type HostMessage, type HostRequest, type IpcResult } from './protocol.js';

function parent() {
  if (!parentPort) throw new Error('core-host-worker runs as a worker thread (see core-host.ts)');
  return parentPort;
}
const port = parent();
const init = workerData as HostInit;
const post = (m: HostMessage) => port.postMessage(m);

async function open(): Promise<{ store: Store; firstRunAdmin: Awaited<ReturnType<typeof openDataDir>>['firstRunAdmin'] }> {
  if ('dataDir' in init.store) {
    const { store, firstRunAdmin } = await openDataDir(init.store.dataDir, { empty: init.store.empty, writerLane: true, databaseUrl: init.store.databaseUrl ?? null });
    return { store, firstRunAdmin };
  }
  const store = await openStore({ file: init.store.file });
  await recoverInterruptedImports(store);
  return { store, firstRunAdmin: null };
}

async function main(): Promise<void> {
  const { store, firstRunAdmin } = await open();
  let http: DesktopHttpControl | null = null;
  if (init.httpServer) {
    http = createHttpControl({
      ctx: { store, version: init.version },
      dataDir: init.httpServer.dataDir,
      initial: init.httpServer.initial,
      // Main keeps the settings file; messages arrive in order, so the last toggle wins there too.
      persist: (settings) => post({ type: 'persist-http', settings }),
    });
  }
  const storeControl = init.storeSettings ? desktopStoreControl(init.storeSettings, 'dataDir' in init.store ? (init.store.databaseUrl ?? null) : null, post) : undefined;
  // saveTicketsPdf: the windows live on the main thread, so the worker asks main and waits for its answer.
  const pdfCalls = new Map<number, (result: IpcResult<{ saved: boolean; path: string | null }>) => void>();
  let nextPdfCall = 1;
  const ticketPdf: TicketPdfExport | undefined = init.ticketPdf
    ? {
        save: (request) =>
          new Promise((resolve, reject) => {
            const id = nextPdfCall++;
            pdfCalls.set(id, (result) => (result.ok ? resolve(result.value) : reject(new AppError(result.error.code, result.error.message, result.error.details))));
            post({ type: 'ticket-pdf', id, request });
          }),
      }
    : undefined;
  const ctx: OpContext = {
    store,
    version: init.version,
    channel: 'kiosk',
    ...(http ? { httpControl: http } : {}),
    ...(storeControl ? { storeControl } : {}),
    ...(ticketPdf ? { ticketPdf } : {}),
  };
  const sessions = new KioskSessions(store);
  const unsubscribe = init.seatChanges ? store.feed.subscribe((change) => post({ type: 'seat-change', change })) : () => undefined;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      unsubscribe();
      await http?.close();
      await store.close();
    })());

  const reply = (id: number, work: Promise<unknown>) =>
    work.then(
      (value) => post({ type: 'reply', id, value }),
      (err: unknown) => post({ type: 'reply-error', id, error: errorInfo(err) }),
    );

  const parts = new Map<number, Map<string, string[]>>();
  const withParts = (m: Extract<HostRequest, { type: 'invoke' }>): unknown => {
    const fields = parts.get(m.id);
    parts.delete(m.id);
    if (!m.chunked || !fields) return m.input;
    const input = { ...(m.input as Record<string, unknown>) };
    for (const f of m.chunked) input[f] = (fields.get(f) ?? []).join('');
    return input;
  };

  port.on('message', (m: HostRequest) => {
    switch (m.type) {
      case 'part': {
        const fields = parts.get(m.id) ?? new Map<string, string[]>();
        parts.set(m.id, fields);
        const texts = fields.get(m.field) ?? [];
        fields.set(m.field, texts);
        texts.push(m.text);
        break;
      }
      case 'invoke': {
        const input = withParts(m);
        void reply(m.id, answerCall(callContext(ctx, m.caller), () => resolveCaller(m.caller, sessions), m.name, input));
        break;
      }
      case 'lock':
        sessions.lock(m.senderId);
        break;
      case 'ticket-pdf-reply': {
        const answer = pdfCalls.get(m.id);
        pdfCalls.delete(m.id);
        answer?.(m.result);
        break;
      }
      case 'apply-http':
        void reply(m.id, http ? http.apply() : Promise.reject(new Error('this core host runs no HTTP server')));
        break;
      case 'close':
        // The host terminates the thread once this reply arrives: store and server are closed by then.
        void reply(m.id, close());
        break;
    }
  });
  post({ type: 'ready', firstRunAdmin, threadId });
}

main().catch((err: unknown) => post({ type: 'failed', error: errorInfo(err) }));
