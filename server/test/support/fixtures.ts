/**
 * Records as desks send them (shared/records.ts), with fresh tokens and UUIDs, for the server's
 * tests. The token is what the slip's QR carries; the record holds only its SHA-256.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FilmExceptionRecord, FilmVoidRecord, FilmApprovalRecord } from '../../../shared/film-records';
import type { SlipRecord, TokenRevocationRecord } from '../../../shared/contract/slips';
import type { RecordKind } from '../../../shared/records';

export interface WireRecord {
  id: string;
  kind: RecordKind;
  payload: unknown;
}

export const newToken = (): string => randomBytes(16).toString('base64url');
export const tokenHash = (t: string): string => createHash('sha256').update(t).digest('hex');

export const DAY = 86_400_000;

export function slipRecord(token: string, o: Partial<SlipRecord> & { now?: number } = {}): WireRecord & { payload: SlipRecord } {
  const now = o.now ?? Date.UTC(2026, 0, 15, 2, 0, 0);
  const { now: _n, ...over } = o;
  const payload: SlipRecord = {
    slipId: randomUUID(),
    tokenHash: tokenHash(token),
    visitId: randomUUID(),
    visitNumber: 'KB-2026-0001',
    patient: { name: 'NGUYỄN VĂN AN', birthYear: '1985', sex: 'M' },
    exams: ['X-quang ngực thẳng'],
    studyInstanceUIDs: [],
    issuedAt: now,
    expiresAt: now + 365 * DAY,
    requireBirthYear: false,
    clinicName: 'Phòng khám Đa khoa Hòa Bình',
    status: 'active',
    lookupCode: 'ABCD2345',
    replaces: null,
    revision: 0,
    ...over,
  };
  return { id: randomUUID(), kind: 'slip', payload };
}

export function revocationRecord(token: string, at: number, reason = 'Mất phiếu'): WireRecord & { payload: TokenRevocationRecord } {
  return { id: randomUUID(), kind: 'token-revocation', payload: { slipId: randomUUID(), tokenHash: tokenHash(token), visitId: randomUUID(), revokedAt: at, reason, replacedBy: null } };
}

export function filmRecord(o: Partial<FilmExceptionRecord> = {}): WireRecord & { payload: FilmExceptionRecord } {
  const id = o.id ?? randomUUID();
  const payload: FilmExceptionRecord = {
    event: 'recorded',
    id,
    deskId: 'desk-1',
    recordedAt: Date.UTC(2026, 0, 10, 3, 0, 0),
    technician: { id: 'op-1', name: 'Lê Thị Hoa' },
    visit: { id: randomUUID(), visitNumber: 'KB-1', patientID: 'BN001', patientName: 'TRẦN VĂN BÌNH', accessionNumber: 'A1', procedureCode: 'XQ01', procedureName: 'X-quang ngực' },
    case: 'CONTRACT',
    films: [{ size: '35x43', count: 1 }],
    studyInstanceUIDs: [],
    contractName: 'Công ty ABC',
    contractNumber: 'HĐ-01',
    requestReference: null,
    chargeAcknowledged: null,
    description: null,
    proposedBy: null,
    approval: null,
    pendingApproval: false,
    billing: null,
    replacesId: null,
    ...o,
  };
  return { id, kind: 'film-exception', payload };
}

export function filmVoid(exceptionId: string, at: number, reason = 'Ghi nhầm'): WireRecord & { payload: FilmVoidRecord } {
  const id = randomUUID();
  return { id, kind: 'film-void', payload: { id, exceptionId, deskId: 'desk-1', voidedAt: at, by: { id: 'op-1', name: 'Lê Thị Hoa' }, reason, replacedById: null } };
}

export function filmApproval(exceptionId: string, at: number): WireRecord & { payload: FilmApprovalRecord } {
  const id = randomUUID();
  return {
    id,
    kind: 'film-exception',
    payload: { event: 'approved', id, exceptionId, deskId: 'desk-1', recordedAt: at, by: { id: 'op-2', name: 'Phạm Minh' }, approvedBy: 'BGĐ', approvalReference: 'QĐ-9', approvalDate: '2026-01-11' },
  };
}

export function auditRecord(seq: number, at: number): WireRecord {
  return {
    id: randomUUID(),
    kind: 'audit',
    payload: { seq, at, operatorId: 'op-1', deskId: 'desk-1', action: 'slips.print', outcome: 'ok', patientID: 'BN001', studyInstanceUID: null, detail: { n: 1 }, hash: 'ab'.repeat(32) },
  };
}
