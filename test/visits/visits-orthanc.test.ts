/**
 * Visits against a real Orthanc (worklist plugin + DICOMweb), with worklist files made by dcmtk:
 * Vietnamese names through MWL C-FIND, automatic attach, attach by hand then send, a correction
 * after sending (IOCM), a walk-in reconciled after sending, and an unreachable worklist.
 *
 * Sending is done by `stowPending` (test/visits/stow.ts), the test's stand-in for the sync
 * service, which is left unconfigured here: it sends what the outbox says is pending, corrected
 * copy first, as the sync must. (The sync in the tree still checks a corrected copy against the
 * original's size; once it honours `send_size`, the real sync can replace `stowPending`.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { makeDx } from '../support/dicom-fixtures';
import { dcmdump, dcmtkAvailable, dumpValue } from './dcmtk';
import { startVisitsDesk, type VisitsDesk } from './visits-harness';
import { writeWorklistFile } from './worklist-files';
import { stowPending } from './stow';
import { waitFor } from './wait';

const DAY = '20260115'; // the manual clock's day

let orthanc: OrthancHandle;
let t: VisitsDesk;
const work = mkdtempSync(join(tmpdir(), 'visits-orthanc-'));

async function find(level: 'Instance' | 'Patient' | 'Study', query: Record<string, string>): Promise<{ ID: string; MainDicomTags: Record<string, string>; ParentPatient?: string; ParentStudy?: string }[]> {
  const res = await fetch(`${orthanc.httpUrl}/tools/find`, { method: 'POST', body: JSON.stringify({ Level: level, Query: query, Expand: true }) });
  return (await res.json()) as never;
}

async function orthancTags(sop: string): Promise<Record<string, unknown>> {
  const [inst] = await find('Instance', { SOPInstanceUID: sop });
  if (!inst) throw new Error(`Orthanc has no ${sop}`);
  return (await orthanc.get(`/instances/${inst.ID}/simplified-tags`)) as Record<string, unknown>;
}

async function dumpFromOrthanc(sop: string): Promise<string> {
  const file = join(work, `${sop}.dcm`);
  writeFileSync(file, await orthanc.instanceFile(sop));
  return dcmdump(file);
}

/** SOPInstanceUIDs Orthanc holds under one PatientID. */
async function sopsOfPatient(patientID: string): Promise<string[]> {
  const insts = await find('Instance', { PatientID: patientID });
  return insts.map((i) => i.MainDicomTags.SOPInstanceUID ?? '').sort();
}

const instanceRow = (sop: string) =>
  t.desk.db.prepare('SELECT i.id, i.send_path, i.study_uid, o.status FROM instances i JOIN outbox o ON o.instance_id = i.id WHERE sop_instance_uid = ?').get(sop) as
    | { id: number; send_path: string | null; study_uid: string; status: string }
    | undefined;

/** Sends what is pending and returns what the PACS stored. */
const send = () => stowPending(t.desk.db, t.dataDir, orthanc.dicomwebUrl);

const haveParts = requireOrHave('Orthanc', orthancAvailable()) && dcmtkAvailable();

beforeAll(async () => {
  if (!haveParts) return;
  orthanc = await startOrthanc();
  writeWorklistFile(orthanc.worklistDir, {
    accessionNumber: 'ACC-DUC',
    patientID: 'BN-1001',
    patientName: 'Nguyễn Văn Đức',
    birthDate: '19800212',
    sex: 'M',
    procedureCode: 'XQ.NGUC.T',
    procedureMeaning: 'X-quang ngực thẳng',
    referringPhysician: 'Lê Văn Sỹ',
    date: DAY,
    time: '083000',
    spsDescription: 'Chụp phổi thẳng',
  });
  writeWorklistFile(orthanc.worklistDir, {
    accessionNumber: 'ACC-CUC',
    patientID: 'BN-1002',
    patientName: 'Phạm Thị Cúc',
    birthDate: '1975',
    sex: 'F',
    requestedProcedureDescription: 'X-quang khớp gối thẳng nghiêng',
    procedureMeaning: 'X-quang khớp gối',
    date: DAY,
    time: '091500',
  });
  writeWorklistFile(orthanc.worklistDir, { accessionNumber: 'ACC-HOA', patientID: 'BN-1003', patientName: 'Đặng Thị Hoà', sex: 'F', procedureMeaning: 'X-quang bụng', date: DAY, time: '100000' });
  // Filtered out: another day, another modality.
  writeWorklistFile(orthanc.worklistDir, { accessionNumber: 'ACC-TOMORROW', patientID: 'BN-2001', patientName: 'Võ Văn Tư', date: '20260116' });
  writeWorklistFile(orthanc.worklistDir, { accessionNumber: 'ACC-CT', patientID: 'BN-2002', patientName: 'Hồ Thị Lan', date: DAY, modality: 'CT' });
  t = await startVisitsDesk({
    ingest: { stableMs: 200 },
    sync: { sendPolicy: 'on-attach' },
    worklist: { host: '127.0.0.1', port: orthanc.dicomPort, calledAet: orthanc.aet, callingAet: 'RADDESK', modality: 'DX' },
  });
});

