/**
 * The film page's queries and mutations. Every write refreshes the register, the report and the
 * visit's billing, here and in any other window (the core emits `film.changed`).
 */
import { useQueryClient } from '@tanstack/react-query';
import type { MethodName } from '../../../../shared/contract';
import { deskQueryKey, useDeskMutation, useInvalidateOnEvent } from '../../lib/query';

const FILM_READS: readonly MethodName[] = ['film.list', 'film.report', 'film.visitBilling'];

export function useFilmRefresh(): void {
  useInvalidateOnEvent('film.changed', FILM_READS);
  useInvalidateOnEvent('catalog.changed', ['catalog.list']);
}

function useInvalidate(methods: readonly MethodName[]) {
  const queryClient = useQueryClient();
  return () => {
    for (const m of methods) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
  };
}

export function useRecordFilm() {
  return useDeskMutation('film.record', { onSuccess: useInvalidate(FILM_READS) });
}

export function useVoidFilm() {
  return useDeskMutation('film.void', { onSuccess: useInvalidate(FILM_READS) });
}

export function useApproveFilm() {
  return useDeskMutation('film.approve', { onSuccess: useInvalidate(FILM_READS) });
}

export function useUpdateCatalog() {
  return useDeskMutation('catalog.update', { onSuccess: useInvalidate(['catalog.list']) });
}
