/**
 * The desk's ingest folders inside its data folder. The store itself is shared with the image
 * reader (`storeDirOf`), so both agree on where `instances.file_path` is relative to.
 */
import path from 'node:path';
import { storeDirOf } from '../images/store-dir';

export interface IngestPaths {
  /** Accepted files, `<yyyy>/<mm>/<dd>/<uuid>.dcm`, names generated (no DICOM value in a path). */
  readonly store: string;
  /** Copies in flight (`<uuid>.part`) and their journals (`<uuid>.json`), same file system as the store. */
  readonly incoming: string;
  /** `<id>.dcm` + `<id>.json` sidecar per quarantined file. Never emptied automatically. */
  readonly quarantine: string;
  /** Export-folder files after import (`ingest.afterImport` = move), by day. */
  readonly done: string;
  /** The watch folder when `ingest.watchFolders` is empty. */
  readonly export: string;
  /** C-STORE objects being received (`.part`) or received and waiting for the pipeline (`.dcm`). */
  readonly spool: string;
}

export function ingestPaths(dataDir: string): IngestPaths {
  const store = storeDirOf(dataDir);
  return {
    store,
    incoming: path.join(store, '.incoming'),
    quarantine: path.join(dataDir, 'quarantine'),
    done: path.join(dataDir, 'done'),
    export: path.join(dataDir, 'export'),
    spool: path.join(dataDir, 'spool', 'scp'),
  };
}
