/** Đồng bộ / Sync: the page, the status bar's PACS strip and the PACS connection test for Settings. */
export { SyncPage } from './sync-page';
export { SyncStatusStrip } from './sync-status-strip';
export { PacsTestButton } from './pacs-test-button';
