/** Sync to the PACS: the outbox worker, its handlers, and the one place that names the file to send. */
export { createSyncService, defaultTuning, type SyncService, type SyncServiceDeps, type SyncTuning, type SyncEventSink } from './sync-service';
export { createSyncHandlers } from './handlers';
export { sendPathFor, localFilesOf } from './send-path';
