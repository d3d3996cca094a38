import { useMutation, useQuery, type UseMutationOptions, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, createElement, useContext, type ReactNode } from 'react';
import type { MarqueeClient, OperationName, OpInput, OpOutput } from '../../../shared/operations/index.js';
import type { ClientError } from './client-error.js';

const ClientContext = createContext<MarqueeClient | null>(null);

export function ClientProvider({ client, children }: { client: MarqueeClient; children: ReactNode }) {
  return createElement(ClientContext.Provider, { value: client }, children);
}

export function useClient(): MarqueeClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs <ClientProvider> (see renderer/README.md)');
  return client;
}

/** Query key of an operation: invalidate with queryClient.invalidateQueries({ queryKey: [name] }). */
export const opKey = <K extends OperationName>(name: K, input?: OpInput<K>) => (input === undefined ? [name] : [name, input]);

/** A read operation through react-query: useOp('searchEvents', { city: 'Chicago' }). */
export function useOp<K extends OperationName>(
  name: K,
  input: OpInput<K>,
  options: Omit<UseQueryOptions<OpOutput<K>, ClientError>, 'queryKey' | 'queryFn'> = {},
) {
  const client = useClient();
  const call = client[name] as (i: OpInput<K>) => Promise<OpOutput<K>>;
  return useQuery<OpOutput<K>, ClientError>({ queryKey: opKey(name, input), queryFn: () => call(input), ...options });
}

/** A write operation: const sell = useOpMutation('createOrder'); sell.mutate({...}). */
export function useOpMutation<K extends OperationName>(
  name: K,
  options: Omit<UseMutationOptions<OpOutput<K>, ClientError, OpInput<K>>, 'mutationFn'> = {},
) {
  const client = useClient();
  const call = client[name] as (i: OpInput<K>) => Promise<OpOutput<K>>;
  return useMutation<OpOutput<K>, ClientError, OpInput<K>>({ mutationFn: (input) => call(input), ...options });
}
