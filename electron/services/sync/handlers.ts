/** Handlers for the sync slice (shared/contract/sync.ts): thin over the sync service. */
import type { Handlers } from '../../core/handler-types';
import type { SyncService } from './sync-service';

type SyncMethod = 'pacs.test' | 'studies.release' | 'sync.status' | 'sync.list' | 'sync.retry';

export function createSyncHandlers({ sync }: { sync: SyncService }): Handlers<SyncMethod> {
  return {
    'pacs.test': (input) => sync.test(input),
    'studies.release': ({ studyInstanceUIDs }, ctx) => {
      const r = sync.release(studyInstanceUIDs);
      // One study: the audit record names it and its patient; several: the UIDs go in the detail.
      ctx.audit({
        studyInstanceUID: r.released.length === 1 ? r.released[0] : null,
        patientID: r.released.length === 1 ? r.patientIDs[0] : null,
        detail: { studyInstanceUIDs: r.released, instances: r.instances },
      });
      return { released: r.released, instances: r.instances };
    },
    'sync.status': () => sync.status(),
    'sync.list': (input) => sync.list(input),
    'sync.retry': ({ studyInstanceUIDs }, ctx) => {
      const reset = sync.retry(studyInstanceUIDs);
      ctx.audit({
        studyInstanceUID: studyInstanceUIDs?.length === 1 ? studyInstanceUIDs[0] : null,
        detail: { studyInstanceUIDs: studyInstanceUIDs ?? 'all', reset },
      });
      return { reset };
    },
  };
}
