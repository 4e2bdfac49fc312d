/**
 * An instance's stored bytes, by the desk's internal instance id, for the viewer. The bridge
 * route (browser mode) and the Electron custom protocol both serve through this, so neither
 * ever builds a path from anything but the database row.
 *
 * The id in the URL is opaque on purpose: a UID or a patient name in a URL ends up in logs and
 * histories (PS3.18 §8.3.4 warns the same about WADO-URI query parameters).
 */
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Db } from '../store/database';
import { DeskError } from '../../../shared/errors';
import { storeDirOf } from './store-dir';

export interface InstanceFile {
  readonly instanceId: number;
  /** Absolute path inside the store folder. */
  readonly path: string;
  readonly size: number;
  readonly transferSyntaxUID: string;
  /** SHA-256 of the stored bytes (hex): an ETag that never changes for the same bytes. */
  readonly sha256: string;
}

export interface InstanceBytes extends InstanceFile {
  /** Opened lazily by Node; the caller pipes or destroys it. */
  readonly stream: ReadStream;
}

interface Row {
  file_path: string;
  size: number;
  transfer_syntax_uid: string;
  sha256: string;
}

/**
 * Finds the file of an instance and checks it is still there with its recorded size.
 * Throws NOT_FOUND for an unknown id and IMAGE_FILE_MISSING when the row is there but the bytes are
 * not (purged after the PACS verified them, or damaged).
 */
export function locateInstance(db: Db, dataDir: string, instanceId: number): InstanceFile {
  const row = db
    .prepare<[number], Row>(`SELECT file_path, size, transfer_syntax_uid, sha256 FROM instances WHERE id = ?`)
    .get(instanceId);
  if (!row) throw new DeskError('NOT_FOUND', { what: 'image' });
  const store = resolve(storeDirOf(dataDir));
  const path = resolve(store, row.file_path);
  const rel = relative(store, path);
  // The path column is written by ingest from generated names; still, never leave the store.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new DeskError('IMAGE_FILE_MISSING');
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new DeskError('IMAGE_FILE_MISSING');
  }
  if (size !== row.size) throw new DeskError('IMAGE_FILE_MISSING');
  return { instanceId, path, size, transferSyntaxUID: row.transfer_syntax_uid, sha256: row.sha256 };
}

/**
 * 1 MB reads: a 15 MB image in 15 turns of the desk's event loop instead of 240 (the default 64 KB),
 * which matters when ingest and sync share that loop with the viewer's request.
 */
const READ_CHUNK = 1024 * 1024;

export function openInstanceBytes(db: Db, dataDir: string, instanceId: number): InstanceBytes {
  const file = locateInstance(db, dataDir, instanceId);
  return { ...file, stream: createReadStream(file.path, { highWaterMark: READ_CHUNK }) };
}
