/**
 * An instance's stored bytes, by the desk's internal instance id, for the viewer. The bridge
 * route (browser mode) and the Electron custom protocol both serve through this, so neither
 * ever builds a path from anything but the database row.
 *
 * Served is what the PACS gets (sync/send-path.ts): the corrected copy once the study is attached
 * to a visit (`send_path`, the visit's identity in its tags), else the file as received — so the
 * technician checks the very bytes that will leave the desk.
 *
 * The id in the URL is opaque on purpose: a UID or a patient name in a URL ends up in logs and
 * histories (PS3.18 §8.3.4 warns the same about WADO-URI query parameters).
 */
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Db } from '../store/database';
import { DeskError } from '../../../shared/errors';
import { imageRevision, servedIdentity } from './image-revision';
import { storeDirOf } from './store-dir';

export interface InstanceFile {
  readonly instanceId: number;
  /** Absolute path inside the store folder. */
  readonly path: string;
  readonly size: number;
  readonly transferSyntaxUID: string;
  /**
   * SHA-256 of the image as received (hex). It names the thumbnail: a corrected copy changes
   * top-level tags only, never the pixels.
   */
  readonly sha256: string;
  /** Which bytes are served (image-revision.ts): the `?v=` of the image URL. */
  readonly revision: string;
  /** Strong ETag of the served bytes. */
  readonly etag: string;
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
  send_path: string | null;
  send_size: number | null;
}

/**
 * Finds the file served for an instance (its corrected copy when there is one) and checks it is
 * still there with its recorded size.
 * Throws NOT_FOUND for an unknown id and IMAGE_FILE_MISSING when the row is there but the bytes are
 * not (purged after the PACS verified them, or damaged).
 */
export function locateInstance(db: Db, dataDir: string, instanceId: number): InstanceFile {
  const row = db
    .prepare<[number], Row>(`SELECT file_path, size, transfer_syntax_uid, sha256, send_path, send_size FROM instances WHERE id = ?`)
    .get(instanceId);
  if (!row) throw new DeskError('NOT_FOUND', { what: 'image' });
  const store = resolve(storeDirOf(dataDir));
  const path = resolve(store, row.send_path ?? row.file_path);
  const expectedSize = row.send_path === null ? row.size : row.send_size;
  const rel = relative(store, path);
  // The path column is written by ingest from generated names; still, never leave the store.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new DeskError('IMAGE_FILE_MISSING');
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new DeskError('IMAGE_FILE_MISSING');
  }
  if (size !== expectedSize) throw new DeskError('IMAGE_FILE_MISSING');
  const identity = servedIdentity(row.sha256, row.send_path);
  return {
    instanceId,
    path,
    size,
    transferSyntaxUID: row.transfer_syntax_uid,
    sha256: row.sha256,
    revision: imageRevision(row.sha256, row.send_path),
    etag: `"${identity}"`,
  };
}

/**
 * 1 MB reads: a 15 MB image in 15 turns of the desk's event loop instead of 240 (the default 64 KB),
 * which matters when ingest and sync share that loop with the viewer's request.
 */
const READ_CHUNK = 1024 * 1024;

/** Opens the file `locateInstance` found: the bytes streamed are the ones its headers describe. */
export function openInstanceBytes(file: InstanceFile): InstanceBytes {
  return { ...file, stream: createReadStream(file.path, { highWaterMark: READ_CHUNK }) };
}
