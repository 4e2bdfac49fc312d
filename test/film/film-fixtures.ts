/**
 * Visits and studies for the film tests, inserted straight into SQLite (visits.create belongs to
 * the visits capability), plus complete forms for each of the three cases.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../electron/services/store/database';
import type { FilmRecordInput } from '../../shared/film-cases';

export interface TestVisit {
  id: string;
  visitNumber: string;
  patientID: string;
  patientName: string;
}

let counter = 0;

export function insertVisit(
  db: Db,
  v: Partial<{
    patientID: string;
    patientName: string;
    procedureCode: string;
    procedureName: string;
    payer: '' | 'BHYT' | 'SERVICE' | 'CONTRACT';
    contractName: string;
    studyInstanceUID: string;
  }> = {},
): TestVisit {
  counter += 1;
  const id = randomUUID();
  const visit = {
    id,
    visitNumber: `LK${String(counter).padStart(5, '0')}`,
    patientID: v.patientID ?? `BN${String(1000 + counter)}`,
    patientName: v.patientName ?? 'NGUYỄN VĂN ẤN',
  };
  db.prepare(
    `INSERT INTO visits (id, visit_number, source, patient_id, patient_name, accession_number, study_instance_uid,
                         procedure_code, procedure_name, payer, contract_name, created_at, updated_at)
     VALUES (?, ?, 'worklist', ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
  ).run(
    id,
    visit.visitNumber,
    visit.patientID,
    visit.patientName,
    `ACC${counter}`,
    v.studyInstanceUID ?? '',
    v.procedureCode ?? 'XQ.NGUC.T',
    v.procedureName ?? 'X-quang ngực thẳng',
    v.payer ?? 'SERVICE',
    v.contractName ?? '',
  );
  return visit;
}

export function insertStudy(db: Db, visitId: string, studyUid: string, receivedAt = 1): void {
  db.prepare(
    `INSERT INTO studies (study_uid, patient_id, patient_name, first_received_at, last_received_at, visit_id)
     VALUES (?, '', '', ?, ?, ?)`,
  ).run(studyUid, receivedAt, receivedAt, visitId);
}

export const completeForms = (visitId: string) =>
  ({
    CONTRACT: {
      visitId,
      case: 'CONTRACT',
      films: [{ size: '35x43', count: 1 }],
      contractName: 'Hợp đồng khám sức khỏe Công ty Điện lực Đà Nẵng',
      contractNumber: 'HĐ-2026/015',
    },
    PATIENT_REQUEST: {
      visitId,
      case: 'PATIENT_REQUEST',
      films: [{ size: '24x30', count: 2 }],
      requestReference: 'PYC-0042',
      chargeAcknowledged: true,
    },
    SPECIAL: {
      visitId,
      case: 'SPECIAL',
      films: [{ size: '35x35', count: 1 }],
      description: 'Người bệnh chuyển tuyến, bệnh viện tuyến trên yêu cầu phim',
      proposedBy: 'Trần Thị Bích (KHNV)',
      approvedBy: 'BS. Lê Quốc Hùng, Phó Giám đốc',
      approvalReference: '125/QĐ-PKĐK',
      approvalDate: '2026-01-14',
    },
  }) satisfies Record<string, FilmRecordInput>;
