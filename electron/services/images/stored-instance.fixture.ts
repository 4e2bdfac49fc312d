/**
 * Test support: puts an instance into a desk's store the way ingest leaves it (file under the
 * store folder, rows in studies/series/instances/outbox of migration 010), so the image and review
 * services are tested against the real schema without running the whole ingest pipeline.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database';
import { storeDirOf } from './store-dir';

export interface StoredInstance {
  instanceId: number;
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  bytes: Buffer;
  filePath: string;
}

export function storeInstance(
  db: Db,
  dataDir: string,
  opts: { bytes?: Buffer; studyInstanceUID?: string; seriesInstanceUID?: string; patientID?: string; outboxStatus?: string; at?: number } = {},
): StoredInstance {
  const uid = () => `2.25.${BigInt(`0x${randomBytes(12).toString('hex')}`).toString(10)}`;
  const bytes = opts.bytes ?? randomBytes(4096);
  const studyInstanceUID = opts.studyInstanceUID ?? uid();
  const seriesInstanceUID = opts.seriesInstanceUID ?? uid();
  const sopInstanceUID = uid();
  const rel = join('ab', `${randomBytes(8).toString('hex')}.dcm`);
  const filePath = join(storeDirOf(dataDir), rel);
  mkdirSync(join(storeDirOf(dataDir), 'ab'), { recursive: true });
  writeFileSync(filePath, bytes);
  const at = opts.at ?? 1_700_000_000_000;
  db.prepare(
    `INSERT OR IGNORE INTO studies (study_uid, patient_id, patient_name, first_received_at, last_received_at) VALUES (?, ?, 'NGUYỄN^VĂN AN', ?, ?)`,
  ).run(studyInstanceUID, opts.patientID ?? 'BN001', at, at);
  db.prepare(`INSERT OR IGNORE INTO series (series_uid, study_uid, modality) VALUES (?, ?, 'DX')`).run(seriesInstanceUID, studyInstanceUID);
  const info = db
    .prepare(
      `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, instance_number, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at)
       VALUES (?, '1.2.840.10008.5.1.4.1.1.1.1', ?, ?, '1', '1.2.840.10008.1.2.1', ?, ?, ?, 'folder', 'x.dcm', ?)`,
    )
    .run(sopInstanceUID, seriesInstanceUID, studyInstanceUID, rel, bytes.length, createHash('sha256').update(bytes).digest('hex'), at);
  const instanceId = Number(info.lastInsertRowid);
  db.prepare(`INSERT INTO outbox (instance_id, status) VALUES (?, ?)`).run(instanceId, opts.outboxStatus ?? 'held');
  return { instanceId, sopInstanceUID, studyInstanceUID, seriesInstanceUID, bytes, filePath };
}
