import { useQueryClient } from '@tanstack/react-query';
import { createContext, createElement, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MarqueeClient, OperationName } from '../../../shared/operations/index.js';
import { ClientError } from './client-error.js';

/**
 * Whether the box office can reach its store (issue 15: a shared PostgreSQL server that went away).
 * Followed through the `health` operation of whichever client this window has (HTTP in browser mode,
 * IPC in Electron), polled every POLL_MS, and asked again at once when any call answers
 * STORE_UNAVAILABLE. `unknown` until the first answer, and kept as it was while the box office
 * itself does not answer (that is another problem, said by the screens' own errors).
 */
export interface StoreStatus {
  status: 'unknown' | 'up' | 'unavailable';
  engine: 'sqlite' | 'postgres' | null;
  /** In plain words, why the store cannot be reached; null when up. */
  problem: string | null;
  /** False only while the store is known to be unavailable: sell buttons are disabled then. */
  canSell: boolean;
}

export const POLL_MS = 1500;
const POLL_DOWN_MS = 1000;

const UNKNOWN: StoreStatus = { status: 'unknown', engine: null, problem: null, canSell: true };
const StoreStatusContext = createContext<StoreStatus>(UNKNOWN);

/** Listeners told when a call answered STORE_UNAVAILABLE (the poll then asks health at once). */
export interface StoreWatch {
  client: MarqueeClient;
  onUnavailable(listener: (e: ClientError) => void): () => void;
}

/** The same client, every method passing its answers through, noticing STORE_UNAVAILABLE on the way. */
export function watchStore(inner: MarqueeClient): StoreWatch {
  const listeners = new Set<(e: ClientError) => void>();
  const client = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of Object.keys(inner) as OperationName[]) {
    const fn = inner[name] as unknown as (input: unknown) => Promise<unknown>;
    client[name] = async (input) => {
      try {
        return await fn(input);
      } catch (e) {
        if (e instanceof ClientError && e.code === 'STORE_UNAVAILABLE') for (const l of listeners) l(e);
        throw e;
      }
    };
  }
  return {
    client: client as unknown as MarqueeClient,
    onUnavailable(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Reads health in a loop; when the store comes back, every query is refetched (screens that failed recover). */
export function StoreStatusProvider({ watch, children }: { watch: StoreWatch; children: ReactNode }) {
  const [state, setState] = useState<StoreStatus>(UNKNOWN);
  const queryClient = useQueryClient();
  const last = useRef<StoreStatus['status']>('unknown');

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let again = false;

    const check = async () => {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      clearTimeout(timer);
      try {
        const h = await watch.client.health({});
        if (stopped) return;
        const next: StoreStatus =
          h.store.status === 'up'
            ? { status: 'up', engine: h.store.engine, problem: null, canSell: true }
            : { status: 'unavailable', engine: h.store.engine, problem: h.store.problem, canSell: false };
        const was = last.current;
        last.current = next.status;
        setState((prev) => (prev.status === next.status && prev.problem === next.problem && prev.engine === next.engine ? prev : next));
        if (was === 'unavailable' && next.status === 'up') void queryClient.invalidateQueries();
      } catch (e) {
        // A health answer of STORE_UNAVAILABLE (should it ever come as an error) is the store's state too.
        if (!stopped && e instanceof ClientError && e.code === 'STORE_UNAVAILABLE') {
          last.current = 'unavailable';
          const problem = (e.details as { problem?: string } | undefined)?.problem ?? e.message;
          setState((prev) => ({ status: 'unavailable', engine: prev.engine, problem, canSell: false }));
        }
      } finally {
        inFlight = false;
        if (!stopped) {
          if (again) {
            again = false;
            void check();
          } else {
            timer = setTimeout(() => void check(), last.current === 'unavailable' ? POLL_DOWN_MS : POLL_MS);
          }
        }
      }
    };

    const off = watch.onUnavailable((e) => {
      // Said at once, then confirmed (and kept up to date) by health.
      const problem = (e.details as { problem?: string } | undefined)?.problem ?? null;
      last.current = 'unavailable';
      setState((prev) => ({ status: 'unavailable', engine: prev.engine, problem: problem ?? prev.problem, canSell: false }));
      void check();
    });
    void check();
    return () => {
      stopped = true;
      clearTimeout(timer);
      off();
    };
  }, [watch, queryClient]);

  const value = useMemo(() => state, [state]);
  return createElement(StoreStatusContext.Provider, { value }, children);
}

export function useStoreStatus(): StoreStatus {
  return useContext(StoreStatusContext);
}
