import type { ErrorCode } from '../../shared/errors.js';
import { operationNames, ipcChannel, type OperationName } from '../../shared/operations/index.js';
import type { OpContext } from '../core/services/context.js';
import { FULL_ACCESS, invoke, toAppError, type Caller } from '../core/services/dispatch.js';
import { isAppUrl } from './app-origin.js';

/** What crosses IPC: Electron keeps only `message` of a thrown Error, so errors travel as data. */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

/** The part of Electron's IpcMainInvokeEvent the sender check reads. */
export interface SenderEvent {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** The part of Electron's ipcMain the bridge uses; tests pass a fake. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<IpcResult>): void;
  removeHandler(channel: string): void;
}

export interface BridgeOptions<E> {
  /** Without channel: every IPC call is a kiosk call. */
  ctx: Omit<OpContext, 'channel'>;
  /** Who each call is from: a fixed caller, or per sender (the kiosk's signed-in user, see KioskSessions). */
  caller?: Caller | ((event: E) => Caller | Promise<Caller>);
  isTrustedSender: (event: E) => boolean;
  onRefused?: (name: OperationName, event: E) => void;
  /** Unexpected (INTERNAL) errors, for the log; the renderer only sees the generic message. */
  onInternalError?: (name: OperationName, err: unknown) => void;
}

/**
 * Only the top frame of one of our own windows, showing a page of our own protocol, may call.
 * A remote page that somehow got into a frame or a window, or a subframe, is refused.
 */
export function createSenderCheck(isAppWebContents: (webContentsId: number) => boolean) {
  return (event: SenderEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url) && isAppWebContents(event.sender.id);
  };
}

/** One ipcMain.handle per operation in the table; returns a function that removes them all. */
export function registerIpcHandlers<E>(ipcMain: IpcMainLike<E>, o: BridgeOptions<E>): () => void {
  const ctx: OpContext = { ...o.ctx, channel: 'kiosk' };
  const callerOf = async (event: E): Promise<Caller> => (typeof o.caller === 'function' ? o.caller(event) : (o.caller ?? FULL_ACCESS));
  for (const name of operationNames) {
    ipcMain.handle(ipcChannel(name), async (event, input) => {
      if (!o.isTrustedSender(event)) {
        o.onRefused?.(name, event);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call Marquee', details: { operation: name } } };
      }
      try {
        return { ok: true, value: await invoke(ctx, await callerOf(event), name, input) };
      } catch (err) {
        const appError = toAppError(err);
        if (appError.code === 'INTERNAL') o.onInternalError?.(name, err);
        return { ok: false, error: appError.toBody().error };
      }
    });
  }
  return () => {
    for (const name of operationNames) ipcMain.removeHandler(ipcChannel(name));
  };
}
