import { operationNames, ipcChannel, type OperationName } from '../../shared/operations/index.js';
import { fromErrorInfo, type CallerRef, type CoreClient, type IpcResult } from '../core/host/protocol.js';
import { isAppUrl } from './app-origin.js';

/** What crosses IPC: Electron keeps only `message` of a thrown Error, so errors travel as data. */
export type { IpcResult };

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
  /** Where calls run: the core host's worker thread in the desktop app (core/host/core-host.ts). */
  core: CoreClient;
  /** Who each call is from, as data: the window's signed-in user (kiosk) or, by default, full access. */
  caller?: (event: E) => CallerRef;
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

/**
 * One ipcMain.handle per operation in the table; returns a function that removes them all. The
 * bridge checks the sender and relays: permission, validation and the work happen in the core.
 */
export function registerIpcHandlers<E>(ipcMain: IpcMainLike<E>, o: BridgeOptions<E>): () => void {
  for (const name of operationNames) {
    ipcMain.handle(ipcChannel(name), async (event, input) => {
      if (!o.isTrustedSender(event)) {
        o.onRefused?.(name, event);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call Marquee', details: { operation: name } } };
      }
      const answer = await o.core.invoke(name, input, o.caller ? o.caller(event) : { kind: 'full' });
      if (answer.internal) o.onInternalError?.(name, fromErrorInfo(answer.internal));
      return answer.result;
    });
  }
  return () => {
    for (const name of operationNames) ipcMain.removeHandler(ipcChannel(name));
  };
}
