/**
 * Where ingest keeps the accepted files: `instances.file_path` is relative to this folder.
 * One definition, shared with the ingest capability, so the viewer reads exactly what ingest wrote.
 */
import { join } from 'node:path';

export function storeDirOf(dataDir: string): string {
  return join(dataDir, 'store');
}
