/**
 * `sync.status` kept live: the core pushes `sync.state` snapshots (throttled) straight into the
 * cache; a slow poll covers a lost event stream. Used by the status bar and the Sync page.
 */
import { useQueryClient } from '@tanstack/react-query';
import { deskQueryKey, useDeskEvent, useDeskQuery } from '../../lib/query';

const POLL_MS = 10_000;

export function useSyncStatus() {
  const queryClient = useQueryClient();
  useDeskEvent('sync.state', (status) => queryClient.setQueryData(deskQueryKey('sync.status', {}), status));
  return useDeskQuery('sync.status', {}, { refetchInterval: POLL_MS });
}
