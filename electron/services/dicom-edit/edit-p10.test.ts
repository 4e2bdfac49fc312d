/**
 * The byte patcher against files dcmtk wrote (dump2dcm templates with Vietnamese and Latin-1 text
 * in sequences, explicit and implicit VR, defined and undefined lengths) and the shared DX
 * fixtures (encapsulated JPEG lossless / JPEG 2000), judged by dcmdump and by byte comparison.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDx, newUid, topLevelElements } from '../../../test/support/dicom-fixtures';
import { dcmdump, dcmtkAvailable, dump2dcm, dumpValue, isPart10 } from '../../../test/visits/dcmtk';
import { applyTopLevelEdit, planTopLevelEdit, readTopLevelText, TAGS, type NewValue } from './edit-p10';
import { readP10Structure, type P10Structure } from './p10-structure';
import { isDeskError } from '../../../shared/errors';

const work = mkdtempSync(join(tmpdir(), 'dicom-edit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const RECORD = { reason: 'COERCE', modifyingSystem: 'Radiology Desk', modifiedAt: '20260115080000+0000' } as const;

interface Specimen {
  charset: 'ISO_IR 192' | 'ISO_IR 100' | '';
  patientName: string;
  codeMeaning: string;
  protocolName: string;
  syntax: 'explicit' | 'implicit';
  lengths: 'defined' | 'undefined';
}

/** A small DX written by dump2dcm: the template's bytes are taken as they are (UTF-8 or Latin-1). */
function specimen(o: Specimen): { path: string; bytes: Buffer } {
  const pixels = join(work, `px-${newUid()}.raw`);
  writeFileSync(pixels, Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) & 0xff)));
  const sop = newUid();
  const lines = [
    '(0002,0001) OB 00\\01',
    '(0002,0002) UI [1.2.840.10008.5.1.4.1.1.1.1]',
    `(0002,0003) UI [${sop}]`,
    '(0002,0010) UI [1.2.840.10008.1.2.1]',
    ...(o.charset ? [`(0008,0005) CS [${o.charset}]`] : []),
    '(0008,0016) UI [1.2.840.10008.5.1.4.1.1.1.1]',
    `(0008,0018) UI [${sop}]`,
    '(0008,0020) DA [20260115]',
    '(0008,0050) SH [MODACC1]',
    '(0008,0060) CS [DX]',
    '(0008,0090) PN []',
    '(0008,1030) LO [Chest]',
    '(0008,1032) SQ (Sequence)',
    '  (fffe,e000) na (Item)',
    '    (0008,0100) SH [XQ01]',
    '    (0008,0102) SH [L]',
    `    (0008,0104) LO [${o.codeMeaning}]`,
    '  (fffe,e00d) na (ItemDelimitationItem)',
    '(fffe,e0dd) na (SequenceDelimitationItem)',
    '(0009,0010) LO [RADDESK TEST]',
    '(0009,1002) OB e9\\c3\\ff\\01',
    `(0010,0010) PN [${o.patientName}]`,
    '(0010,0020) LO [MOD-PID-7]',
    '(0010,0030) DA [19800115]',
    '(0010,0040) CS [M]',
    `(0018,1030) LO [${o.protocolName}]`,
    `(0020,000d) UI [${newUid()}]`,
    `(0020,000e) UI [${newUid()}]`,
    '(0020,0013) IS [1]',
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    '(0028,0010) US 4',
    '(0028,0011) US 4',
    '(0028,0100) US 16',
    '(0028,0101) US 12',
    '(0028,0102) US 11',
    '(0028,0103) US 0',
    `(7fe0,0010) OW =${pixels}`,
  ];
  const text = lines.join('\n') + '\n';
  const out = join(work, `${sop}.dcm`);
  dump2dcm(Buffer.from(text, o.charset === 'ISO_IR 100' ? 'latin1' : 'utf8'), out, [
    o.syntax === 'explicit' ? '+te' : '+ti',
    o.lengths === 'defined' ? '+e' : '-e',
  ]);
  return { path: out, bytes: readFileSync(out) };
}

