/**
 * TanStack Query over the DeskClient: each contract method is a query key (`['desk', method,
 * input]`), so an event can invalidate every cached call of one method at once. Components reach
 * the client through context; none of them knows the transport.
 */
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import { createContext, createElement, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import type { DeskCallError } from './desk-call-error';
import type { DeskClient } from './desk-client';

const DeskClientContext = createContext<DeskClient | null>(null);

export function DeskClientProvider({ client, children }: { client: DeskClient; children: ReactNode }) {
  return createElement(DeskClientContext.Provider, { value: client }, children);
}

export function useDeskClient(): DeskClient {
  const client = useContext(DeskClientContext);
  if (!client) throw new Error('useDeskClient must be used inside <DeskClientProvider>');
  return client;
}

/** `['desk', method]` matches every cached call of the method; with input, one call. */
export function deskQueryKey(method: string, input?: unknown): readonly unknown[] {
  return input === undefined ? ['desk', method] : ['desk', method, input];
}

type QueryOptions<T> = Omit<UseQueryOptions<T, DeskCallError, T, readonly unknown[]>, 'queryKey' | 'queryFn'>;

export function useDeskQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  options: QueryOptions<MethodOutput<M>> = {},
): UseQueryResult<MethodOutput<M>, DeskCallError> {
  const client = useDeskClient();
  return useQuery({ ...options, queryKey: deskQueryKey(method, input), queryFn: () => client.call(method, input) });
}

/**
 * For a method this build may not have (see `DeskClient.callOptional`): the data is `null` when the
 * core answers UNKNOWN_METHOD, otherwise the untyped value for the caller to read.
 */
export function useOptionalDeskQuery(
  method: string,
  input: unknown,
  options: QueryOptions<unknown> = {},
): UseQueryResult<unknown, DeskCallError> {
  const client = useDeskClient();
  return useQuery({
    ...options,
    queryKey: deskQueryKey(method, input),
    queryFn: async () => (await client.callOptional(method, input)) ?? null,
  });
}

export function useDeskMutation<M extends MethodName>(
  method: M,
  options: Omit<UseMutationOptions<MethodOutput<M>, DeskCallError, MethodInput<M>>, 'mutationFn'> = {},
): UseMutationResult<MethodOutput<M>, DeskCallError, MethodInput<M>> {
  const client = useDeskClient();
  return useMutation({ ...options, mutationFn: (input) => client.call(method, input) });
}

/** Runs `fn` for each `event` while the component is mounted; `fn` may change between renders. */
export function useDeskEvent<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void): void {
  const client = useDeskClient();
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}

/** The usual reaction to an event: every cached call of these methods is refetched. */
export function useInvalidateOnEvent(event: EventName, methods: readonly MethodName[]): void {
  const queryClient = useQueryClient();
  useDeskEvent(event, () => {
    for (const method of methods) void queryClient.invalidateQueries({ queryKey: deskQueryKey(method) });
  });
}
