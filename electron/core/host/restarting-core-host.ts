import type { OperationName } from '../../../shared/operations/index.js';
import { startCoreHost, type CoreHost, type CoreHostOptions } from './core-host.js';
import type { CallerRef, CoreAnswer } from './protocol.js';

export interface RestartOptions {
  /** At most this many restarts within `windowMs`; one more failure and the core stays down. */
  maxRestarts?: number;
  windowMs?: number;
  /**
   * A new core is running. Everything the old one held in memory is gone: kiosk sign-ins (windows
   * must show the sign-in screen again) and the HTTP API, which is started again here.
   */
  onRestart?: (err: Error) => void;
  /** The core failed too often (or could not start again): calls now answer INTERNAL. */
  onGiveUp?: (err: Error) => void;
}

/**
 * The core host, started again when its thread dies (a native crash, running out of memory): the
 * store is reopened by the new thread, and calls made while it starts wait for it. What was
 * committed is on disk; a call in flight at the moment of death answers INTERNAL and, like any
 * unconfirmed sale, was either written completely or not at all.
 */
export async function startRestartingCoreHost(o: CoreHostOptions, r: RestartOptions = {}): Promise<CoreHost> {
  const maxRestarts = r.maxRestarts ?? 3;
  const windowMs = r.windowMs ?? 60_000;
  const restarts: number[] = [];
  let closed = false;
  let restarting: Promise<CoreHost> | null = null;

  const start = () => startCoreHost({ ...o, onFailure: (err) => failed(err) });
  let current = await start();
  const firstRunAdmin = current.firstRunAdmin;

  function failed(err: Error): void {
    o.onFailure?.(err);
    if (closed || restarting) return;
    const now = Date.now();
    while (restarts.length > 0 && restarts[0]! <= now - windowMs) restarts.shift();
    if (restarts.length >= maxRestarts) return r.onGiveUp?.(err);
    restarts.push(now);
    restarting = start().then(
      async (host) => {
        current = host;
        restarting = null;
        if (closed) {
          await host.close();
          return host;
        }
        await host.applyHttp().catch(() => undefined);
        r.onRestart?.(err);
        return host;
      },
      (startErr: unknown) => {
        restarting = null;
        r.onGiveUp?.(startErr as Error);
        return current;
      },
    );
  }

  /** The core to use now: the one starting, if a restart is under way. */
  const live = async () => (restarting ? await restarting : current);

  return {
    get threadId() {
      return current.threadId;
    },
    firstRunAdmin,
    invoke: async (name: OperationName, input: unknown, caller: CallerRef): Promise<CoreAnswer> => (await live()).invoke(name, input, caller),
    lock: (senderId) => current.lock(senderId),
    applyHttp: async () => (await live()).applyHttp(),
    close: async () => {
      closed = true;
      await (await live()).close();
    },
  };
}
