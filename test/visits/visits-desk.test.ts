/**
 * Visits through the whole desk (compose → dispatch), with the real ingest watching its export
 * folder, real SQLite and dcmtk-checked files: walk-ins, matching, attach with its tag table,
 * an image arriving into an attached study, detach, and the audit trail. No PACS here (see
 * visits-orthanc.test.ts for the worklist and sending).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVisitsDesk, type VisitsDesk } from './visits-harness';
import { makeDx, newUid } from '../support/dicom-fixtures';
import { dcmdump, dcmtkAvailable, dumpValue } from './dcmtk';
import { waitFor } from './wait';

let t: VisitsDesk;
let exportDir: string;

interface Row {
  id: number;
  send_path: string | null;
  status: string;
  study_uid: string;
}

const instance = (sop: string) =>
  t.desk.db
    .prepare('SELECT i.id, i.send_path, o.status, i.study_uid FROM instances i JOIN outbox o ON o.instance_id = i.id WHERE sop_instance_uid = ?')
    .get(sop) as Row | undefined;
const study = (uid: string) => t.desk.db.prepare('SELECT visit_id, released_at FROM studies WHERE study_uid = ?').get(uid) as { visit_id: string | null; released_at: number | null } | undefined;

beforeAll(async () => {
  t = await startVisitsDesk({ ingest: { stableMs: 200 }, sync: { sendPolicy: 'on-attach' } });
  exportDir = t.exportDir;
});
afterAll(async () => {
  await t?.close();
});

describe.skipIf(!dcmtkAvailable())('visits at the desk', () => {
  it('walk-ins: numbered per day, temporary PatientID, found without accents', async () => {
    const a = await t.call('visits.create', { patientName: 'Nguyễn Văn Đức', birthDate: '1980', sex: 'M', procedure: { code: 'XQ.NGUC.T', name: 'X-quang ngực thẳng' }, payer: 'BHYT' });
    const b = await t.call('visits.create', { patientName: 'Trần Thị Bích Ngọc', patientID: 'BN777', birthDate: '19920304', sex: 'F', procedure: 'Chụp khớp gối' });
    expect(a.visitNumber).toBe('20260115-001');
    expect(b.visitNumber).toBe('20260115-002');
    expect(a.patientID).toMatch(/^TMP-20260115-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(a.temporaryPatientID).toBe(true);
    expect(b.temporaryPatientID).toBe(false);
    expect(a.accessionNumber).toMatch(/^W260115[0-9A-Z]{6}$/);
    expect(b.procedureName).toBe('Chụp khớp gối');
    const found = await t.call('visits.list', { text: 'nguyen van duc' });
    expect(found.items.map((i) => i.id)).toEqual([a.id]);
    expect((await t.call('visits.list', { text: 'BN777' })).items.map((i) => i.patientName)).toEqual(['Trần Thị Bích Ngọc']);
    expect((await t.call('visits.list', {})).items).toHaveLength(2);
    expect((await t.call('visits.list', { date: '2026-01-16' })).items).toHaveLength(0);

    const bad = await t.raw('visits.create', { patientName: 'A', birthDate: '1980', sex: 'M', procedure: 'X', payer: 'CONTRACT' });
    expect(bad.ok === false && bad.error.code === 'VALIDATION' && bad.error.field === 'contractName').toBe(true);
    const badDate = await t.raw('visits.create', { patientName: 'A', birthDate: '19801301', sex: 'M', procedure: 'X' });
    expect(badDate.ok === false && badDate.error.field === 'birthDate').toBe(true);
    const audit = await t.call('audit.list', { action: 'visits.create' });
    expect(audit.items.filter((a) => a.outcome === 'ok').map((a) => a.patientID)).toEqual(['BN777', a.patientID]);
  });

  it('an unscheduled image waits; PatientID + day is suggested; attach shows the tag table, writes the copy and releases', async () => {
    const walkIn = (await t.call('visits.list', { text: 'BN777' })).items[0]!;
    const dx = makeDx(exportDir, { rows: 64, columns: 64, patientID: 'BN777', patientName: 'TRAN THI B NGOC', accessionNumber: 'MOD-123', studyDate: '20260115' });
    const row = await waitFor(() => instance(dx.sopInstanceUID), 'the image to be ingested');
    expect(row.status).toBe('held');
    expect(study(dx.studyInstanceUID)?.visit_id).toBeNull();

    const suggestions = await t.call('visits.suggest', { studyInstanceUID: dx.studyInstanceUID });
    expect(suggestions.items.map((s) => [s.id, s.reason])).toEqual([[walkIn.id, 'patient-id-and-date']]);

    const preview = await t.call('visits.previewAttach', { visitId: walkIn.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    const changes = Object.fromEntries(preview.studies[0]!.changes.map((c) => [c.keyword, [c.old, c.new]]));
    expect(changes.PatientName).toEqual([['TRAN THI B NGOC'], 'Trần Thị Bích Ngọc']);
    expect(changes.AccessionNumber).toEqual([['MOD-123'], walkIn.accessionNumber]);
    expect(changes.PatientID).toBeUndefined();
    expect(preview.studies[0]!.afterSend).toBe(false);
    expect(instance(dx.sopInstanceUID)?.send_path).toBeNull();

    const r = await t.call('visits.attach', { visitId: walkIn.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(r.studies[0]).toMatchObject({ mode: 'corrected', released: true, resultStudyInstanceUID: dx.studyInstanceUID, rejectionNoteSOPInstanceUID: null });
    const after = instance(dx.sopInstanceUID)!;
    expect(after.status).toBe('pending');
    expect(study(dx.studyInstanceUID)).toMatchObject({ visit_id: walkIn.id });
    const copy = join(t.dataDir, 'store', after.send_path!);
    const dump = dcmdump(copy);
    expect(dumpValue(dump, '(0010,0010)')).toBe('Trần Thị Bích Ngọc');
    expect(dumpValue(dump, '(0008,0050)')).toBe(walkIn.accessionNumber);
    expect(dumpValue(dump, '(0032,1060)')).toBe('Chụp khớp gối');
    expect(dumpValue(dump, '(0010,0010)', 4)).toBe('TRAN THI B NGOC');
    expect(dumpValue(dump, '(0400,0565)', 2)).toBe('COERCE');
    // The original stays as received, for audit.
    const original = t.desk.db.prepare('SELECT file_path FROM instances WHERE id = ?').pluck().get(after.id) as string;
    expect(dumpValue(dcmdump(join(t.dataDir, 'store', original)), '(0010,0010)')).toBe('TRAN THI B NGOC');

    const audit = (await t.call('audit.list', { action: 'visits.attach' })).items[0]!;
    expect(audit.outcome).toBe('ok');
    expect(audit.patientID).toBe('BN777');
    const detail = (audit.detail.studies as { old: { patientName: string; accessionNumber: string }; new: { patientName: string } }[])[0]!;
    expect(detail.old).toMatchObject({ patientName: 'TRAN THI B NGOC', accessionNumber: 'MOD-123' });
    expect(detail.new.patientName).toBe('Trần Thị Bích Ngọc');

    const v = await t.call('visits.get', { id: walkIn.id });
    expect(v.studies).toHaveLength(1);
    expect(v.imageStatus).toBe('sending');

    // The inbox and the sync list show the identity the images now carry, found by either name.
    const listed = (await t.call('studies.list', { text: 'tran thi bich ngoc' })).items.find((i) => i.studyInstanceUID === dx.studyInstanceUID)!;
    expect(listed).toMatchObject({ patientName: 'Trần Thị Bích Ngọc', accessionNumber: walkIn.accessionNumber });
    expect((await t.call('studies.list', { text: 'MOD-123' })).items.map((i) => i.studyInstanceUID)).toContain(dx.studyInstanceUID);
    const synced = (await t.call('sync.list', {})).items.find((i) => i.studyInstanceUID === dx.studyInstanceUID)!;
    expect(synced.patientName).toBe('Trần Thị Bích Ngọc');
  });

  it('an image arriving into an attached study waits for its copy, then goes', async () => {
    const walkIn = (await t.call('visits.list', { text: 'BN777' })).items[0]!;
    const uid = (t.desk.db.prepare('SELECT study_uid FROM studies WHERE visit_id = ?').get(walkIn.id) as { study_uid: string }).study_uid;
    const second = makeDx(exportDir, { rows: 64, columns: 64, studyInstanceUID: uid, patientID: 'BN777', patientName: 'TRAN THI B NGOC', accessionNumber: 'MOD-123', instanceNumber: 2 });
    const done = await waitFor(() => {
      const r = instance(second.sopInstanceUID);
      return r && r.send_path && r.status === 'pending' ? r : undefined;
    }, 'the second image to be corrected and released');
    expect(dumpValue(dcmdump(join(t.dataDir, 'store', done.send_path!)), '(0010,0010)')).toBe('Trần Thị Bích Ngọc');
    expect(study(uid)?.released_at).not.toBeNull();
    const automatic = t.desk.db.prepare(`SELECT operator_id, outcome FROM audit_log WHERE action = 'visits.attach' AND json_extract(detail, '$.automatic') = 1`);
    expect(await waitFor(() => automatic.get(), 'the automatic attach audit record')).toEqual({ operator_id: null, outcome: 'ok' });
  });

  it('detach before sending is free; after sending it is refused', async () => {
    const walkIn = (await t.call('visits.list', { text: 'BN777' })).items[0]!;
    const uid = (t.desk.db.prepare('SELECT study_uid FROM studies WHERE visit_id = ?').get(walkIn.id) as { study_uid: string }).study_uid;
    const copies = (t.desk.db.prepare('SELECT send_path FROM instances WHERE study_uid = ?').all(uid) as { send_path: string }[]).map((r) => join(t.dataDir, 'store', r.send_path));
    expect(copies.every((c) => existsSync(c))).toBe(true);
    await t.call('visits.detach', { studyInstanceUIDs: [uid] });
    expect(study(uid)).toEqual({ visit_id: null, released_at: null });
    expect(copies.some((c) => existsSync(c))).toBe(false);
    const statuses = t.desk.db.prepare(`SELECT o.status FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE i.study_uid = ?`).pluck().all(uid);
    expect(statuses).toEqual(['held', 'held']);

    await t.call('visits.attach', { visitId: walkIn.id, studyInstanceUIDs: [uid] });
    t.desk.db.prepare(`UPDATE outbox SET status = 'sent' WHERE instance_id IN (SELECT id FROM instances WHERE study_uid = ?)`).run(uid);
    const refused = await t.raw('visits.detach', { studyInstanceUIDs: [uid] });
    expect(refused.ok === false && refused.error.code).toBe('VISIT_ALREADY_SENT');
    const failed = (await t.call('audit.list', { action: 'visits.detach' })).items[0]!;
    expect(failed.outcome).toBe('error');
  });

  it('an image being sent cannot be re-attached; a failure half-way leaves the study as it was', async () => {
    const a = await t.call('visits.create', { patientName: 'Võ Thị Sáu', birthDate: '19500101', sex: 'F', procedure: 'X-quang ngực' });
    const b = await t.call('visits.create', { patientName: 'Hồ Văn Bảy', birthDate: '19600101', sex: 'M', procedure: 'X-quang ngực' });
    const dx = makeDx(exportDir, { rows: 64, columns: 64, accessionNumber: 'MOD-9', patientName: 'VO THI SAU' });
    await waitFor(() => instance(dx.sopInstanceUID), 'the image to be ingested');
    await t.call('visits.attach', { visitId: a.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    const before = { row: instance(dx.sopInstanceUID)!, study: study(dx.studyInstanceUID)! };
    expect(before.row.status).toBe('pending');

    t.desk.db.prepare(`UPDATE outbox SET status = 'sending' WHERE instance_id = ?`).run(before.row.id);
    const busy = await t.raw('visits.attach', { visitId: b.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(busy.ok === false && busy.error.code).toBe('VISIT_SEND_IN_PROGRESS');
    t.desk.db.prepare(`UPDATE outbox SET status = 'pending' WHERE instance_id = ?`).run(before.row.id);

    // The original disappears from the store: the new copy cannot be made, nothing changes.
    const original = t.desk.db.prepare('SELECT file_path FROM instances WHERE id = ?').pluck().get(before.row.id) as string;
    rmSync(join(t.dataDir, 'store', original));
    const preview = await t.call('visits.previewAttach', { visitId: b.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(preview.studies[0]!.refusal).toMatchObject({ code: 'VISIT_FILES_MISSING', vi: expect.stringContaining('Tệp ảnh gốc') });
    const missing = await t.raw('visits.attach', { visitId: b.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(missing.ok === false && missing.error.code).toBe('VISIT_FILES_MISSING');
    expect(instance(dx.sopInstanceUID)).toEqual(before.row);
    expect(study(dx.studyInstanceUID)).toEqual(before.study);
    expect(existsSync(join(t.dataDir, 'store', before.row.send_path!))).toBe(true);
    expect(readdirSync(join(t.dataDir, 'store', 'corrected')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('an image of a study that changed patient after sending follows it into the new study', async () => {
    const a = await t.call('visits.create', { patientName: 'Lý Thị Tám', birthDate: '19800101', sex: 'F', procedure: 'X-quang ngực' });
    const b = await t.call('visits.create', { patientName: 'Đỗ Văn Chín', birthDate: '19700101', sex: 'M', procedure: 'X-quang ngực' });
    const first = makeDx(exportDir, { rows: 64, columns: 64, accessionNumber: 'MOD-10', patientName: 'LY THI TAM' });
    await waitFor(() => instance(first.sopInstanceUID), 'the first image');
    await t.call('visits.attach', { visitId: a.id, studyInstanceUIDs: [first.studyInstanceUID] });
    // The sync sent it (what the outbox would say after a STOW-RS listed it).
    t.desk.db.prepare(`UPDATE outbox SET status = 'sent' WHERE instance_id = ?`).run(instance(first.sopInstanceUID)!.id);
    const moved = (await t.call('visits.attach', { visitId: b.id, studyInstanceUIDs: [first.studyInstanceUID] })).studies[0]!;
    expect(moved.mode).toBe('corrected-after-send');
    const newStudy = moved.resultStudyInstanceUID;
    expect(newStudy).not.toBe(first.studyInstanceUID);

    const late = makeDx(exportDir, { rows: 64, columns: 64, studyInstanceUID: first.studyInstanceUID, seriesInstanceUID: first.seriesInstanceUID, accessionNumber: 'MOD-10', patientName: 'LY THI TAM', instanceNumber: 2 });
    const row = await waitFor(() => {
      const r = instance(late.sopInstanceUID);
      return r?.send_path && r.status === 'pending' ? r : undefined;
    }, 'the late image to follow its study');
    expect(row.study_uid).toBe(newStudy);
    const dump = dcmdump(join(t.dataDir, 'store', row.send_path!));
    expect(dumpValue(dump, '(0020,000d)')).toBe(newStudy);
    expect(dumpValue(dump, '(0010,0010)')).toBe('Đỗ Văn Chín');
    // Same series as the first image's correction.
    const correctionSeries = t.desk.db.prepare('SELECT series_uid FROM instances WHERE id = (SELECT replaced_by FROM instances WHERE sop_instance_uid = ?)').pluck().get(first.sopInstanceUID);
    expect(dumpValue(dump, '(0020,000e)')).toBe(correctionSeries);
    expect(study(newStudy)?.released_at).not.toBeNull();
  });

  it('an image with the visit\u2019s AccessionNumber attaches itself', async () => {
    const v = await t.call('visits.create', { patientName: 'Lê Văn Sỹ', birthDate: '19700101', sex: 'M', procedure: 'X-quang cột sống cổ' });
    const dx = makeDx(exportDir, { rows: 64, columns: 64, accessionNumber: v.accessionNumber, patientName: 'LE VAN SY', studyInstanceUID: newUid() });
    await waitFor(() => study(dx.studyInstanceUID)?.visit_id === v.id, 'the automatic attach');
    const r = await waitFor(() => {
      const x = instance(dx.sopInstanceUID);
      return x?.send_path ? x : undefined;
    }, 'the corrected copy');
    expect(dumpValue(dcmdump(join(t.dataDir, 'store', r.send_path!)), '(0010,0010)')).toBe('Lê Văn Sỹ');
  });
});
