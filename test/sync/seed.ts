/**
 * Puts generated DX files into a desk's store and records them the way ingest does (studies,
 * series, instances and one outbox row each, in one transaction), so the sync tests start from a
 * real store without depending on the watcher.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Db } from '../../electron/services/store/database';
import { storeDirOf } from '../../electron/services/images/store-dir';
import { DX_FOR_PRESENTATION, TRANSFER_SYNTAX, makeStudy, newUid, type DxFile } from '../support/dicom-fixtures';

export interface SeededInstance {
  readonly instanceId: number;
  readonly sopInstanceUID: string;
  readonly studyInstanceUID: string;
  readonly path: string;
  readonly size: number;
  readonly md5: string;
}

export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** Generates `studies` × `views` small DX files into a folder (not a store), for copying into stores. */
export function generatePool(dir: string, studies: number, views: number, size = 64): DxFile[] {
  const out: DxFile[] = [];
  for (let i = 0; i < studies; i++) out.push(...makeStudy(dir, { views, rows: size, columns: size }));
  return out;
}

/** Records one file already placed under `<data>/store`, with its outbox row in `status`. */
export function recordInstance(db: Db, dataDir: string, f: Pick<DxFile, 'path' | 'sopInstanceUID' | 'studyInstanceUID' | 'seriesInstanceUID' | 'patientID'>, status: 'held' | 'pending', now: number): SeededInstance {
  const bytes = readFileSync(f.path);
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO studies (study_uid, patient_id, patient_name, first_received_at, last_received_at) VALUES (?, ?, 'TEST^PATIENT', ?, ?)
       ON CONFLICT (study_uid) DO UPDATE SET last_received_at = excluded.last_received_at`,
    ).run(f.studyInstanceUID, f.patientID, now, now);
    db.prepare(`INSERT OR IGNORE INTO series (series_uid, study_uid, modality) VALUES (?, ?, 'DX')`).run(f.seriesInstanceUID, f.studyInstanceUID);
    const id = db
      .prepare(
        `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'folder', 'fixture.dcm', ?)`,
      )
      .run(
        f.sopInstanceUID,
        DX_FOR_PRESENTATION,
        f.seriesInstanceUID,
        f.studyInstanceUID,
        TRANSFER_SYNTAX['explicit-le'],
        relative(storeDirOf(dataDir), f.path),
        bytes.length,
        createHash('sha256').update(bytes).digest('hex'),
        now,
      ).lastInsertRowid as number;
    db.prepare(`INSERT INTO outbox (instance_id, status, available_at) VALUES (?, ?, ?)`).run(id, status, now);
    return { instanceId: id, sopInstanceUID: f.sopInstanceUID, studyInstanceUID: f.studyInstanceUID, path: f.path, size: bytes.length, md5: md5(bytes) };
  })();
}

/** Copies pool files into the desk's store and records them. */
export function seedFromPool(db: Db, dataDir: string, pool: readonly DxFile[], status: 'held' | 'pending', now: number): SeededInstance[] {
  const dir = join(storeDirOf(dataDir), 'fx');
  mkdirSync(dir, { recursive: true });
  return pool.map((f) => {
    const dest = join(dir, `${f.sopInstanceUID}.dcm`);
    copyFileSync(f.path, dest);
    return recordInstance(db, dataDir, { ...f, path: dest }, status, now);
  });
}

/**
 * An instance the PACS cannot parse (the bytes are not DICOM) but recorded like any other:
 * Orthanc answers 400 and lists nothing for it (PS3.18 §10.5.3 leaves that to the server).
 */
export function seedGarbage(db: Db, dataDir: string, studyInstanceUID: string, now: number): SeededInstance {
  const dir = join(storeDirOf(dataDir), 'fx');
  mkdirSync(dir, { recursive: true });
  const sop = newUid();
  const path = join(dir, `${sop}.dcm`);
  writeFileSync(path, Buffer.from('this is not a DICOM file, but the store says it is\n'));
  return recordInstance(db, dataDir, { path, sopInstanceUID: sop, studyInstanceUID, seriesInstanceUID: newUid(), patientID: 'BN-GARBAGE' }, 'pending', now);
}