const VISIT: NewValue[] = [
  { tag: TAGS.PatientName, keyword: 'PatientName', vr: 'PN', value: 'TRẦN THỊ BÍCH NGỌC' },
  { tag: TAGS.PatientID, keyword: 'PatientID', vr: 'LO', value: 'BN000123' },
  { tag: TAGS.PatientBirthDate, keyword: 'PatientBirthDate', vr: 'DA', value: '19920304' },
  { tag: TAGS.PatientSex, keyword: 'PatientSex', vr: 'CS', value: 'F' },
  { tag: TAGS.AccessionNumber, keyword: 'AccessionNumber', vr: 'SH', value: 'ACC2026' },
  { tag: TAGS.StudyDescription, keyword: 'StudyDescription', vr: 'LO', value: 'X-quang ngực thẳng' },
  { tag: TAGS.RequestedProcedureDescription, keyword: 'RequestedProcedureDescription', vr: 'LO', value: 'X-quang ngực thẳng' },
  { tag: TAGS.ReferringPhysicianName, keyword: 'ReferringPhysicianName', vr: 'PN', value: 'Lê Văn Sỹ' },
];

function write(bytes: Buffer): string {
  const file = join(work, `out-${newUid()}.dcm`);
  writeFileSync(file, bytes);
  return file;
}

/** Raw bytes of each top-level element of a structure, by tag. */
function elementBytes(s: P10Structure): Map<number, Buffer> {
  return new Map(s.dataset.map((e) => [e.tag, s.bytes.subarray(e.start, e.end)]));
}

