/**
 * What the status bar says about the PACS and the outbox. `sync.status` belongs to the sync
 * capability, which a build may not have yet: then the bar says only what settings can tell
 * (configured or not) and never pretends to know whether the PACS is reachable.
 *
 * The value of `sync.status` arrives untyped (see `useOptionalDeskQuery`), so it is read
 * field by field here; once the sync slice is in the contract this reads its declared output.
 */

/** The part of `sync.status` the bar shows: `{ online, pending, sending, failed, bytesPending }`. */
export interface SyncSummary {
  readonly online: boolean;
  /** Instances not yet acknowledged by the PACS (pending + sending). */
  readonly waiting: number;
  readonly failed: number;
  readonly bytesPending: number;
}

export type PacsState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'not-configured'; readonly sync: SyncSummary | null }
  /** Configured, but this build has no sync capability to ask. */
  | { readonly kind: 'configured' }
  | { readonly kind: 'online' | 'offline'; readonly sync: SyncSummary };

export function readSyncSummary(value: unknown): SyncSummary | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  if (typeof v.online !== 'boolean') return null;
  return { online: v.online, waiting: n(v.pending) + n(v.sending), failed: n(v.failed), bytesPending: n(v.bytesPending) };
}

/**
 * @param dicomwebUrl `pacs.dicomwebUrl` from settings; undefined while settings load.
 * @param syncStatus the `sync.status` query's data: undefined while loading, null when the method
 *   does not exist in this build.
 */
export function pacsState(dicomwebUrl: string | undefined, syncStatus: unknown): PacsState {
  if (dicomwebUrl === undefined) return { kind: 'loading' };
  const sync = syncStatus === undefined || syncStatus === null ? null : readSyncSummary(syncStatus);
  if (dicomwebUrl === '') return { kind: 'not-configured', sync };
  if (!sync) return syncStatus === undefined ? { kind: 'loading' } : { kind: 'configured' };
  return { kind: sync.online ? 'online' : 'offline', sync };
}
