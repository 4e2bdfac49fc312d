/**
 * Which file goes to the PACS for an instance, and which local files a purge removes. One place on
 * purpose: attaching a study to a visit writes a corrected copy (`instances.send_path`, tags coerced,
 * originals kept in Original Attributes Sequence, PS3.3 C.12.1.1.9) and keeps the file as received
 * (`file_path`) for audit; the corrected copy is what the PACS gets, and a purge removes both.
 */
import { join } from 'node:path';
import { storeDirOf } from '../images/store-dir';

export interface StoredInstanceRef {
  /** `instances.file_path`: the file as received, relative to `<data>/store`. */
  readonly filePath: string;
  /** `instances.send_path`: the corrected copy, relative to `<data>/store`, when there is one. */
  readonly sendPath?: string | null;
}

/** The bytes to upload for this instance. */
export function sendPathFor(dataDir: string, row: StoredInstanceRef): string {
  return join(storeDirOf(dataDir), row.sendPath ?? row.filePath);
}

/** Every local file that holds this instance (removed once it is verified in the PACS and retained long enough). */
export function localFilesOf(dataDir: string, row: StoredInstanceRef): string[] {
  return [row.filePath, ...(row.sendPath ? [row.sendPath] : [])].map((p) => join(storeDirOf(dataDir), p));
}