describe.skipIf(!dcmtkAvailable())('top-level tag patching', () => {
  it('Vietnamese, explicit VR: replaces the eight attributes, keeps every other byte, records the old values', () => {
    const src = specimen({ charset: 'ISO_IR 192', patientName: 'NGUYỄN VĂN AN', codeMeaning: 'X-quang ngực thẳng', protocolName: 'Ngực thẳng PA', syntax: 'explicit', lengths: 'defined' });
    const plan = planTopLevelEdit(src.bytes, VISIT);
    expect(plan.charsetChange).toBeNull();
    expect(plan.changes.map((c) => c.keyword)).toEqual([
      'AccessionNumber',
      'ReferringPhysicianName',
      'StudyDescription',
      'PatientName',
      'PatientID',
      'PatientBirthDate',
      'PatientSex',
      'RequestedProcedureDescription',
    ]);
    expect(plan.changes.find((c) => c.keyword === 'PatientName')).toMatchObject({ old: 'NGUYỄN VĂN AN', new: 'TRẦN THỊ BÍCH NGỌC' });
    expect(plan.changes.find((c) => c.keyword === 'RequestedProcedureDescription')?.old).toBeNull();

    const out = applyTopLevelEdit(plan, RECORD) as Buffer;
    // Every element that was not replaced is byte-identical (read with the fixtures' own parser).
    const before = new Map(topLevelElements(src.bytes).map((e) => [`${e.group},${e.element}`, src.bytes.subarray(e.start, e.valueStart + e.length)]));
    const after = new Map(topLevelElements(out).map((e) => [`${e.group},${e.element}`, out.subarray(e.start, e.valueStart + e.length)]));
    const replaced = new Set(['8,80', '8,144', '8,4144', '16,16', '16,32', '16,48', '16,64', '50,4192', '1024,1377']);
    for (const [key, bytes] of before) {
      if (replaced.has(key)) continue;
      expect(after.get(key)?.equals(bytes), `element ${key}`).toBe(true);
    }
    expect(out.subarray(0, 132).equals(src.bytes.subarray(0, 132))).toBe(true);
    // The old PatientName element, byte for byte, sits inside Original Attributes Sequence.
    const oldName = before.get('16,16') as Buffer;
    const oas = after.get('1024,1377') as Buffer;
    expect(oas.includes(oldName)).toBe(true);
    expect(oas.includes(before.get('16,32') as Buffer)).toBe(true);

    const file = write(out);
    const dump = dcmdump(file);
    expect(isPart10(file)).toBe(true);
    expect(dumpValue(dump, '(0010,0010)')).toBe('TRẦN THỊ BÍCH NGỌC');
    expect(dumpValue(dump, '(0008,0090)')).toBe('Lê Văn Sỹ');
    expect(dumpValue(dump, '(0032,1060)')).toBe('X-quang ngực thẳng');
    expect(dumpValue(dump, '(0008,0104)', 2)).toBe('X-quang ngực thẳng');
    expect(dumpValue(dump, '(0010,0010)', 4)).toBe('NGUYỄN VĂN AN');
    expect(dumpValue(dump, '(0010,0020)', 4)).toBe('MOD-PID-7');
    expect(dumpValue(dump, '(0400,0563)', 2)).toBe('Radiology Desk');
    expect(dumpValue(dump, '(0400,0565)', 2)).toBe('COERCE');
    expect(dumpValue(dump, '(0400,0562)', 2)).toBe('20260115080000+0000');
    // The added attribute had no old value to keep.
    expect(dump).not.toMatch(/^ {8}\(0032,1060\)/m);
  });

  it('implicit VR with undefined-length sequences: same result, pixels and private bytes untouched', () => {
    const src = specimen({ charset: 'ISO_IR 192', patientName: 'NGUYỄN VĂN AN', codeMeaning: 'Chụp phổi', protocolName: 'Phổi', syntax: 'implicit', lengths: 'undefined' });
    const out = applyTopLevelEdit(planTopLevelEdit(src.bytes, VISIT), RECORD) as Buffer;
    const a = readP10Structure(src.bytes);
    const b = readP10Structure(out);
    expect(b.explicitVR).toBe(false);
    const ea = elementBytes(a);
    const eb = elementBytes(b);
    for (const tag of [0x00081032, 0x00090010, 0x00091002, 0x00181030, 0x7fe00010]) expect(eb.get(tag)?.equals(ea.get(tag) as Buffer)).toBe(true);
    const dump = dcmdump(write(out));
    expect(dumpValue(dump, '(0010,0010)')).toBe('TRẦN THỊ BÍCH NGỌC');
    expect(dumpValue(dump, '(0008,0104)', 2)).toBe('Chụp phổi');
    expect(dumpValue(dump, '(0010,0010)', 4)).toBe('NGUYỄN VĂN AN');
    expect(readTopLevelText(b, TAGS.StudyDescription)).toBe('X-quang ngực thẳng');
  });

  it('Latin-1 file, Vietnamese visit: becomes ISO_IR 192 with every old text value transcoded', () => {
    const src = specimen({ charset: 'ISO_IR 100', patientName: 'LÊ^VÂN HÀ', codeMeaning: 'Thorax de face', protocolName: 'Poumon éé', syntax: 'explicit', lengths: 'undefined' });
    const plan = planTopLevelEdit(src.bytes, VISIT);
    expect(plan.charsetChange).toEqual({ from: 'ISO_IR 100' });
    expect(plan.changes.find((c) => c.keyword === 'PatientName')?.old).toBe('LÊ^VÂN HÀ');
    const out = applyTopLevelEdit(plan, RECORD) as Buffer;
    const dump = dcmdump(write(out));
    expect(dumpValue(dump, '(0008,0005)')).toBe('ISO_IR 192');
    expect(dumpValue(dump, '(0018,1030)')).toBe('Poumon éé');
    expect(dumpValue(dump, '(0010,0010)')).toBe('TRẦN THỊ BÍCH NGỌC');
    expect(dumpValue(dump, '(0010,0010)', 4)).toBe('LÊ^VÂN HÀ');
    expect(dumpValue(dump, '(0008,0005)', 4)).toBe('ISO_IR 100');
    const a = elementBytes(readP10Structure(src.bytes));
    const b = elementBytes(readP10Structure(out));
    expect(b.get(0x00091002)?.equals(a.get(0x00091002) as Buffer)).toBe(true);
    expect(b.get(0x7fe00010)?.equals(a.get(0x7fe00010) as Buffer)).toBe(true);
  });

  it('refuses, naming the tag, when an old value cannot be transcoded', () => {
    const src = specimen({ charset: '', patientName: 'NGUYEN VAN AN', codeMeaning: 'Chest', protocolName: 'Chest', syntax: 'explicit', lengths: 'defined' });
    // A Latin-1 byte in a default-repertoire file: invalid, and no way to know what it meant.
    const structure = readP10Structure(src.bytes);
    const protocol = structure.dataset.find((e) => e.tag === 0x00181030)!;
    const bad = Buffer.from(src.bytes);
    bad[protocol.valueStart] = 0xe9;
    let err: unknown;
    try {
      planTopLevelEdit(bad, VISIT);
    } catch (e) {
      err = e;
    }
    expect(isDeskError(err) && err.code === 'DICOM_EDIT_CHARSET' && err.params.tag === '(0018,1030)').toBe(true);
    // ASCII-only new values need no character set change, so the same file can still be coerced.
    const asciiOnly = VISIT.map((v) => ({ ...v, value: v.vr === 'PN' || v.tag === TAGS.StudyDescription || v.tag === TAGS.RequestedProcedureDescription ? 'TRAN THI B' : v.value }));
    const out = applyTopLevelEdit(planTopLevelEdit(bad, asciiOnly), RECORD) as Buffer;
    expect(dumpValue(dcmdump(write(out)), '(0010,0010)')).toBe('TRAN THI B');
  });

  it.each(['jpeg-lossless', 'jpeg2000'] as const)('%s: encapsulated pixel data stays byte-identical', (syntax) => {
    const dx = makeDx(work, { rows: 64, columns: 64, syntax });
    const bytes = readFileSync(dx.path);
    const out = applyTopLevelEdit(planTopLevelEdit(bytes, VISIT), RECORD) as Buffer;
    const pa = readP10Structure(bytes).dataset.find((e) => e.tag === 0x7fe00010)!;
    const pb = readP10Structure(out).dataset.find((e) => e.tag === 0x7fe00010)!;
    expect(pa.encapsulated).toBe(true);
    expect(out.subarray(pb.start, pb.end).equals(bytes.subarray(pa.start, pa.end))).toBe(true);
    dcmdump(write(out));
  });

  it('a new SOPInstanceUID follows into the file meta, and a second edit appends a second item', () => {
    const dx = makeDx(work, { rows: 32, columns: 32 });
    const first = applyTopLevelEdit(planTopLevelEdit(readFileSync(dx.path), VISIT), RECORD) as Buffer;
    const sop = newUid();
    const second = applyTopLevelEdit(
      planTopLevelEdit(first, [
        { tag: TAGS.PatientID, keyword: 'PatientID', vr: 'LO', value: 'BN999' },
        { tag: TAGS.SOPInstanceUID, keyword: 'SOPInstanceUID', vr: 'UI', value: sop },
      ]),
      { ...RECORD, reason: 'CORRECT' },
    ) as Buffer;
    const file = write(second);
    expect(isPart10(file)).toBe(true);
    const dump = dcmdump(file);
    expect(dumpValue(dump, '(0002,0003)')).toBe(sop);
    expect(dumpValue(dump, '(0008,0018)')).toBe(sop);
    expect(dump.match(/^ {2}\(fffe,e000\)/gm)?.length).toBe(2);
    expect(dump).toContain('[CORRECT]');
    expect(dumpValue(dump, '(0008,0018)', 4)).toBe(dx.sopInstanceUID);
    // The first item is carried over byte for byte.
    const oas1 = readP10Structure(first).dataset.find((e) => e.tag === TAGS.OriginalAttributesSequence)!;
    const item1 = first.subarray(oas1.items![0]!.start, oas1.items![0]!.end);
    expect(second.includes(item1)).toBe(true);
  });

  it('returns null when nothing changes, and refuses values DICOM cannot hold', () => {
    const dx = makeDx(work, { rows: 32, columns: 32, patientID: 'BN1', accessionNumber: 'A1' });
    const same = planTopLevelEdit(readFileSync(dx.path), [
      { tag: TAGS.PatientID, keyword: 'PatientID', vr: 'LO', value: 'BN1' },
      { tag: TAGS.AccessionNumber, keyword: 'AccessionNumber', vr: 'SH', value: 'A1' },
    ]);
    expect(applyTopLevelEdit(same, RECORD)).toBeNull();
    expect(() => planTopLevelEdit(readFileSync(dx.path), [{ tag: TAGS.AccessionNumber, keyword: 'AccessionNumber', vr: 'SH', value: 'A'.repeat(17) }])).toThrow(/AccessionNumber/);
    expect(() => planTopLevelEdit(readFileSync(dx.path), [{ tag: TAGS.PatientName, keyword: 'PatientName', vr: 'PN', value: 'A\\B' }])).toThrow(/PatientName/);
  });

  it('refuses big-endian and truncated files with a reason', () => {
    const dx = makeDx(work, { rows: 32, columns: 32 });
    const bytes = readFileSync(dx.path);
    expect(() => planTopLevelEdit(bytes.subarray(0, bytes.length - 3), VISIT)).toThrow(/runs past the end|past the end/);
    // Same length as explicit LE's UID, so only the meta value changes.
    const be = Buffer.from(bytes);
    const at = be.indexOf('1.2.840.10008.1.2.1\0', 132, 'latin1');
    be.write('1.2.840.10008.1.2.2', at, 'latin1');
    expect(() => planTopLevelEdit(be, VISIT)).toThrow(/1\.2\.840\.10008\.1\.2\.2/);
  });
});

