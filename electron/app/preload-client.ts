import { ERROR_STATUS, type ErrorCode } from '../../shared/errors.js';
import { ipcChannel, operationNames, type MarqueeClient, type OperationName } from '../../shared/operations/index.js';
import { IDLE_LOCK_CHANNEL, SEAT_CHANGE_CHANNEL } from './app-origin.js';
import type { IpcResult } from './ipc-bridge.js';

/** The parts of Electron's ipcRenderer and contextBridge the preload uses; tests pass fakes. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/** An operation's error, rebuilt from the data that crossed IPC. */
export class MarqueeError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'MarqueeError';
    this.status = ERROR_STATUS[code] ?? 500;
  }
}

/** What the page receives instead: contextBridge copies an Error with its message only. */
export interface BridgedError {
  name: 'MarqueeError';
  code: ErrorCode;
  message: string;
  details?: unknown;
  status: number;
}

function unwrap(name: OperationName, result: unknown): unknown {
  const r = result as IpcResult | null;
  if (r && r.ok === true) return r.value;
  if (r && r.ok === false && typeof r.error?.code === 'string') throw new MarqueeError(r.error.code, r.error.message, r.error.details);
  throw new MarqueeError('INTERNAL', `Unexpected reply to ${name}`);
}

/** window.marquee: one function per operation of the table, nothing else. */
export function createMarqueeClient(ipc: IpcRendererLike): MarqueeClient {
  const client: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of operationNames) {
    client[name] = async (input: unknown) => unwrap(name, await ipc.invoke(ipcChannel(name), input ?? {}));
  }
  return Object.freeze(client) as unknown as MarqueeClient;
}

const toBridged = (err: unknown): BridgedError => {
  const e = err instanceof MarqueeError ? err : new MarqueeError('INTERNAL', err instanceof Error ? err.message : String(err));
  return { name: 'MarqueeError', code: e.code, message: e.message, status: e.status, ...(e.details === undefined ? {} : { details: e.details }) };
};

/** The client as exposed to the page: rejections are plain {name, code, message, details, status}. */
export function bridgeSafe(client: MarqueeClient): MarqueeClient {
  const out: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of operationNames) {
    const fn = client[name] as (input: unknown) => Promise<unknown>;
    out[name] = (input: unknown) =>
      fn(input).catch((err: unknown) => {
        throw toBridged(err);
      });
  }
  return Object.freeze(out) as unknown as MarqueeClient;
}

/** A committed seat change pushed from main (shape of electron/core/store/contract/shapes.ts SeatChange). */
export interface SeatChangeEvent {
  eventId: number;
  ticketIds: number[];
  status: 'available' | 'held' | 'sold';
  holder: string | null;
  expiresAt: string | null;
}

/** window.marqueeEvents: the subscriptions the kiosk needs. */
export interface MarqueeEvents {
  /** Called when the kiosk has been idle for the configured minutes; returns an unsubscribe function. */
  onIdleLock(cb: () => void): () => void;
  /** Called with every seat change of any event (live seat maps); returns an unsubscribe function. */
  onSeatChange(cb: (change: SeatChangeEvent) => void): () => void;
}

/**
 * If nothing in the page listens when the idle lock fires, `fallback` runs (the preload sends the
 * page back to its start URL), so a stranger never finds the last customer's order.
 */
export function createMarqueeEvents(ipc: IpcRendererLike, fallback: () => void): MarqueeEvents {
  const listeners = new Set<() => void>();
  ipc.on(IDLE_LOCK_CHANNEL, () => {
    if (listeners.size === 0) return fallback();
    for (const cb of [...listeners]) cb();
  });
  const seatListeners = new Set<(change: SeatChangeEvent) => void>();
  ipc.on(SEAT_CHANGE_CHANNEL, (_event, change) => {
    const c = change as SeatChangeEvent | null;
    if (!c || typeof c.eventId !== 'number' || !Array.isArray(c.ticketIds)) return;
    for (const cb of [...seatListeners]) cb(c);
  });
  return Object.freeze({
    onIdleLock(cb: () => void) {
      if (typeof cb !== 'function') throw new TypeError('onIdleLock needs a function');
      listeners.add(cb);
      return () => {
        listeners.delete(cb);
      };
    },
    onSeatChange(cb: (change: SeatChangeEvent) => void) {
      if (typeof cb !== 'function') throw new TypeError('onSeatChange needs a function');
      seatListeners.add(cb);
      return () => {
        seatListeners.delete(cb);
      };
    },
  });
}

/** Everything the preload puts on window; the keys are the whole surface. */
export function exposeApi(bridge: ContextBridgeLike, ipc: IpcRendererLike, fallback: () => void): void {
  bridge.exposeInMainWorld('marquee', bridgeSafe(createMarqueeClient(ipc)));
  bridge.exposeInMainWorld('marqueeEvents', createMarqueeEvents(ipc, fallback));
}
