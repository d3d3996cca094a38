import { operationNames, type MarqueeClient, type OperationName } from '../../../shared/operations/index.js';
import { toClientError } from './client-error.js';
import { createHttpClient } from './http-client.js';

export { ClientError, isCode, toClientError } from './client-error.js';
export { useClient, useOp, useOpMutation, ClientProvider } from './hooks.js';

/** The preload (Electron) exposes window.marquee with one method per operation. */
function ipcClient(): MarqueeClient | null {
  const exposed = (globalThis as { marquee?: Partial<MarqueeClient> }).marquee;
  if (!exposed || typeof exposed !== 'object') return null;
  const client = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of operationNames) {
    const fn = exposed[name] as ((input: unknown) => Promise<unknown>) | undefined;
    // Electron strips the class off rejected errors; normalise so screens can check e.code.
    client[name] = async (input) => {
      if (typeof fn !== 'function') throw toClientError({ code: 'NOT_FOUND', message: `${name} is not available in this version of the app` });
      try {
        return await fn(input ?? {});
      } catch (e) {
        throw toClientError(e);
      }
    };
  }
  return client as unknown as MarqueeClient;
}

export const transport = (): 'ipc' | 'http' => (ipcClient() ? 'ipc' : 'http');

export function createClient(): MarqueeClient {
  return ipcClient() ?? createHttpClient();
}
export { StoreStatusProvider, useStoreStatus, watchStore, type StoreStatus, type StoreWatch } from './store-status.js';
