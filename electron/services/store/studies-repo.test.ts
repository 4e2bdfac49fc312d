/** The study list's reads against real SQLite: folding search, date range, paging, and the view rule for replaced rows. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InstanceHeader } from '../ingest/header-fields';
import { openDatabase } from './database';
import { recordInstance } from './ingest-records';
import { getStudy, listStudies, personNameForDisplay } from './studies-repo';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studies-repo-'));
const db = openDatabase(path.join(dir, 'desk.sqlite'));
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function add(h: Partial<InstanceHeader>, at: number): InstanceHeader {
  n++;
  const header: InstanceHeader = {
    sopClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
    sopInstanceUID: `1.2.9.${n}`,
    studyInstanceUID: `1.2.7.${n}`,
    seriesInstanceUID: `1.2.8.${n}`,
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    specificCharacterSet: 'ISO_IR 192',
    patientName: '',
    patientID: '',
    patientBirthDate: '',
    patientSex: '',
    accessionNumber: '',
    studyDate: '',
    studyTime: '',
    studyDescription: '',
    modality: 'DX',
    seriesNumber: '1',
    seriesDescription: '',
    bodyPartExamined: '',
    instanceNumber: '1',
    viewPosition: 'PA',
    laterality: '',
    stationName: '',
    rows: 10,
    columns: 10,
    ...h,
  };
  recordInstance(db, { header, sha256: `h${n}`, size: 1, filePath: `x/${n}.dcm`, source: 'folder', sourceName: 'f', receivedAt: at, sourceKey: null, sendImmediately: false });
  return header;
}

const a = add({ patientName: 'NGUYỄN^VĂN AN', patientID: 'P1', accessionNumber: 'A-100', studyDate: '20260110' }, 1000);
const b = add({ patientName: 'ĐỖ THỊ HẠNH', patientID: 'P2', studyDate: '20260111' }, 2000);
const c = add({ patientName: 'TRẦN 100%_X', patientID: 'P3', studyDate: '20260112' }, 3000);
const list = (f: Partial<Parameters<typeof listStudies>[1]>) => listStudies(db, { limit: 50, offset: 0, ...f }, 5000).items.map((s) => s.patientID);

describe('listStudies', () => {
  it('lists newest arrival first, with display names', () => {
    expect(list({})).toEqual(['P3', 'P2', 'P1']);
    expect(listStudies(db, { limit: 50, offset: 0 }, 5000).items[2]!.patientName).toBe('NGUYỄN VĂN AN');
  });
  it('searches folded words across name, PatientID and accession; LIKE wildcards are literal', () => {
    expect(list({ text: 'do thi hanh' })).toEqual(['P2']);
    expect(list({ text: 'an a-100' })).toEqual(['P1']);
    expect(list({ text: '100%' })).toEqual(['P3']);
    expect(list({ text: '_' })).toEqual(['P3']);
    expect(list({ text: 'x y' })).toEqual([]);
  });
  it('filters by study date and pages with a total', () => {
    expect(list({ dateFrom: '20260111', dateTo: '20260111' })).toEqual(['P2']);
    const page = listStudies(db, { limit: 1, offset: 1 }, 5000);
    expect(page.total).toBe(3);
    expect(page.items.map((s) => s.patientID)).toEqual(['P2']);
  });
  it('hides replaced studies and replaced instances', () => {
    const extra = add({ studyInstanceUID: a.studyInstanceUID, seriesInstanceUID: a.seriesInstanceUID, instanceNumber: '2' }, 4000);
    expect(getStudy(db, a.studyInstanceUID, 5000)!.instanceCount).toBe(2);
    db.prepare('UPDATE instances SET replaced_by = (SELECT id FROM instances WHERE sop_instance_uid = ?) WHERE sop_instance_uid = ?').run(a.sopInstanceUID, extra.sopInstanceUID);
    const s = getStudy(db, a.studyInstanceUID, 5000)!;
    expect(s.instanceCount).toBe(1);
    expect(s.series[0]!.instances.map((i) => i.sopInstanceUID)).toEqual([a.sopInstanceUID]);
    db.prepare('UPDATE studies SET replaced_by = ? WHERE study_uid = ?').run(c.studyInstanceUID, b.studyInstanceUID);
    expect(list({})).toEqual(['P1', 'P3']);
  });
});

describe('personNameForDisplay', () => {
  it('joins PN components with spaces and drops ideographic groups', () => {
    expect(personNameForDisplay('NGUYỄN^VĂN AN')).toBe('NGUYỄN VĂN AN');
    expect(personNameForDisplay('LÊ^^HÀ^^')).toBe('LÊ HÀ');
    expect(personNameForDisplay('YAMADA^TARO=山田^太郎')).toBe('YAMADA TARO');
  });
});
