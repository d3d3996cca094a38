import type { IpcMainLike, IpcResult, SenderEvent } from '../../electron/app/ipc-bridge.js';
import { ipcChannel, type OperationName } from '../../shared/operations/index.js';

type Listener = (event: SenderEvent, ...args: unknown[]) => Promise<IpcResult>;

/** ipcMain as far as the bridge can tell; arguments and replies are structured-cloned like Electron's. */
export class FakeIpcMain implements IpcMainLike<SenderEvent> {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener) {
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }

  /** What a renderer's invoke(channel, ...args) gets; undefined when the renderer could not even send it. */
  async send(event: SenderEvent, channel: string, ...args: unknown[]): Promise<IpcResult | undefined> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    let sent: unknown[];
    try {
      sent = args.map((a) => structuredClone(a));
    } catch (e) {
      // A value the clone cannot carry (nested deeper than the stack) fails in the renderer's invoke: main never sees it.
      if (e instanceof RangeError) return undefined;
      throw e;
    }
    return structuredClone(await listener(event, ...sent));
  }

  /** One operation with a cloneable input, as the preload's method for it sends it. */
  async call(event: SenderEvent, name: OperationName, input: unknown = {}): Promise<IpcResult> {
    const r = await this.send(event, ipcChannel(name), input);
    if (r === undefined) throw new Error(`the input of ${name} cannot be structured-cloned`);
    return r;
  }
}
