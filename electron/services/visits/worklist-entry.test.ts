/**
 * What the desk makes of a worklist answer, read by dcmjs from a `.wl` file dcmtk wrote — the
 * same reader dcmjs-dimse hands C-FIND answers through, so the sequence-text bug is the real one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, describe, expect, it } from 'vitest';
import { dcmtkAvailable } from '../../../test/visits/dcmtk';
import { writeWorklistFile } from '../../../test/visits/worklist-files';
import { entriesOf, worklistQuery } from './worklist-entry';
import { settingsSchema } from '../../../shared/settings-schema';

const dir = mkdtempSync(join(tmpdir(), 'wl-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readNaturalized(file: string): Record<string, unknown> {
  const bytes = readFileSync(file);
  const msg = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict);
}

describe.skipIf(!dcmtkAvailable())('worklist answers', () => {
  it('re-decodes Vietnamese inside sequences (dcmjs reads it as windows-1252) and keeps top-level text', () => {
    const file = writeWorklistFile(dir, {
      accessionNumber: 'ACC1',
      patientID: 'BN1',
      patientName: 'Nguyễn Văn Đức',
      birthDate: '19800212',
      sex: 'M',
      procedureCode: 'XQ.NGUC.T',
      procedureMeaning: 'X-quang ngực thẳng',
      referringPhysician: 'Lê Văn Sỹ',
      date: '20260115',
      time: '083000',
      spsDescription: 'Chụp phổi thẳng',
      stationAET: 'DX_ROOM1',
    });
    const ds = readNaturalized(file);
    // The bug this works around, as dcmjs 0.52.2 shows it: Đ (C4 90) comes back as "Ä" + U+0090.
    const code = (ds.RequestedProcedureCodeSequence as Record<string, unknown>[])[0]!;
    expect(code.CodeMeaning).not.toBe('X-quang ngực thẳng');
    const [e] = entriesOf(ds);
    expect(e).toMatchObject({
      patientName: 'Nguyễn Văn Đức',
      patientID: 'BN1',
      birthDate: '19800212',
      sex: 'M',
      accessionNumber: 'ACC1',
      procedureCode: 'XQ.NGUC.T',
      procedureName: 'X-quang ngực thẳng',
      referringPhysician: 'Lê Văn Sỹ',
      stationAET: 'DX_ROOM1',
      modality: 'DX',
    });
    expect(new Date(e!.scheduledAt!).getHours()).toBe(8);
    expect(e!.visitId).toMatch(/^wl-[0-9a-f]{32}$/);
  });

  it('keys a visit by AccessionNumber and scheduled step, so a corrected name updates the same visit', () => {
    const a = entriesOf(readNaturalized(writeWorklistFile(dir, { accessionNumber: 'ACC2', patientID: 'BN2', patientName: 'Trần A', date: '20260115', spsID: 'S1' })))[0]!;
    const b = entriesOf(readNaturalized(writeWorklistFile(dir, { accessionNumber: 'ACC2', patientID: 'BN2', patientName: 'Trần Ánh', date: '20260115', spsID: 'S1' })))[0]!;
    const c = entriesOf(readNaturalized(writeWorklistFile(dir, { accessionNumber: 'ACC2', patientID: 'BN2', patientName: 'Trần Ánh', date: '20260115', spsID: 'S2' })))[0]!;
    expect(a.visitId).toBe(b.visitId);
    expect(c.visitId).not.toBe(b.visitId);
  });

  it('asks for PregnancyStatus as null and filters on day, modality and station', () => {
    const cfg = settingsSchema.parse({ worklist: { modality: 'DX', stationAet: 'DX_ROOM1' } }).worklist;
    const q = worklistQuery(cfg, '20260115');
    expect(q.PregnancyStatus).toBeNull();
    expect((q.ScheduledProcedureStepSequence as Record<string, unknown>[])[0]).toMatchObject({
      Modality: 'DX',
      ScheduledStationAETitle: 'DX_ROOM1',
      ScheduledProcedureStepStartDate: '20260115',
    });
  });
});