afterAll(async () => {
  await t?.close();
  await orthanc?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!haveParts)('visits with the Orthanc worklist and PACS', () => {
  it('"Kiểm tra kết nối" answers, and the worklist brings Vietnamese names intact', async () => {
    const echo = await t.call('visits.test');
    expect(echo).toMatchObject({ ok: true, port: orthanc.dicomPort, calledAet: orthanc.aet });

    const r = await t.call('visits.refresh');
    expect(r).toMatchObject({ fetched: 3, created: 3, updated: 0 });
    const items = (await t.call('visits.list', {})).items;
    expect(items.map((i) => [i.accessionNumber, i.patientName, i.procedureName])).toEqual([
      ['ACC-DUC', 'Nguyễn Văn Đức', 'X-quang ngực thẳng'], // from inside Requested Procedure Code Sequence
      ['ACC-CUC', 'Phạm Thị Cúc', 'X-quang khớp gối thẳng nghiêng'],
      ['ACC-HOA', 'Đặng Thị Hoà', 'X-quang bụng'],
    ]);
    const duc = await t.call('visits.get', { id: items[0]!.id });
    expect(duc).toMatchObject({ patientID: 'BN-1001', birthDate: '19800212', sex: 'M', referringPhysician: 'Lê Văn Sỹ', stationAET: 'DX_ROOM1', source: 'worklist', procedureCode: 'XQ.NGUC.T' });
    expect(new Date(duc.scheduledAt!).getHours()).toBe(8);
    expect(items[1]!.birthDate).toBe('1975');
    // A second refresh changes nothing; the search folds accents.
    expect(await t.call('visits.refresh')).toMatchObject({ fetched: 3, created: 0, updated: 0 });
    expect((await t.call('visits.list', { text: 'dang thi hoa' })).items.map((i) => i.accessionNumber)).toEqual(['ACC-HOA']);
  });

  it('an image acquired with the worklist (same AccessionNumber) attaches itself and goes to the PACS as the order says', async () => {
    const visit = (await t.call('visits.list', { text: 'ACC-DUC' })).items[0]!;
    // The modality typed the name without diacritics.
    const dx = makeDx(t.exportDir, { rows: 64, columns: 64, accessionNumber: 'ACC-DUC', patientID: 'BN-1001', patientName: 'NGUYEN VAN DUC', studyDescription: 'Chest PA' });
    await waitFor(() => instanceRow(dx.sopInstanceUID)?.status === 'pending', 'the automatic attach and release');
    expect((t.desk.db.prepare('SELECT visit_id FROM studies WHERE study_uid = ?').pluck().get(dx.studyInstanceUID) as string)).toBe(visit.id);
    expect(await send()).toEqual([dx.sopInstanceUID]);
    const tags = await orthancTags(dx.sopInstanceUID);
    expect(tags).toMatchObject({ PatientName: 'Nguyễn Văn Đức', PatientID: 'BN-1001', AccessionNumber: 'ACC-DUC', StudyDescription: 'X-quang ngực thẳng', ReferringPhysicianName: 'Lê Văn Sỹ' });
  });

  it('an unscheduled image attached by hand is sent with the visit’s identity and its old values in Original Attributes Sequence', async () => {
    const visit = (await t.call('visits.list', { text: 'ACC-CUC' })).items[0]!;
    const dx = makeDx(t.exportDir, { rows: 64, columns: 64, accessionNumber: 'MOD-77', patientID: 'TEMP-9', patientName: 'BENH NHAN CHUA RO', birthDate: '19750610', studyDescription: 'Knee' });
    await waitFor(() => instanceRow(dx.sopInstanceUID), 'the image to be ingested');
    // Nothing matches: it waits ("cần gán lượt khám"), held back from the PACS.
    expect(instanceRow(dx.sopInstanceUID)?.status).toBe('held');
    expect(await send()).toEqual([]);

    const preview = await t.call('visits.previewAttach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    const rows = Object.fromEntries(preview.studies[0]!.changes.map((c) => [c.keyword, c]));
    expect(rows.PatientID).toMatchObject({ tag: '(0010,0020)', old: ['TEMP-9'], new: 'BN-1002' });
    expect(rows.PatientName).toMatchObject({ old: ['BENH NHAN CHUA RO'], new: 'Phạm Thị Cúc' });
    // The visit knows only the birth year, and the image's date falls in it: kept.
    expect(rows.PatientBirthDate).toBeUndefined();
    await t.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(await send()).toEqual([dx.sopInstanceUID]);

    const tags = await orthancTags(dx.sopInstanceUID);
    expect(tags).toMatchObject({ PatientName: 'Phạm Thị Cúc', PatientID: 'BN-1002', AccessionNumber: 'ACC-CUC', PatientSex: 'F', PatientBirthDate: '19750610' });
    const dump = await dumpFromOrthanc(dx.sopInstanceUID);
    expect(dumpValue(dump, '(0010,0010)')).toBe('Phạm Thị Cúc');
    expect(dumpValue(dump, '(0010,0020)', 4)).toBe('TEMP-9');
    expect(dumpValue(dump, '(0010,0010)', 4)).toBe('BENH NHAN CHUA RO');
    expect(dumpValue(dump, '(0008,0050)', 4)).toBe('MOD-77');
    expect(dumpValue(dump, '(0008,1030)', 4)).toBe('Knee');
    expect(dumpValue(dump, '(0400,0563)', 2)).toBe('Radiology Desk');
    expect(dumpValue(dump, '(0400,0565)', 2)).toBe('COERCE');
  });

  it('a wrong attach corrected after sending: the image under the right patient only (new SOP UID), plus a rejection note', async () => {
    const wrong = (await t.call('visits.list', { text: 'ACC-HOA' })).items[0]!;
    const right = (await t.call('visits.list', { text: 'ACC-DUC' })).items[0]!;
    const dx = makeDx(t.exportDir, { rows: 64, columns: 64, accessionNumber: '', patientID: 'X', patientName: 'CHUA RO' });
    await waitFor(() => instanceRow(dx.sopInstanceUID), 'the image to be ingested');
    await t.call('visits.attach', { visitId: wrong.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(await send()).toEqual([dx.sopInstanceUID]);
    expect(await sopsOfPatient('BN-1003')).toEqual([dx.sopInstanceUID]);

    const preview = await t.call('visits.previewAttach', { visitId: right.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(preview.studies[0]).toMatchObject({ afterSend: true, newStudyInstanceUID: true, currentVisitId: wrong.id });
    const r = await t.call('visits.attach', { visitId: right.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    const s = r.studies[0]!;
    expect(s.mode).toBe('corrected-after-send');
    expect(s.resultStudyInstanceUID).not.toBe(dx.studyInstanceUID);
    const note = s.rejectionNoteSOPInstanceUID!;
    const correction = t.desk.db
      .prepare(`SELECT sop_instance_uid FROM instances WHERE id = (SELECT replaced_by FROM instances WHERE sop_instance_uid = ?)`)
      .pluck()
      .get(dx.sopInstanceUID) as string;
    expect(correction).not.toBe(dx.sopInstanceUID);
    expect((await send()).sort()).toEqual([correction, note].sort());

    // The right patient holds the image, once, with a new SOP Instance UID in a new study.
    const tags = await orthancTags(correction);
    expect(tags).toMatchObject({ PatientID: 'BN-1001', PatientName: 'Nguyễn Văn Đức', AccessionNumber: 'ACC-DUC', StudyInstanceUID: s.resultStudyInstanceUID });
    expect((await sopsOfPatient('BN-1001')).filter((x) => x === correction)).toHaveLength(1);
    expect(await sopsOfPatient('BN-1001')).not.toContain(dx.sopInstanceUID);
    const dump = await dumpFromOrthanc(correction);
    // Two modifications on record: the modality's values coerced to the wrong visit, then corrected.
    const at4 = (tag: string) => dump.split('\n').filter((l) => l.startsWith(`        ${tag} `)).map((l) => l.match(/\[(.*?)\]/)?.[1]);
    expect(at4('(0010,0020)')).toEqual(['X', 'BN-1003']);
    expect(at4('(0008,0018)')).toEqual([dx.sopInstanceUID]);
    expect(at4('(0020,000d)')).toEqual([dx.studyInstanceUID]);
    expect(dump.match(/\[(COERCE|CORRECT)\]/g)).toEqual(['[COERCE]', '[CORRECT]']);

    // The rejection note sits in the old study, under the old patient, and names the old instance.
    const kosTags = await orthancTags(note);
    expect(kosTags).toMatchObject({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.59', Modality: 'KO', PatientID: 'BN-1003', PatientName: 'Đặng Thị Hoà', StudyInstanceUID: dx.studyInstanceUID });
    const kos = await dumpFromOrthanc(note);
    expect(dumpValue(kos, '(0008,0100)', 2)).toBe('113038'); // ConceptNameCodeSequence: the document title
    expect(dumpValue(kos, '(0008,0104)', 2)).toBe('Incorrect Modality Worklist Entry');
    expect(dumpValue(kos, '(0008,1155)', 6)).toBe(dx.sopInstanceUID); // Current Requested Procedure Evidence
    expect(dumpValue(kos, '(0008,1155)', 4)).toBe(dx.sopInstanceUID); // ContentSequence IMAGE item
    // Orthanc 1.10 stores rejection notes but does not act on them (no IOCM): the rejected
    // instance stays listed under the old patient until the archive applies the note.
    expect(await sopsOfPatient('BN-1003')).toEqual([dx.sopInstanceUID, note].sort());

    const audit = (await t.call('audit.list', { action: 'visits.attach' })).items[0]!;
    const detail = (audit.detail.studies as { old: { patientID: string }; new: { patientID: string }; mode: string }[])[0]!;
    expect(detail).toMatchObject({ mode: 'corrected-after-send', old: { patientID: 'BN-1003' }, new: { patientID: 'BN-1001' } });
  });

  it('a walk-in sent under its temporary ID is reconciled with the real order later; every image follows', async () => {
    const walkIn = await t.call('visits.create', { patientName: 'Nguyễn Thị Mai', birthDate: '1990', sex: 'F', procedure: 'X-quang cổ tay' });
    const dx = makeDx(t.exportDir, { rows: 64, columns: 64, accessionNumber: '', patientID: 'Q', patientName: 'MAI' });
    await waitFor(() => instanceRow(dx.sopInstanceUID), 'the image to be ingested');
    await t.call('visits.attach', { visitId: walkIn.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(await send()).toEqual([dx.sopInstanceUID]);
    expect(await sopsOfPatient(walkIn.patientID)).toEqual([dx.sopInstanceUID]);

    writeWorklistFile(orthanc.worklistDir, { accessionNumber: 'ACC-MAI', patientID: 'BN-1004', patientName: 'Nguyễn Thị Mai', birthDate: '19900303', sex: 'F', procedureMeaning: 'X-quang cổ tay thẳng', date: DAY });
    await t.call('visits.refresh');
    const real = (await t.call('visits.list', { text: 'ACC-MAI' })).items[0]!;
    const r = await t.call('visits.reconcile', { fromVisitId: walkIn.id, toVisitId: real.id });
    expect(r.studies).toHaveLength(1);
    expect(r.studies[0]!.mode).toBe('corrected-after-send');
    expect(await send()).toHaveLength(2);
    const moved = await sopsOfPatient('BN-1004');
    expect(moved).toHaveLength(1);
    expect(await orthancTags(moved[0]!)).toMatchObject({ PatientName: 'Nguyễn Thị Mai', AccessionNumber: 'ACC-MAI', PatientBirthDate: '19900303' });
    // The temporary identity keeps only the rejected instance and its rejection note.
    expect(await sopsOfPatient(walkIn.patientID)).toEqual([dx.sopInstanceUID, r.studies[0]!.rejectionNoteSOPInstanceUID!].sort());
    expect((await t.call('visits.get', { id: walkIn.id })).reconciledTo).toBe(real.id);
    expect((await t.call('visits.list', {})).items.map((i) => i.id)).not.toContain(walkIn.id);
    expect((await t.call('visits.get', { id: real.id })).studyCount).toBe(1);
    const again = await t.raw('visits.reconcile', { fromVisitId: walkIn.id, toVisitId: real.id });
    expect(again.ok === false && again.error.code).toBe('VISIT_ALREADY_RECONCILED');
  });

  it('worklist unreachable: a clear message in both languages, and the cached list still works', async () => {
    const closed = await freePort();
    await t.call('settings.update', { worklist: { port: closed } });
    try {
      for (const m of ['visits.refresh', 'visits.test'] as const) {
        const r = await t.raw(m, {});
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('WORKLIST_UNREACHABLE');
        expect(r.error.messages.vi).toBe(`Không kết nối được worklist tại 127.0.0.1:${closed}`);
        expect(r.error.messages.en).toBe(`Cannot reach the worklist at 127.0.0.1:${closed}`);
      }
      const items = (await t.call('visits.list', {})).items;
      expect(items.map((i) => i.accessionNumber)).toEqual(expect.arrayContaining(['ACC-DUC', 'ACC-CUC', 'ACC-HOA', 'ACC-MAI']));
    } finally {
      await t.call('settings.update', { worklist: { port: orthanc.dicomPort } });
    }
  });
});
